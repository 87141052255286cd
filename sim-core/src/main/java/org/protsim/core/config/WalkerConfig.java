package org.protsim.core.config;

/** The hardware page-table walker: radix depth (4 = 48-bit, 5 = 57-bit virtual addresses) and its walk caches. */
public record WalkerConfig(int levels, PwcConfig pwc) {
    // Defaults: 4-level paging; walk caches of 16 entries per upper level, after the 16-entry PDE cache
    // of AMD's Family 16h guide (docs/hardware-costs.md "page walkers").
    public static final WalkerConfig DEFAULT = new WalkerConfig(4, new PwcConfig(16, 4, 1));

    public WalkerConfig {
        Check.range("levels", levels, 4, 5);
    }

    /** Width of a virtual address in bits. */
    public int virtualAddressBits() {
        return 12 + 9 * levels;
    }
}
