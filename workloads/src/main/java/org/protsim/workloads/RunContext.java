package org.protsim.workloads;

import org.protsim.core.Simulation;
import org.protsim.core.config.RunConfig;
import org.protsim.hw.Machine;
import org.protsim.os.Kernel;

/** What a workload may use of the run it is part of. The hardware is built on first use. */
public final class RunContext {
    private final RunConfig config;
    private final Simulation simulation;
    private final Plugins plugins;
    private Machine machine;
    private Kernel kernel;

    /** A run of protsim's built-in extensions. */
    public RunContext(RunConfig config, Simulation simulation) {
        this(config, simulation, Plugins.builtin());
    }

    /** A run whose parts are built, by the names in {@code config}, from {@code plugins}. */
    public RunContext(RunConfig config, Simulation simulation, Plugins plugins) {
        this.config = config;
        this.simulation = simulation;
        this.plugins = plugins;
    }

    public RunConfig config() {
        return config;
    }

    public Simulation simulation() {
        return simulation;
    }

    /** The extensions this run is built from. */
    public Plugins plugins() {
        return plugins;
    }

    /** The simulated machine; workloads that need no hardware (timer) never build it. */
    public Machine machine() {
        if (machine == null) {
            machine = new Machine(config.machine(), simulation, plugins.replacementPolicies());
        }
        return machine;
    }

    /** The simulated kernel on the machine, with the configured protection model; built on first use. */
    public Kernel kernel() {
        if (kernel == null) {
            kernel = new Kernel(config, simulation, machine(), plugins.extensions(), java.util.List.of());
        }
        return kernel;
    }
}
