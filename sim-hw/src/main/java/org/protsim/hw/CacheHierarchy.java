package org.protsim.hw;

/**
 * One CPU's view of the caches: private L1 data, L1 instruction and L2, then the shared
 * last-level cache, then DRAM. A reference costs the load-to-use latency of the first level
 * that hits (the configured hitCycles are totals, as published latencies are), and fills
 * every level it missed on the way. The frame's cache attribute is respected: uncached
 * accesses go to memory, write-combining writes are posted to a buffer. An uncached read of a line
 * that a write-back mapping of the same frame left in a cache reads memory, not the cached copy:
 * on real hardware a cache-attribute alias loses coherence (Intel SDM vol. 3 section 11.12.4), so
 * such reads are counted as stale ({@link #staleReads}).
 *
 * <p>With a {@link CoherenceDirectory} attached to the private caches, a write hit on a shared
 * line costs the LLC's latency (the upgrade goes to the directory at the shared level and waits
 * for the other copies to go), and a miss on a line another CPU modified finds it in the LLC.
 * Uncached and write-combining accesses bypass the caches and so coherence too.
 */
public final class CacheHierarchy implements WalkMemory {
    private final Cache l1d;
    private final Cache l1i;
    private final Cache l2;
    private final Cache llc;
    private final int lineShift;
    private final int memoryCycles;
    private long memoryAccesses;
    private long uncachedAccesses;
    private long staleReads;
    private final int prefetchLines;
    private final long linesPerPageMask;
    private long lastL2Line = -2;
    private long prefetchedTo = -1;
    private long prefetches;

    public CacheHierarchy(Cache l1d, Cache l1i, Cache l2, Cache llc, int lineBytes, int memoryCycles) {
        this(l1d, l1i, l2, llc, lineBytes, memoryCycles, 0);
    }

    /**
     * @param prefetchLines lines the L2 stream prefetcher runs ahead (0: none); see
     *                      {@link org.protsim.core.config.CachesConfig#streamPrefetchLines}
     */
    public CacheHierarchy(Cache l1d, Cache l1i, Cache l2, Cache llc, int lineBytes, int memoryCycles,
                          int prefetchLines) {
        this.prefetchLines = prefetchLines;
        this.linesPerPageMask = ~((4096L / lineBytes) - 1);
        this.l1d = l1d;
        this.l1i = l1i;
        this.l2 = l2;
        this.llc = llc;
        this.lineShift = Integer.numberOfTrailingZeros(lineBytes);
        this.memoryCycles = memoryCycles;
        l1d.setNext(l2);
        l1i.setNext(l2);
        l2.setNext(llc);
    }

    public int lineShift() {
        return lineShift;
    }

    /** A reference to one line: returns its latency in cycles. */
    public int access(long va, long pa, boolean instruction, boolean write, int attribute) {
        if (attribute != Pte.WRITE_BACK) {
            uncachedAccesses++;
            if (attribute == Pte.WRITE_COMBINING && write) {
                return l1d.hitCycles(); // posted to the write-combining buffer
            }
            if (!write && cachedCopy(va, pa)) {
                staleReads++;
            }
            memoryAccesses++;
            return memoryCycles;
        }
        Cache l1 = instruction ? l1i : l1d;
        long pLine = pa >>> lineShift;
        long vLine = va >>> lineShift;
        if (l1.access(l1.virtuallyIndexed() ? vLine : pLine, l1.virtuallyTagged() ? vLine : pLine, pLine, write)) {
            if (write && l1.upgraded) {
                l1.upgraded = false;
                return llc.hitCycles();
            }
            return l1.hitCycles();
        }
        return beyondL1(pLine);
    }

    /** Whether this CPU's data caches or the shared LLC hold the line of {@code pa} (a snoop, no state change). */
    private boolean cachedCopy(long va, long pa) {
        long pLine = pa >>> lineShift;
        long vLine = va >>> lineShift;
        return l1d.holds(l1d.virtuallyIndexed() ? vLine : pLine, l1d.virtuallyTagged() ? vLine : pLine)
                || l2.holds(pLine, pLine) || llc.holds(pLine, pLine);
    }

    /** A page walker's read of a page-table entry at physical address {@code pa}: through the data caches. */
    @Override
    public int walkerAccess(long pa) {
        long pLine = pa >>> lineShift;
        if (!l1d.virtuallyTagged()) {
            // a VIPT L1 indexed by a physical address: the walker has no virtual address, and for
            // the geometries where VIPT equals PIPT (index bits within the page offset) this is exact
            if (l1d.access(pLine, pLine, pLine, false)) {
                return l1d.hitCycles();
            }
        }
        return beyondL1(pLine);
    }

    private int beyondL1(long pLine) {
        if (prefetchLines > 0) {
            stream(pLine);
        }
        if (l2.access(pLine, pLine, pLine, false)) {
            return l2.hitCycles();
        }
        if (llc.access(pLine, pLine, pLine, false)) {
            return llc.hitCycles();
        }
        memoryAccesses++;
        return memoryCycles;
    }

    /**
     * Intel's L2 streamer (Optimization Reference Manual, "Data prefetch to the L2 and last level
     * cache"): an L2 lookup at the line after the previous lookup is an ascending stream; the lines
     * up to {@code prefetchLines} ahead, not past the 4 KiB page, are filled into L2 and the LLC.
     * They are taken to arrive before they are used (the stream is slower than memory), and cost
     * the CPU nothing: the prefetcher works beside it. One stream per CPU, ascending only.
     */
    private void stream(long pLine) {
        if (pLine == lastL2Line + 1 && (pLine & linesPerPageMask) == (lastL2Line & linesPerPageMask)) {
            long to = Math.min(pLine + prefetchLines, (pLine | ~linesPerPageMask));
            // lines this stream already asked for are not asked for again
            long from = prefetchedTo >= pLine && prefetchedTo <= to ? prefetchedTo + 1 : pLine + 1;
            for (long l = from; l <= to; l++) {
                llc.prefetch(l);
                if (l2.prefetch(l)) {
                    prefetches++;
                }
            }
            prefetchedTo = to;
        }
        lastL2Line = pLine;
    }

    /** Lines the stream prefetcher filled into L2. */
    public long prefetches() {
        return prefetches;
    }

    public Cache l1d() {
        return l1d;
    }

    public Cache l1i() {
        return l1i;
    }

    public Cache l2() {
        return l2;
    }

    public Cache llc() {
        return llc;
    }

    public long memoryAccesses() {
        return memoryAccesses;
    }

    public long uncachedAccesses() {
        return uncachedAccesses;
    }

    /** Uncached reads of a line a cache held: what an attribute alias makes a reader see wrong. */
    public long staleReads() {
        return staleReads;
    }
}
