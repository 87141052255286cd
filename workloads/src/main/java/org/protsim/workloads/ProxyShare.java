package org.protsim.workloads;

import org.protsim.core.stats.Counter;
import org.protsim.core.stats.Stats;
import org.protsim.hw.Cpu;
import org.protsim.os.Image;
import org.protsim.os.Kernel;
import org.protsim.os.MemObject;
import org.protsim.os.Op;
import org.protsim.os.RefBuffer;
import org.protsim.os.TaskProgram;
import org.protsim.os.Vma;
import org.protsim.os.mechanism.proxy.ProxyOps;

import java.util.SplittableRandom;

/**
 * The proxy-share workload (see {@link ProxyShareConfig}), the Hurd's case for proxy memory
 * objects (docs/sources.md [002]): a server that must not let its clients meddle with its memory
 * object. The server creates one proxy per client ({@code memory_object_create_proxy}), then
 * spawns the clients (fork and exec), each told its proxy; a client maps it and references its
 * range. Each client's role, range and references come from its own named stream.
 *
 * <p>What a violation attempt came to is what the client sees: an error from the map or
 * mprotect, or its death by SIGSEGV for a write; {@code proxy.violationsAllowed} counts those that
 * went through, {@code proxy.violationsRefused} the rest.
 */
final class ProxyShare implements Workload {
    private static final long PAGE = 4096;

    /** The three things a client's proxy forbids it. */
    enum Violation {
        WRITE, MAP_OUTSIDE, RAISE_RIGHTS
    }

    private final ProxyShareConfig config;
    private Counter attempts;
    private Counter allowed;

    ProxyShare(ProxyShareConfig config) {
        this.config = config;
    }

    @Override
    public void start(RunContext run) {
        Kernel kernel = run.kernel();
        boolean proxies = !run.config().kernel().mechanism("proxy").off();
        Stats stats = run.simulation().stats();
        attempts = stats.counter("proxy.violationAttempts", "attempts",
                "times a client tried what its proxy forbids: a write, a map outside its range, raising its rights");
        allowed = stats.counter("proxy.violationsAllowed", "attempts",
                "violation attempts that went through (every one under kernel.proxy none)");
        stats.counter("proxy.violationsRefused", "attempts",
                "violation attempts refused: an error returned, or the client killed for its write",
                () -> attempts.value() - allowed.value());
        MemObject data = kernel.newObject("dataset", config.objectPages(), false);
        SplittableRandom plan = run.simulation().streams().get("workload.proxy-share.plan");
        AliasTable zipf = AliasTable.zipf(config.rangePages(), config.zipfExponent());
        Image clientImage = kernel.newImage("client", 16, 16, 4);
        Client[] clients = new Client[config.clients()];
        for (int i = 0; i < clients.length; i++) {
            long first = plan.nextInt(config.objectPages() - config.rangePages() + 1);
            boolean readWrite = plan.nextDouble() < config.readWriteFraction();
            Violation v = !readWrite && plan.nextDouble() < config.violationRate()
                    ? Violation.values()[plan.nextInt(Violation.values().length)] : null;
            clients[i] = new Client(data, first, readWrite, v, proxies, zipf,
                    run.simulation().streams().get("workload.proxy-share.client" + i));
        }
        kernel.spawn(kernel.newImage("server", 16, 16, 4), new Server(data, clients, clientImage, proxies));
    }

    /** Creates a proxy per client (none under mode none), then spawns the clients. */
    private final class Server implements TaskProgram {
        private final MemObject data;
        private final Client[] clients;
        private final Image clientImage;
        private final boolean proxies;
        private int created;
        private int spawned;
        /** The client whose proxy the last call created. */
        private Client awaiting;

        Server(MemObject data, Client[] clients, Image clientImage, boolean proxies) {
            this.data = data;
            this.clients = clients;
            this.clientImage = clientImage;
            this.proxies = proxies;
        }

        @Override
        public void returned(long value) {
            if (awaiting != null) {
                if (value <= 0) {
                    throw new IllegalStateException("memory_object_create_proxy failed: " + value);
                }
                awaiting.proxy = (int) value;
                awaiting = null;
            }
        }

        @Override
        public Op next(RefBuffer refs) {
            refs.clear();
            if (proxies && created < clients.length) {
                Client c = clients[created++];
                awaiting = c;
                return new ProxyOps.CreateProxy(data, c.rights(), c.first * PAGE, (c.first + config.rangePages()) * PAGE);
            }
            if (spawned < clients.length) {
                Client c = clients[spawned++];
                return new Op.Fork(new TaskProgram() {
                    @Override
                    public Op next(RefBuffer b) {
                        b.clear();
                        return new Op.Exec(clientImage, c);
                    }
                }, true);
            }
            return new Op.Exit(0);
        }
    }

    /** One client: map its view, reference it, then perhaps try one violation. */
    private final class Client implements TaskProgram {
        private final MemObject data;
        final long first;
        private final boolean readWrite;
        private final Violation violation;
        private final boolean proxies;
        private final AliasTable zipf;
        private final SplittableRandom random;
        int proxy;
        private long base;
        private long left = config.refsPerClient();
        private int stage;

        Client(MemObject data, long first, boolean readWrite, Violation violation, boolean proxies, AliasTable zipf,
               SplittableRandom random) {
            this.data = data;
            this.first = first;
            this.readWrite = readWrite;
            this.violation = violation;
            this.proxies = proxies;
            this.zipf = zipf;
            this.random = random;
        }

        int rights() {
            return readWrite ? Vma.READ | Vma.WRITE : Vma.READ;
        }

        /** A page of the object just outside this client's range. */
        private long outside() {
            long end = first + config.rangePages();
            return end < config.objectPages() ? end : first - 1;
        }

        @Override
        public void returned(long value) {
            switch (stage) {
                case 1 -> {
                    if (value < 0) {
                        throw new IllegalStateException("a legal map of the client's range failed: " + value);
                    }
                    base = value;
                }
                case 3 -> {
                    if (value >= 0) {
                        allowed.increment(); // the out-of-range map, or the raised rights, went through
                    }
                }
                default -> {
                }
            }
        }

        @Override
        public Op next(RefBuffer b) {
            b.clear();
            switch (stage) {
                case 0 -> {
                    stage = 1;
                    long length = config.rangePages() * PAGE;
                    // without proxies the client holds the real object itself, with every right it has
                    return proxies ? new ProxyOps.MapProxy(proxy, first * PAGE, length, rights())
                            : new Op.Mmap(0, length, Vma.READ | Vma.WRITE, Vma.SHARED, data, first);
                }
                case 1 -> {
                    if (left > 0) {
                        touch(b);
                        return Op.REFS;
                    }
                    if (violation == null) {
                        return new Op.Exit(0);
                    }
                    attempts.increment();
                    stage = violation == Violation.WRITE ? 2 : 3;
                    return switch (violation) {
                        case WRITE -> {
                            b.add(base + zipf.sample(random) * PAGE, 8, Cpu.WRITE);
                            yield Op.REFS;
                        }
                        case MAP_OUTSIDE -> proxies ? new ProxyOps.MapProxy(proxy, outside() * PAGE, PAGE, Vma.READ)
                                : new Op.Mmap(0, PAGE, Vma.READ, Vma.SHARED, data, outside());
                        case RAISE_RIGHTS -> new Op.Mprotect(base, PAGE, Vma.READ | Vma.WRITE);
                    };
                }
                case 2 -> {
                    allowed.increment(); // still running after its write: the write went through
                    stage = 4;
                    return new Op.Exit(0);
                }
                default -> {
                    stage = 4;
                    return new Op.Exit(0);
                }
            }
        }

        private void touch(RefBuffer b) {
            int n = (int) Math.min(left, b.capacity());
            double writeFraction = readWrite ? config.writeFraction() : 0;
            for (int i = 0; i < n; i++) {
                long a = base + zipf.sample(random) * PAGE + (random.nextInt(512) << 3);
                b.add(a, 8, writeFraction > 0 && random.nextDouble() < writeFraction ? Cpu.WRITE : Cpu.READ);
            }
            left -= n;
        }
    }
}
