package org.protsim.core.config;

/**
 * The parameters of the built-in protection models, one record for all five. Parameters that a
 * model does not use are ignored by it (so a sweep can vary {@code model.name} over the built-in
 * models with one base config). A plugin's model has a record of its own.
 *
 * @param name         one of the built-in models ({@link ModelName})
 * @param asidPolicy   {@code pcid}: per-CPU slots (Linux x86) or global generations (arm64)
 * @param asidSlots    {@code pcid/percpu-slots}: ASID slots per CPU (Linux TLB_NR_DYN_ASIDS = 6,
 *                     docs/hardware-costs.md "x86 PCID")
 * @param asidBits     width of the ASIDs the model hands out ({@code pcid/generation}, {@code shared-asid},
 *                     {@code vas}); 8 as on ARC (docs/hardware-costs.md "ARC HS")
 * @param sharedSpaces {@code shared-asid}: shared spaces available; 32 as in one ARC implementation
 *                     (docs/hardware-costs.md "ARC shared spaces"), at most 64 (the subscription bitmap)
 * @param forkCopy     {@code sasos}: copy a forked child's writable pages eagerly or on first touch
 */
public record ModelConfig(String name, AsidPolicy asidPolicy, int asidSlots, int asidBits, int sharedSpaces,
                          ForkCopy forkCopy) implements ProtectionModelConfig {
    public static final int MAX_SHARED_SPACES = 64;

    public static final ModelConfig DEFAULT =
            new ModelConfig(ModelName.CONVENTIONAL, AsidPolicy.PERCPU_SLOTS, 6, 8, 32, ForkCopy.EAGER);

    public ModelConfig {
        Check.that(name != null && ModelName.fromJson(name) != null, "name",
                (name == null ? "nothing" : "\"" + name + "\"") + " is not a built-in model");
        Check.range("asidBits", asidBits, 2, 16);
        Check.range("asidSlots", asidSlots, 1, 4095); // slot i runs as PCID i; RunConfig checks the TLB's tag width
        Check.range("sharedSpaces", sharedSpaces, 0, MAX_SHARED_SPACES);
    }

    /** The same parameters for built-in model {@code n}. */
    public ModelConfig(ModelName n, AsidPolicy asidPolicy, int asidSlots, int asidBits, int sharedSpaces,
                       ForkCopy forkCopy) {
        this(n.json(), asidPolicy, asidSlots, asidBits, sharedSpaces, forkCopy);
    }

    public ModelConfig withName(ModelName n) {
        return new ModelConfig(n.json(), asidPolicy, asidSlots, asidBits, sharedSpaces, forkCopy);
    }

    /** The built-in model this record configures. */
    public ModelName model() {
        return ModelName.fromJson(name);
    }

    @Override
    public void check(MachineConfig machine) {
        Check.that(asidBits <= machine.tlb().asidBits(), "model.asidBits",
                asidBits + " exceeds the TLB's tag width machine.tlb.asidBits " + machine.tlb().asidBits());
        Check.that(asidSlots < 1L << machine.tlb().asidBits(), "model.asidSlots",
                asidSlots + " slots need ASIDs 1.." + asidSlots + ", beyond machine.tlb.asidBits "
                        + machine.tlb().asidBits());
        // sasos puts every process in its own 2^47-byte space, the user half of a 48-bit address
        // space, so space IDs need the 9 extra bits of 5-level (57-bit) paging.
        Check.that(model() != ModelName.SASOS || machine.walker().levels() == 5, "machine.walker.levels",
                machine.walker().levels() + " gives 48-bit addresses; sasos needs 5 (57-bit) for its space IDs");
    }

    @Override
    public MachineConfig machineDefaults(MachineConfig m) {
        if (model() != ModelName.SASOS) {
            return m;
        }
        return m.withWalker(new WalkerConfig(5, m.walker().pwc()));
    }
}
