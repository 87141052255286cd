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
 * Lutomirski's two-process ping-pong on one CPU, as protsim can pose it: each round a process
 * runs its loop (fetches over two pages of its text and two of library code, words of its stack
 * and its buffer: the few user pages a pipe round trip touches), makes a null call (the
 * {@code write}) and yields to the other (the blocking {@code read}: a cross-process switch).
 * Run under {@code conventional} (the switch flushes every non-global entry) and {@code pcid}
 * (both processes stay tagged); the kernel's text is global in both. On the default Skylake.
 */
final class PcidPingPong implements Experiment {
    private static final String CONFIG = """
            {"machine": {"cpus": 1}, "model": {"name": "%s"}}""";
    private static final int WARM_UP = 100;

    /** The saving per switch in ns, and the conventional time per switch in ns. */
    record Outcome(double savingNs, double conventionalNs) {
    }

    private final boolean share;

    /** @param share report the saving as a share of the switch's time, rather than in ns */
    PcidPingPong(boolean share) {
        this.share = share;
    }

    @Override
    public String id() {
        return share ? "pcid-ping-pong-share" : "pcid-ping-pong-saving";
    }

    @Override
    public Published published() {
        return share
                ? new Published("PCID's saving as a share of a ping-pong switch (\"at best a little over 10%\")",
                "%", 10, 12, "A. Lutomirski, x86/mm PCID patch set, cover letter (2016)",
                "Skylake laptop, two-process pipe ping-pong")
                : new Published("time PCID saves per cross-process switch, two-process ping-pong", "ns", 100, 100,
                "A. Lutomirski, x86/mm PCID patch set, cover letter (2016): \"about 100ns\"",
                "Skylake laptop, two-process pipe ping-pong");
    }


    @Override
    public String basisNote() {
        return "refills after a flush: TLB sizes, walks and caches; no constant fitted";
    }



    @Override
    public double predict(CoreConfig core, boolean quick) {
        Outcome o = run(core, quick ? 2_000 : 20_000);
        return share ? 100 * o.savingNs() / o.conventionalNs() : o.savingNs();
    }

    static Outcome run(CoreConfig core, int rounds) {
        double conventional = nsPerSwitch("conventional", core, rounds);
        double pcid = nsPerSwitch("pcid", core, rounds);
        return new Outcome(conventional - pcid, conventional);
    }

    /** Time per switch: the CPU's time over the measured rounds, two switches a round (one per process). */
    private static double nsPerSwitch(String model, CoreConfig core, int rounds) {
        RunConfig c = Configs.of(CONFIG.formatted(model), core);
        Simulation sim = new Simulation(c.seed());
        RunContext run = new RunContext(c, sim);
        Kernel kernel = run.kernel();
        Cpu cpu = run.machine().cpu(0);
        Player[] players = new Player[2];
        for (int i = 0; i < 2; i++) {
            Image image = kernel.newImage("ping-pong-" + i, 4, 2, 4);
            players[i] = new Player(image, rounds, cpu);
            kernel.spawn(image, players[i]);
        }
        sim.run(c.limits().maxCycles());
        Player first = players[0];
        return (first.end - first.start) / (2.0 * rounds) / c.machine().cyclesPerNs();
    }

    /** One side of the ping-pong. */
    private static final class Player implements TaskProgram {
        private final long text;
        private final long data;
        private final int rounds;
        private final Cpu cpu;
        private int round;
        private int step;
        long start;
        long end;

        Player(Image image, int rounds, Cpu cpu) {
            this.text = image.textBase();
            this.data = image.dataBase();
            this.rounds = rounds;
            this.cpu = cpu;
        }

        @Override
        public Op next(RefBuffer b) {
            b.clear();
            switch (step++ % 3) {
                case 0 -> {
                    if (round == WARM_UP) {
                        start = cpu.clock();
                    }
                    if (round == WARM_UP + rounds) {
                        end = cpu.clock();
                        return new Op.Exit(0);
                    }
                    round++;
                    // the loop and the libc wrappers: 4 stretches of 16 instructions, one per text page;
                    // then the stack and the buffer, 8 words each
                    for (int page = 0; page < 4; page++) {
                        for (int i = 0; i < 16; i++) {
                            b.add(text + page * 4096L + 256 + 4L * i, 4, Cpu.EXECUTE);
                        }
                    }
                    for (int i = 0; i < 8; i++) {
                        b.add(data + 8L * i, 8, Cpu.WRITE);
                        b.add(data + 4096 + 64 + 8L * i, 8, Cpu.READ);
                    }
                    return Op.REFS;
                }
                case 1 -> {
                    return new Op.Brk(0); // the write: a call that does not block
                }
                default -> {
                    return new Op.Yield(); // the read: blocks until the other side writes
                }
            }
        }
    }
}
