package org.protsim.orchestration;

import org.protsim.core.Simulation;
import org.protsim.core.config.RunConfig;
import org.protsim.core.stats.Stats;
import org.protsim.workloads.Plugins;
import org.protsim.workloads.RunContext;
import org.protsim.workloads.Workload;
import org.protsim.workloads.Workloads;

/** Builds a run from its config, runs it to the end or its limit, and collects what it measured. */
public final class Runner {
    private Runner() {
    }

    /** Runs {@code config} with protsim's built-in extensions. */
    public static RunResult run(RunConfig config) {
        return run(config, Plugins.builtin());
    }

    /** Runs {@code config}, building its parts by name from {@code plugins}. */
    public static RunResult run(RunConfig config, Plugins plugins) {
        Simulation sim = new Simulation(config.seed());
        Stats stats = sim.stats();
        Workload workload = plugins.workload(config.workload());
        workload.start(new RunContext(config, sim, plugins));
        Simulation.StopReason reason = sim.run(config.limits().maxCycles());
        long cycles = sim.now();
        stats.counter("simulatedCycles", "cycles", "simulated time at the end of the run", () -> cycles);
        stats.counter("events", "events", "discrete events fired", sim::eventsFired);
        String why = switch (reason) {
            case QUEUE_EMPTY -> "finished";
            case CYCLE_LIMIT -> "limits.maxCycles";
            case STOPPED -> sim.stopRequest();
        };
        return new RunResult(config, stats.summary(why), stats.histograms(), cycles);
    }
}
