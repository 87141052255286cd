package org.protsim.core.config;

/**
 * A whole run: root seed, machine, protection model, kernel, workload and limits. Every
 * field has a default (see {@link ConfigLoader}), so a file holding only a workload is a
 * complete config.
 */
public record RunConfig(long seed, MachineConfig machine, ProtectionModelConfig model, KernelConfig kernel,
                        WorkloadConfig workload, LimitsConfig limits) {
    public static final long DEFAULT_SEED = 1;

    public RunConfig {
        Check.that(machine != null, "machine", "must be given");
        Check.that(model != null, "model", "must be given");
        Check.that(kernel != null, "kernel", "must be given");
        Check.that(workload != null, "workload", "must be given");
        Check.that(limits != null, "limits", "must be given");
        model.check(machine);
    }

    /** The defaults for a run of {@code workloadDefaults} under the model of {@code modelDefaults}. */
    public static RunConfig defaults(ProtectionModelConfig modelDefaults, WorkloadConfig workloadDefaults) {
        return new RunConfig(DEFAULT_SEED, modelDefaults.machineDefaults(MachineConfig.DEFAULT), modelDefaults,
                KernelConfig.DEFAULT, workloadDefaults, LimitsConfig.DEFAULT);
    }
}
