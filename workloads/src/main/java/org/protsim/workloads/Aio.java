package org.protsim.workloads;

import org.protsim.hw.Cpu;
import org.protsim.os.Image;
import org.protsim.os.Kernel;
import org.protsim.os.KernelMechanism;
import org.protsim.os.Op;
import org.protsim.os.RefBuffer;
import org.protsim.os.TaskProgram;
import org.protsim.os.mechanism.ukva.AioOps;
import org.protsim.os.mechanism.ukva.Ring;
import org.protsim.os.mechanism.ukva.Ukva;

import java.util.SplittableRandom;

/**
 * The aio workload (see {@link AioConfig}), after a storage server's I/O threads (fio's libaio and
 * io_uring engines have the same loop). Under a ring mode of {@code kernel.ukva} a thread writes its
 * submission entries and reads its completion entries with its own references; under {@code none}
 * it makes the classic system calls, and polling means reaping without waiting, a system call each
 * time.
 */
final class Aio implements Workload {
    private static final int POLL_REFS = 8;

    private final AioConfig config;

    Aio(AioConfig config) {
        this.config = config;
    }

    @Override
    public void start(RunContext run) {
        Kernel kernel = run.kernel();
        Ukva ukva = null;
        for (KernelMechanism m : kernel.mechanisms()) {
            if (m instanceof Ukva u) {
                ukva = u;
            }
        }
        if (ukva == null) {
            throw Kernel.unsupported("workload aio needs the kernel's aio system calls (kernel.ukva)");
        }
        int dataPages = config.sharedPages() + config.threads() * config.privatePages();
        Image image = kernel.newImage("aio-server", 16, dataPages, 16);
        for (int p = 0; p < config.processes(); p++) {
            SplittableRandom r = run.simulation().streams().get("workload.aio.process" + p);
            kernel.spawn(image, new IoThread(ukva, image, 0, r, true));
        }
    }

    /** One I/O thread; the first of a process clones the others before it starts. */
    private final class IoThread implements TaskProgram {
        private final Ukva ukva;
        private final Image image;
        private final int index;
        private final SplittableRandom random;
        private int toClone;
        private Ring ring;
        private long ctx = -1;
        private int step;
        private int submitted;
        private int reaped;
        private int batch;
        private int pendingConsume;
        private long returned;
        private boolean justReaped;
        private final Stretch words = Stretch.words();
        // its submit and reap calls, one record per count (at most the queue depth), each made once: none per I/O
        private final AioOps.Submit[] submits = new AioOps.Submit[config.queueDepth() + 1];
        private final AioOps.Reap[] reaps = new AioOps.Reap[config.queueDepth() + 1];

        IoThread(Ukva ukva, Image image, int index, SplittableRandom random, boolean first) {
            this.ukva = ukva;
            this.image = image;
            this.index = index;
            this.random = random;
            this.toClone = first ? config.threads() - 1 : 0;
        }

        @Override
        public void returned(long value) {
            returned = value;
        }

        @Override
        public Op next(RefBuffer b) {
            b.clear();
            if (pendingConsume > 0) {
                ring.consume(pendingConsume);
                reaped += pendingConsume;
                pendingConsume = 0;
                justReaped = true;
            }
            switch (step) {
                case 0 -> {
                    if (toClone > 0) {
                        int i = config.threads() - toClone;
                        toClone--;
                        return new Op.Clone(new IoThread(ukva, image, i, random.split(), false));
                    }
                    step = 1;
                    return new AioOps.Setup(config.queueDepth());
                }
                case 1 -> {
                    ctx = returned;
                    ring = ukva.ring(ctx);
                    step = 2;
                    return work(b);
                }
                case 2 -> {
                    return submit(b);
                }
                case 3 -> {
                    // the submission ring is written; announce it
                    step = 4;
                    return submitOp(batch);
                }
                case 4 -> {
                    return reap(b);
                }
                case 5 -> {
                    // a reap returned: under a ring mode read what it announced
                    step = 4;
                    int k = (int) returned;
                    if (k > 0) {
                        if (ring.shared()) {
                            readCompletions(b, k);
                            pendingConsume = k;
                            return Op.REFS;
                        }
                        ring.consume(k); // copied out by the call: the thread has them now
                        reaped += k;
                        justReaped = true;
                    }
                    return reap(b);
                }
                default -> {
                    return new Op.Exit(0);
                }
            }
        }

        /** Work over private and shared data, then submit. */
        private Op work(RefBuffer b) {
            int n = Math.min(config.workRefs(), b.capacity());
            if (n == 0) {
                return submit(b);
            }
            for (int i = 0; i < n; i++) {
                long a = Refs.nextWord(words, random);
                if (a < 0) {
                    boolean shared = random.nextInt(4) == 0;
                    int page = shared ? random.nextInt(config.sharedPages())
                            : config.sharedPages() + index * config.privatePages() + random.nextInt(config.privatePages());
                    a = Refs.startWords(words, image.dataBase() + page * 4096L, random);
                }
                b.add(a, 8, random.nextDouble() < 0.3 ? Cpu.WRITE : Cpu.READ);
            }
            step = 2;
            return Op.REFS;
        }

        private Op submit(RefBuffer b) {
            int inFlight = submitted - reaped - pendingConsume;
            batch = Math.min(config.queueDepth() - inFlight, config.iosPerThread() - submitted);
            if (batch <= 0) {
                step = 4;
                return reap(b);
            }
            submitted += batch;
            ring.beginSubmit();
            if (!ring.shared()) {
                step = 4;
                return submitOp(batch);
            }
            for (int i = 0; i < batch; i++) {
                b.add(ring.sqeAddress(i), 64, Cpu.WRITE);
            }
            b.add(ring.sqTailAddress(), 4, Cpu.WRITE);
            if (ukva.config().sqPoll()) {
                ring.post(batch);
                step = 4;
            } else {
                step = 3;
            }
            return Op.REFS;
        }

        /** Submit of {@code count} I/Os to the thread's context: the record made for that count, if it is there. */
        private AioOps.Submit submitOp(int count) {
            AioOps.Submit s = count < submits.length ? submits[count] : null;
            if (s == null || s.ctx() != ctx) {
                s = new AioOps.Submit(ctx, count);
                if (count < submits.length) {
                    submits[count] = s;
                }
            }
            return s;
        }

        /** Reap of at least {@code min}, at most {@code max} (a thread's min is always the same), as {@link #submitOp}. */
        private AioOps.Reap reapOp(int min, int max) {
            AioOps.Reap r = max < reaps.length ? reaps[max] : null;
            if (r == null || r.ctx() != ctx || r.min() != min) {
                r = new AioOps.Reap(ctx, min, max);
                if (max < reaps.length) {
                    reaps[max] = r;
                }
            }
            return r;
        }

        private void readCompletions(RefBuffer b, int k) {
            b.add(ring.cqTailAddress(), 4, Cpu.READ);
            for (int i = 0; i < k; i++) {
                b.add(ring.cqeAddress(i), Ukva.CQE_BYTES, Cpu.READ);
            }
            b.add(ring.cqHeadAddress(), 4, Cpu.WRITE);
        }

        private Op reap(RefBuffer b) {
            if (reaped == config.iosPerThread()) {
                step = 7;
                return new AioOps.Destroy(ctx);
            }
            if (justReaped && submitted < config.iosPerThread()) {
                justReaped = false;
                return work(b);
            }
            justReaped = false;
            int max = Math.max(1, submitted - reaped);
            if (config.reap() == AioConfig.Reap.BLOCK) {
                step = 5;
                return reapOp(1, max);
            }
            if (!ring.shared()) {
                step = 5;
                return reapOp(0, max);
            }
            int k = ring.ready();
            if (k == 0) {
                // spin on the completion tail
                for (int i = 0; i < POLL_REFS; i++) {
                    b.add(ring.cqTailAddress(), 4, Cpu.READ);
                }
                return Op.REFS;
            }
            readCompletions(b, Math.min(k, max));
            pendingConsume = Math.min(k, max);
            return Op.REFS;
        }
    }
}
