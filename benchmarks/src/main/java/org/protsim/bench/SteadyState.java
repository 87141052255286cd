package org.protsim.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.protsim.core.Simulation;
import org.protsim.core.config.RunConfig;
import org.protsim.hw.Machine;
import org.protsim.workloads.RunContext;
import org.protsim.workloads.Workloads;

import java.util.List;

/**
 * A simulation set up once, warmed past its start-up and then advanced by fixed stretches of
 * simulated time: what the steady-state benchmarks measure per invocation.
 */
final class SteadyState {
    private final Simulation sim;
    private final Machine machine;
    private final boolean countKernel;

    /**
     * Starts the workload of {@code json} with {@code sets} applied and runs it {@code warmCycles}.
     * {@code countKernel}: count the kernel's references beside the workload's.
     */
    SteadyState(String json, List<String> sets, long warmCycles, boolean countKernel) throws Exception {
        RunConfig c = Workloads.loader().fromTree(new ObjectMapper().readTree(json), sets);
        this.sim = new Simulation(c.seed());
        RunContext run = new RunContext(c, sim);
        Workloads.start(c.workload(), run);
        this.machine = run.machine();
        this.countKernel = countKernel;
        sim.run(warmCycles);
    }

    private long references() {
        long n = 0;
        for (int i = 0; i < machine.cpuCount(); i++) {
            n += machine.cpu(i).references() + (countKernel ? machine.cpu(i).kernelReferences() : 0);
        }
        return n;
    }

    /** Runs {@code cycles} more simulated cycles; returns the references made in them. */
    long advance(long cycles) {
        long before = references();
        sim.run(sim.now() + cycles);
        return references() - before;
    }
}
