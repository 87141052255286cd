package org.protsim.core.config;

/**
 * A whole run: root seed, machine, protection model, kernel, workload and limits. Every
 * field has a default (see {@link ConfigLoader}), so a file holding only a workload is a
 * complete config.
 */
public record RunConfig(long seed, MachineConfig machine, ModelConfig model, KernelConfig kernel,
                        WorkloadConfig workload, LimitsConfig limits) {
    public static final long DEFAULT_SEED = 1;

    public RunConfig {
        Check.that(machine != null, "machine", "must be given");
        Check.that(model != null, "model", "must be given");
        Check.that(kernel != null, "kernel", "must be given");
        Check.that(workload != null, "workload", "must be given");
        Check.that(limits != null, "limits", "must be given");
        Check.that(model.asidBits() <= machine.tlb().asidBits(), "model.asidBits",
                model.asidBits() + " exceeds the TLB's tag width machine.tlb.asidBits " + machine.tlb().asidBits());
        Check.that(model.asidSlots() < 1L << machine.tlb().asidBits(), "model.asidSlots",
                model.asidSlots() + " slots need ASIDs 1.." + model.asidSlots() + ", beyond machine.tlb.asidBits "
                        + machine.tlb().asidBits());
        // sasos puts every process in its own 2^47-byte space, the user half of a 48-bit address
        // space, so space IDs need the 9 extra bits of 5-level (57-bit) paging.
        Check.that(model.name() != ModelName.SASOS || machine.walker().levels() == 5, "machine.walker.levels",
                machine.walker().levels() + " gives 48-bit addresses; sasos needs 5 (57-bit) for its space IDs");
    }

    /** The defaults for a run of {@code workloadDefaults} under {@code model}. */
    public static RunConfig defaults(ModelName model, WorkloadConfig workloadDefaults) {
        MachineConfig m = MachineConfig.DEFAULT;
        if (model == ModelName.SASOS) {
            m = m.withWalker(new WalkerConfig(5, m.walker().pwc()));
        }
        return new RunConfig(DEFAULT_SEED, m, ModelConfig.DEFAULT.withName(model), KernelConfig.DEFAULT,
                workloadDefaults, LimitsConfig.DEFAULT);
    }
}
