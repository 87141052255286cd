package org.protsim.core.config;

import java.util.List;

/**
 * One TLB: {@code entries} in sets of {@code ways} (ways == entries is fully associative),
 * {@code hitCycles} added to a reference that hits here, a replacement policy and the page
 * sizes it may hold.
 *
 * @param replacement the registered name of a replacement policy ({@code lru}, {@code plru}, {@code random}
 *                    or a plugin's); the loader checks the name, and the ways against the policy
 */
public record TlbConfig(int entries, int ways, int hitCycles, String replacement, List<PageSize> pageSizes) {
    public TlbConfig {
        Check.positive("entries", entries);
        Check.positive("ways", ways);
        Check.that(entries % ways == 0, "ways", ways + " does not divide entries " + entries);
        Check.that(Integer.bitCount(entries / ways) == 1, "entries",
                entries + " / ways " + ways + " is not a power-of-two number of sets");
        Check.notBlank("replacement", replacement);
        Check.nonNegative("hitCycles", hitCycles);
        Check.notEmpty("pageSizes", pageSizes);
        Check.that(pageSizes.stream().distinct().count() == pageSizes.size(), "pageSizes", "lists a size twice");
        pageSizes = List.copyOf(pageSizes);
    }

    public int sets() {
        return entries / ways;
    }

    /** LRU, as Skylake's TLBs are modelled; every page size. */
    static TlbConfig of(int entries, int ways, int hitCycles) {
        return new TlbConfig(entries, ways, hitCycles, "lru", List.of(PageSize.values()));
    }
}
