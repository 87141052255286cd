package org.protsim.core.config;

/**
 * Per-CPU L1 data, L1 instruction and L2 caches, and the last-level cache all CPUs share.
 *
 * @param streamPrefetchLines how far ahead the L2 stream prefetcher runs, in lines: an L2 lookup
 *                            one line above the previous one starts filling the lines ahead of it,
 *                            within the 4 KiB page, into L2 and the LLC (Intel's L2 streamer runs
 *                            up to 20 lines ahead: docs/hardware-costs.md "L2 stream prefetcher").
 *                            0 (the default) is no prefetcher: the accounting protsim has always had
 */
public record CachesConfig(CacheConfig l1d, CacheConfig l1i, CacheConfig l2, CacheConfig llc,
                           int streamPrefetchLines) {
    // Defaults (docs/hardware-costs.md "Skylake caches"): Intel Skylake client (Intel 64 and IA-32
    // Architectures Optimization Reference Manual, table "Cache parameters of the Skylake
    // microarchitecture"; 7-cpu.com/cpu/Skylake.html latencies):
    // L1d/L1i 32 KiB 8-way 4 cycles, L2 256 KiB 4-way 12 cycles, L3 8 MiB 16-way ~42 cycles; 64-byte lines.
    public static final CachesConfig DEFAULT = new CachesConfig(
            new CacheConfig(32, 8, 64, 4, Indexing.VIPT),
            new CacheConfig(32, 8, 64, 4, Indexing.VIPT),
            new CacheConfig(256, 4, 64, 12, Indexing.PIPT),
            new CacheConfig(8192, 16, 64, 42, Indexing.PIPT),
            // none: validation does not call for it under the default core (README "Validation against
            // published measurements"), and a prefetcher would move every cache figure of the reference
            0);

    /** No prefetcher. */
    public CachesConfig(CacheConfig l1d, CacheConfig l1i, CacheConfig l2, CacheConfig llc) {
        this(l1d, l1i, l2, llc, 0);
    }

    public CachesConfig {
        Check.that(l1d.lineBytes() == l2.lineBytes() && l2.lineBytes() == llc.lineBytes()
                && l1i.lineBytes() == l2.lineBytes(), "l2.lineBytes", "all caches must have the same line size");
        Check.that(l2.indexing() != Indexing.VIVT, "l2.indexing", "vivt is only modelled for L1 caches");
        Check.that(llc.indexing() != Indexing.VIVT, "llc.indexing", "vivt is only modelled for L1 caches");
        Check.that(l1d.hitCycles() <= l2.hitCycles() && l2.hitCycles() <= llc.hitCycles(), "llc.hitCycles",
                "latencies must not decrease from L1 to LLC");
        Check.range("streamPrefetchLines", streamPrefetchLines, 0, 64);
    }
}
