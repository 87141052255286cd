package org.protsim.core.config;

/**
 * Page-walk caches: one per upper level of the radix table (e.g. PML4E, PDPTE and PDE caches
 * on x86-64), each holding {@code entries} pointers to next-level tables, tagged like TLB entries.
 */
public record PwcConfig(int entries, int ways, int hitCycles) {
    public PwcConfig {
        Check.nonNegative("entries", entries);
        Check.positive("ways", ways);
        Check.that(entries == 0 || entries % ways == 0, "ways", ways + " does not divide entries " + entries);
        Check.that(entries == 0 || Integer.bitCount(entries / ways) == 1, "entries",
                entries + " / ways " + ways + " is not a power-of-two number of sets");
        Check.nonNegative("hitCycles", hitCycles);
    }
}
