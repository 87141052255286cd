package org.protsim.workloads;

import org.protsim.core.config.ConfigLoader;
import org.protsim.core.config.WorkloadConfig;
import org.protsim.core.config.WorkloadTypes;

/** Shorthands for harnesses that use protsim's built-in extensions only (see {@link Plugins}). */
public final class Workloads {
    private Workloads() {
    }

    /** The built-in workload types; {@code timer} is the default, being the one that needs no input. */
    public static WorkloadTypes types() {
        return loader().workloadTypes();
    }

    /** A loader that knows every built-in workload type and replacement policy. */
    public static ConfigLoader loader() {
        return Plugins.builtin().loader();
    }

    /** Builds the workload of {@code config} and starts it on {@code run} (for harnesses that drive runs). */
    public static void start(WorkloadConfig config, RunContext run) {
        run.plugins().workload(config).start(run);
    }
}
