package org.protsim.core.config;

/**
 * The protection model and its parameters. Parameters that a model does not use are ignored
 * by it (so a sweep can vary {@code model.name} over one base config).
 *
 * @param asidPolicy   {@code pcid}: per-CPU slots (Linux x86) or global generations (arm64)
 * @param asidSlots    {@code pcid/percpu-slots}: ASID slots per CPU (Linux TLB_NR_DYN_ASIDS = 6,
 *                     docs/hardware-costs.md "x86 PCID")
 * @param asidBits     width of the ASIDs the model hands out ({@code pcid/generation}, {@code shared-asid},
 *                     {@code vas}); 8 as on ARC (docs/hardware-costs.md "ARC HS")
 * @param sharedSpaces {@code shared-asid}: shared spaces available; 32 as in one ARC implementation
 *                     (docs/hardware-costs.md "ARC shared spaces"), at most 64 (the subscription bitmap)
 * @param forkCopy     {@code sasos}: copy a forked child's writable pages eagerly or on first touch
 */
public record ModelConfig(ModelName name, AsidPolicy asidPolicy, int asidSlots, int asidBits, int sharedSpaces,
                          ForkCopy forkCopy) {
    public static final int MAX_SHARED_SPACES = 64;

    public static final ModelConfig DEFAULT =
            new ModelConfig(ModelName.CONVENTIONAL, AsidPolicy.PERCPU_SLOTS, 6, 8, 32, ForkCopy.EAGER);

    public ModelConfig {
        Check.that(name != null, "name", "must be given");
        Check.range("asidBits", asidBits, 2, 16);
        Check.range("asidSlots", asidSlots, 1, 4095); // slot i runs as PCID i; RunConfig checks the TLB's tag width
        Check.range("sharedSpaces", sharedSpaces, 0, MAX_SHARED_SPACES);
    }

    public ModelConfig withName(ModelName n) {
        return new ModelConfig(n, asidPolicy, asidSlots, asidBits, sharedSpaces, forkCopy);
    }
}
