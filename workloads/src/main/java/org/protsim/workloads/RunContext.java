package org.protsim.workloads;

import org.protsim.core.Simulation;
import org.protsim.core.config.RunConfig;
import org.protsim.hw.Machine;
import org.protsim.os.Kernel;

/** What a workload may use of the run it is part of. The hardware is built on first use. */
public final class RunContext {
    private final RunConfig config;
    private final Simulation simulation;
    private Machine machine;
    private Kernel kernel;

    public RunContext(RunConfig config, Simulation simulation) {
        this.config = config;
        this.simulation = simulation;
    }

    public RunConfig config() {
        return config;
    }

    public Simulation simulation() {
        return simulation;
    }

    /** The simulated machine; workloads that need no hardware (timer) never build it. */
    public Machine machine() {
        if (machine == null) {
            machine = new Machine(config.machine(), simulation);
        }
        return machine;
    }

    /** The simulated kernel on the machine, with the configured protection model; built on first use. */
    public Kernel kernel() {
        if (kernel == null) {
            kernel = new Kernel(config, simulation, machine());
        }
        return kernel;
    }
}
