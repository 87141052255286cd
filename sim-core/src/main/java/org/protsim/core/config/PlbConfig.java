package org.protsim.core.config;

/**
 * Protection lookaside buffer (Koldinger, Chase, Eggers: "Architectural support for single
 * address space operating systems", ASPLOS 1992): entries keyed by (protection domain,
 * region) holding access rights, used by models that check protection apart from translation.
 */
public record PlbConfig(int entries, int hitCycles, int missCycles) {
    // Defaults: a 64-entry fully associative PLB, hit in parallel with the TLB (0 cycles); a miss
    // costs a software or microcode lookup of the domain's rights, taken here as one L2 access (12 cycles)
    // plus a dozen cycles of compare logic.
    public static final PlbConfig DEFAULT = new PlbConfig(64, 0, 24);

    public PlbConfig {
        Check.positive("entries", entries);
        Check.nonNegative("hitCycles", hitCycles);
        Check.nonNegative("missCycles", missCycles);
    }
}
