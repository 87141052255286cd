package org.protsim.workloads;

import org.protsim.core.InputError;
import org.protsim.hw.Cpu;
import org.protsim.hw.Pte;
import org.protsim.os.Kernel;
import org.protsim.os.Op;
import org.protsim.os.RefBuffer;
import org.protsim.os.TaskProgram;
import org.protsim.os.Vma;
import org.protsim.os.dma.DmaDevice;
import org.protsim.os.dma.DmaOps;

import java.util.ArrayDeque;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * The driver-dma workload (see {@link DriverDmaConfig}). Client i of device d is its own
 * process with a buffer of the device's request size; its references fill the buffer before a
 * transfer to the device, or read it after one from the device. Randomness: each client draws
 * from its own stream ({@code workload.driver-dma.client<n>}): directions, wild writes and their
 * delays, its references.
 */
final class DriverDma implements Workload {
    static final long BUFFER = 0x1000_0000L;

    private final DriverDmaConfig config;
    private boolean mapped;

    DriverDma(DriverDmaConfig config) {
        this.config = config;
    }

    @Override
    public void start(RunContext run) {
        if (run.config().kernel().mechanism("dma").off()) {
            throw new InputError("workload driver-dma needs a kernel.dma.mode (shared-pool, iommu-strict, "
                    + "iommu-deferred or owned-pages); it is none");
        }
        Kernel kernel = run.kernel();
        DmaDevice[] devices = new DmaDevice[config.devices().size()];
        double cyclesPerNs = run.config().machine().cyclesPerNs();
        for (int d = 0; d < devices.length; d++) {
            DriverDmaConfig.Device c = config.devices().get(d);
            double bytesPerCycle = c.bandwidthMBps() * 1e6 / (cyclesPerNs * 1e9);
            int aperture = d == 0 ? c.aperturePages() + config.extraMappings() : c.aperturePages();
            devices[d] = new DmaDevice(d, c.name(), Math.round(c.latencyNs() * cyclesPerNs), bytesPerCycle,
                    c.ringEntries(), c.registerPages(), aperture);
        }
        mapped = config.extraMappings() == 0;
        int n = 0;
        for (int d = 0; d < devices.length; d++) {
            for (int c = 0; c < config.clientsPerDevice(); c++) {
                SplittableRandom r = run.simulation().streams().get("workload.driver-dma.client" + n);
                boolean faulty = r.nextDouble() < config.aliasFraction();
                kernel.spawn(kernel.newImage(config.devices().get(d).name() + "-client" + c, 8, 8, 4),
                        new Client(devices[d], config.devices().get(d), faulty, n == 0, r));
                n++;
            }
        }
    }

    /** A program as a queue of steps, each making the next operation, with the last system call's value. */
    private abstract static class Steps implements TaskProgram {
        final ArrayDeque<Function<RefBuffer, Op>> steps = new ArrayDeque<>();
        long last;

        @Override
        public Op next(RefBuffer refs) {
            refs.clear();
            while (true) {
                Function<RefBuffer, Op> s = steps.poll();
                if (s == null) {
                    s = more();
                    if (s == null) {
                        return new Op.Exit(0);
                    }
                }
                Op op = s.apply(refs);
                if (op != null) {
                    return op;
                }
            }
        }

        /** The next step when the queue is empty, or null to exit. */
        abstract Function<RefBuffer, Op> more();

        @Override
        public void returned(long value) {
            last = value;
        }
    }

    /** One client process of one device. */
    private final class Client extends Steps {
        private final DmaDevice device;
        private final DriverDmaConfig.Device spec;
        private final SplittableRandom random;
        private final int pages;
        private final Stretch words = Stretch.words();
        private long registers;
        private long aperture;
        private int requestsLeft;
        private long handle;
        // the request under way, drawn by more(): its steps read these (a client's requests run one at a time)
        private boolean toDevice;
        private int wildKind;
        private long wildTarget;
        private long lateWrite;
        // a request's steps and system calls, made once: the steady state allocates nothing per request
        private final DmaOps.DmaMap mapToDevice;
        private final DmaOps.DmaMap mapFromDevice;
        private final DmaOps.DmaTransfer transferOp;
        private final DmaOps.DmaUnmap unmapOp;
        private final Function<RefBuffer, Op> fill = b -> buffer(b, Cpu.WRITE);
        private final Function<RefBuffer, Op> doorbell = this::doorbell;
        private final Function<RefBuffer, Op> dmaMap = this::dmaMap;
        private final Function<RefBuffer, Op> dmaTransfer = this::dmaTransfer;
        private final Function<RefBuffer, Op> dmaUnmap = this::dmaUnmap;
        private final Function<RefBuffer, Op> status = this::status;
        private final Function<RefBuffer, Op> drain = b -> buffer(b, Cpu.READ);

        Client(DmaDevice device, DriverDmaConfig.Device spec, boolean faulty, boolean holder, SplittableRandom random) {
            this.device = device;
            this.spec = spec;
            this.random = random;
            this.pages = (spec.requestBytes() + 4095) / 4096;
            this.requestsLeft = config.requestsPerClient();
            this.mapToDevice = new DmaOps.DmaMap(device, BUFFER, spec.requestBytes(), true);
            this.mapFromDevice = new DmaOps.DmaMap(device, BUFFER, spec.requestBytes(), false);
            this.transferOp = new DmaOps.DmaTransfer(device, 0, DmaOps.WILD_NONE, 0);
            this.unmapOp = new DmaOps.DmaUnmap(device, 0, -1);
            if (holder && config.extraMappings() > 0) {
                // the first client holds the extra aperture pages (a frame buffer) for its life, one
                // reservation each, mapped before any other client maps anything
                steps.add(b -> new DmaOps.MapRegion(device, DmaOps.APERTURE, spec.aperturePages(), config.extraMappings(),
                        Pte.WRITE_COMBINING));
                steps.add(b -> {
                    mapped = true;
                    return null;
                });
            }
            steps.add(this::awaitMapped);
            steps.add(b -> Op.Mmap.anonymous(BUFFER, pages * 4096L, Vma.READ | Vma.WRITE));
            steps.add(b -> {
                for (int p = 0; p < pages; p++) {
                    b.add(BUFFER + p * 4096L, 8, Cpu.WRITE);
                }
                return Op.REFS;
            });
            // a faulty user-space driver maps the registers write-back; a PAT check refuses it (-EBUSY) once
            // another mapping has them uncached, and it maps them uncached after all
            steps.add(b -> new DmaOps.MapRegion(device, DmaOps.REGISTERS, 0, spec.registerPages(),
                    faulty ? Pte.WRITE_BACK : Pte.UNCACHED));
            steps.add(b -> {
                if (last == DmaOps.EBUSY) {
                    return new DmaOps.MapRegion(device, DmaOps.REGISTERS, 0, spec.registerPages(), Pte.UNCACHED);
                }
                return null;
            });
            steps.add(b -> {
                registers = last;
                return new DmaOps.MapRegion(device, DmaOps.APERTURE, 0, spec.aperturePages(), Pte.WRITE_COMBINING);
            });
            steps.add(b -> {
                aperture = last;
                return null;
            });
        }

        @Override
        Function<RefBuffer, Op> more() {
            if (requestsLeft == 0) {
                return null;
            }
            requestsLeft--;
            toDevice = random.nextDouble() < spec.toDeviceFraction();
            wildKind = DmaOps.WILD_NONE;
            wildTarget = 0;
            lateWrite = -1;
            if (config.wildWritesPerMillion() > 0 && random.nextInt(1_000_000) < config.wildWritesPerMillion()) {
                switch (random.nextInt(3)) {
                    case 0 -> wildKind = DmaOps.WILD_RANDOM_ADDRESS;
                    case 1 -> wildKind = DmaOps.WILD_DRIVER_OUTSIDE;
                    default -> lateWrite = config.lateWriteMaxCycles() == 0 ? 0 : random.nextLong(config.lateWriteMaxCycles());
                }
                wildTarget = random.nextLong();
            }
            if (toDevice) {
                steps.add(fill);
            }
            steps.add(doorbell);
            steps.add(dmaMap);
            steps.add(dmaTransfer);
            steps.add(dmaUnmap);
            steps.add(status);
            if (!toDevice) {
                steps.add(drain);
            }
            return steps.poll();
        }

        /**
         * The doorbell (an uncached register write) and the payload descriptor (write-combining);
         * a client refused its registers twice (a faulty one mapped them write-back first) has none.
         */
        private Op doorbell(RefBuffer b) {
            if (registers > 0) {
                b.add(registers + random.nextInt(spec.registerPages()) * 4096L, 8, Cpu.WRITE);
            }
            b.add(aperture + random.nextInt(spec.aperturePages()) * 4096L, 8, Cpu.WRITE);
            return Op.REFS;
        }

        private Op dmaMap(RefBuffer b) {
            return toDevice ? mapToDevice : mapFromDevice;
        }

        private Op dmaTransfer(RefBuffer b) {
            handle = last;
            return transferOp.set(handle, wildKind, wildTarget);
        }

        private Op dmaUnmap(RefBuffer b) {
            return unmapOp.set(handle, lateWrite);
        }

        private Op status(RefBuffer b) {
            if (registers < 0) {
                return null;
            }
            b.add(registers, 8, Cpu.READ); // the status register
            return Op.REFS;
        }

        /** Yields until the holder's mappings exist, so every client's check searches them. */
        private Op awaitMapped(RefBuffer b) {
            if (mapped) {
                return null;
            }
            steps.addFirst(this::awaitMapped);
            return new Op.Yield();
        }

        private Op buffer(RefBuffer b, int access) {
            int n = Math.min(config.refsPerRequest(), b.capacity());
            if (n == 0) {
                return null;
            }
            for (int i = 0; i < n; i++) {
                long a = Refs.nextWord(words, random);
                if (a < BUFFER || a >= BUFFER + pages * 4096L) {
                    a = Refs.startWords(words, BUFFER + random.nextInt(pages) * 4096L, random);
                }
                b.add(a, 8, access);
            }
            return Op.REFS;
        }
    }
}
