package org.protsim.validate;

import org.protsim.core.Simulation;
import org.protsim.core.config.CoreConfig;
import org.protsim.core.config.RunConfig;
import org.protsim.hw.Cpu;
import org.protsim.os.Image;
import org.protsim.os.Kernel;
import org.protsim.os.Op;
import org.protsim.os.RefBuffer;
import org.protsim.os.TaskProgram;
import org.protsim.workloads.RunContext;

/**
 * A one-page TLB shootdown as Amit's benchmark makes it: a thread discards one page of its
 * process (madvise(MADV_DONTNEED): the PTE is cleared, the page flushed here and on every other
 * CPU running the process) and touches it again (a fault maps a zeroed page); {@code remotes}
 * other threads of the process keep running on the other CPUs, so each discard interrupts them.
 * The figure is the initiator's time per discard-and-touch. The machine resembles a Haswell
 * server: STLB 1,024 entries 8-way, 12-cycle hit (docs/hardware-costs.md "STLB hit after dTLB miss").
 */
final class ShootdownLatency implements Experiment {
    private static final String CONFIG = """
            {"machine": {"cpus": %d, "tlb": {"l2": {"entries": 1024, "ways": 8, "hitCycles": 12}}},
             "model": {"name": "pcid"}}""";
    private static final int WARM_UP = 50;

    private final int remotes;
    private final double publishedUs;

    ShootdownLatency(int remotes, double publishedUs) {
        this.remotes = remotes;
        this.publishedUs = publishedUs;
    }

    @Override
    public String id() {
        return "shootdown-" + remotes + "-remote";
    }

    @Override
    public Published published() {
        return new Published("one-page TLB shootdown, initiator latency, " + remotes + " remote CPU"
                + (remotes == 1 ? "" : "s"), "µs", publishedUs, publishedUs,
                "N. Amit, x86/mm concurrent TLB flush patch set (2019), cover letter",
                "Haswell, madvise(MADV_DONTNEED) of one page and the fault that maps it again");
    }


    @Override
    public String basisNote() {
        return switch (remotes) {
            case 0 -> "syscall, fault, page zeroing and INVLPG costs and the kernel paths' references, none fitted to it";
            case 1 -> "the local part as for 0 remotes; the remote part is calibrated (shootdown-remote-part)";
            default -> "the IPIs go out one target after another (ipiSendCycles 200, an estimate), the initiator "
                    + "waits for the last acknowledgement; nothing fitted";
        };
    }

    @Override
    public double bandLow() {
        return 0.6;
    }

    @Override
    public double bandHigh() {
        return 1.67;
    }

    @Override
    public double predict(CoreConfig core, boolean quick) {
        return initiatorMicroseconds(remotes, core, quick);
    }

    /** The initiator's microseconds per discard-and-touch with {@code remotes} other CPUs in the process. */
    static double initiatorMicroseconds(int remotes, CoreConfig core, boolean quick) {
        int rounds = quick ? 200 : 2000;
        RunConfig c = Configs.of(CONFIG.formatted(remotes + 1), core);
        Simulation sim = new Simulation(c.seed());
        RunContext run = new RunContext(c, sim);
        Kernel kernel = run.kernel();
        Image image = kernel.newImage("shootdown", 4, remotes + 1, 4);
        Initiator main = new Initiator(remotes, image.dataBase(), rounds, run.machine().cpu(0));
        kernel.spawn(image, main); // the first process goes to CPU 0; its threads to the idle CPUs
        sim.run(c.limits().maxCycles());
        if (main.measured != rounds) {
            throw new IllegalStateException("shootdown with " + remotes + " remotes: " + main.measured + " of " + rounds + " rounds ran");
        }
        return (main.end - main.start) / (double) rounds / c.machine().cyclesPerNs() / 1000;
    }

    /** Discards and touches page 0 of its data, after starting the threads that keep the other CPUs in the process. */
    private static final class Initiator implements TaskProgram {
        private final int remotes;
        private final long page;
        private final int rounds;
        private final Cpu cpu;
        private int started;
        private int round = -1;
        private boolean discarded;
        private boolean done;
        int measured;
        long start;
        long end;

        Initiator(int remotes, long page, int rounds, Cpu cpu) {
            this.remotes = remotes;
            this.page = page;
            this.rounds = rounds;
            this.cpu = cpu;
        }

        @Override
        public Op next(RefBuffer b) {
            b.clear();
            if (started < remotes) {
                started++;
                return new Op.Clone(new Spinner(page + 4096L * started));
            }
            if (discarded) {
                discarded = false;
                b.add(page, 8, Cpu.WRITE); // faults: the page was discarded
                return Op.REFS;
            }
            round++;
            if (round == WARM_UP) {
                start = cpu.clock();
            } else if (round > WARM_UP) {
                measured++;
                end = cpu.clock();
            }
            if (measured == rounds) {
                done = true;
                return new Op.Exit(0);
            }
            discarded = true;
            return new Op.Discard(page, 4096);
        }

        /** A thread reading its own page until the initiator is done. */
        private final class Spinner implements TaskProgram {
            private final long own;

            Spinner(long own) {
                this.own = own;
            }

            @Override
            public Op next(RefBuffer b) {
                b.clear();
                if (done) {
                    return new Op.Exit(0);
                }
                for (int i = 0; i < 256; i++) {
                    b.add(own + 8L * (i & 511), 8, Cpu.READ);
                }
                return Op.REFS;
            }
        }
    }
}
