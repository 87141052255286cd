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
 * A null system call in a loop (sched_yield with nothing else to run, protsim's cheapest call:
 * entry, the kernel's own text references, exit), on a Haswell-like machine without page-table
 * isolation, which protsim does not model. The figure is the time per call.
 */
final class NullSyscall implements Experiment {
    private static final String CONFIG = """
            {"machine": {"cpus": 1, "tlb": {"l2": {"entries": 1024, "ways": 8, "hitCycles": 12}}},
             "model": {"name": "pcid"}}""";
    private static final int WARM_UP = 100;

    @Override
    public String id() {
        return "null-syscall";
    }

    @Override
    public Published published() {
        return new Published("null system call (getppid), PCID, no page-table isolation", "ns", 339, 339,
                "FreeBSD review D13985 (2018), getppid benchmark", "Haswell with INVPCID");
    }


    @Override
    public String basisNote() {
        return "syscallCycles (300) bounded by a KVM-guest null syscall (tools/costs, 154 ns), not fitted to FreeBSD";
    }



    @Override
    public double predict(CoreConfig core, boolean quick) {
        int calls = quick ? 2_000 : 20_000;
        RunConfig c = Configs.of(CONFIG, core);
        Simulation sim = new Simulation(c.seed());
        RunContext run = new RunContext(c, sim);
        Kernel kernel = run.kernel();
        Caller caller = new Caller(calls, run.machine().cpu(0));
        kernel.spawn(kernel.newImage("syscalls", 4, 4, 4), caller);
        sim.run(c.limits().maxCycles());
        return (caller.end - caller.start) / (double) calls / c.machine().cyclesPerNs();
    }

    private static final class Caller implements TaskProgram {
        private final int calls;
        private final Cpu cpu;
        private int made;
        long start;
        long end;

        Caller(int calls, Cpu cpu) {
            this.calls = calls;
            this.cpu = cpu;
        }

        @Override
        public Op next(RefBuffer b) {
            b.clear();
            if (made == WARM_UP) {
                start = cpu.clock();
            }
            if (made == WARM_UP + calls) {
                end = cpu.clock();
                return new Op.Exit(0);
            }
            made++;
            return new Op.Yield();
        }
    }
}
