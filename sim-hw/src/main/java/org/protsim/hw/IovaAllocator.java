package org.protsim.hw;

import org.protsim.core.config.IommuConfig;

import java.util.Arrays;

/**
 * One I/O address space's IOVA allocator, after Linux drivers/iommu/iova.c, with a cost for
 * each operation from the work it did.
 *
 * <p>The global allocator keeps allocated ranges (in pages) ordered by address, as Linux's
 * red-black tree does, behind one lock. {@code alloc_iova} searches top-down from the cached
 * node (the last allocation, or the node above the last free below it), stepping to lower
 * neighbours until a gap fits; if the search falls below the space it starts once more from the
 * top. Each node examined is one tree step; inserting and erasing a node cost a path of
 * log2(n) steps. Sizes are rounded to a power of two and aligned to it (Linux's size_aligned).
 *
 * <p>In front of it, per CPU and per size order, a loaded and a previous magazine of freed IOVAs
 * and a shared depot of full magazines (Bonwick's magazines, as Linux's iova_rcache): an
 * allocation pops from the local magazines, then swaps in a full one from the depot, and only
 * then takes the global lock. Peleg et al. (ATC 2015) and Malka et al. (FAST 2015) measured the
 * global allocator as strict mode's bottleneck (docs/hardware-costs.md "IOVA allocation").
 *
 * <p>Ranges are stored in primitive arrays (pfn start and end, sorted); the simulated cost
 * counts tree steps, not the array moves that stand in for rebalancing.
 */
public final class IovaAllocator {
    private final IommuConfig.Iova config;
    private final long limitPfn;       // highest allocatable page number
    private final long startPfn = 1;   // page 0 is never handed out, so IOVA 0 is never valid

    // the global allocator: ranges [lo, hi] sorted by lo, n of them
    private long[] lo = new long[64];
    private long[] hi = new long[64];
    private int n;
    private int cached;                // index of the cached node; n means the anchor above the space

    // rcache: [cpu][order] loaded and previous magazines with their fill counts, and per-order depots
    private final long[][][] loaded;
    private final int[][] loadedCount;
    private final long[][][] prev;
    private final int[][] prevCount;
    private final long[][][] depot;    // [order][slot]: full magazines
    private final int[] depotCount;

    private long lastCycles;
    private long globalAllocs;
    private long cacheHits;
    private long treeSteps;

    public IovaAllocator(IommuConfig.Iova config, int cpus) {
        this.config = config;
        this.limitPfn = (1L << (config.addressBits() - 12)) - 1;
        int orders = config.cachedOrders();
        int m = config.magazineEntries();
        loaded = new long[cpus][orders][m];
        prev = new long[cpus][orders][m];
        loadedCount = new int[cpus][orders];
        prevCount = new int[cpus][orders];
        depot = new long[orders][config.depotMagazines()][];
        depotCount = new int[orders];
        cached = 0;
    }

    /** CPU cycles the last {@link #alloc} or {@link #free} cost. */
    public long lastCycles() {
        return lastCycles;
    }

    /** Allocations and frees served by the global tree (under its lock). */
    public long globalOperations() {
        return globalAllocs;
    }

    /** Allocations and frees served by the per-CPU caches. */
    public long cacheHits() {
        return cacheHits;
    }

    public long treeSteps() {
        return treeSteps;
    }

    /** Ranges allocated in the global tree (cached IOVAs count as allocated there, as in Linux). */
    public int treeRanges() {
        return n;
    }

    /** Pages an allocation of {@code pages} really takes: the next power of two. */
    public static long roundedPages(long pages) {
        return Long.highestOneBit(pages) == pages ? pages : Long.highestOneBit(pages) << 1;
    }

    /**
     * Allocates {@code pages} pages of IOVA space on CPU {@code cpu}; returns the first page
     * number (IOVA >>> 12), or -1 if the space is exhausted. Cost in {@link #lastCycles()}.
     */
    public long alloc(int cpu, long pages) {
        if (pages <= 0) {
            throw new IllegalArgumentException("allocation of " + pages + " pages");
        }
        long size = roundedPages(pages);
        int order = Long.numberOfTrailingZeros(size);
        if (config.perCpuCache() && order < config.cachedOrders()) {
            long pfn = cacheGet(cpu, order);
            if (pfn >= 0) {
                cacheHits++;
                lastCycles = config.cacheCycles();
                return pfn;
            }
            // a miss in the magazines costs their inspection before the global path
            lastCycles = config.cacheCycles() + globalAlloc(size);
        } else {
            lastCycles = globalAlloc(size);
        }
        return lastPfn;
    }

    /** Frees the range that {@link #alloc} returned for {@code pages} pages at {@code pfn}, on CPU {@code cpu}. */
    public void free(int cpu, long pfn, long pages) {
        long size = roundedPages(pages);
        int order = Long.numberOfTrailingZeros(size);
        if (config.perCpuCache() && order < config.cachedOrders()) {
            long spill = cacheInsert(cpu, order, pfn);
            cacheHits++;
            lastCycles = config.cacheCycles() + spill;
            return;
        }
        lastCycles = globalFree(pfn);
    }

    // ---- global allocator

    private long lastPfn;

    /** alloc_iova: returns its cycles; the page number (or -1) in lastPfn. */
    private long globalAlloc(long size) {
        globalAllocs++;
        long steps = 0;
        long alignMask = ~(size - 1);
        int curr = cached;
        long high = limitPfn + 1;
        boolean retried = false;
        long newPfn;
        while (true) {
            long currLo = curr == n ? limitPfn + 1 : lo[curr];
            high = Math.min(high, currLo);
            newPfn = (high - size) & alignMask;
            steps++;
            int below = curr - 1;
            if (high - size < startPfn || newPfn < startPfn) {
                newPfn = -1;
            } else if (below < 0 || newPfn > hi[below]) {
                break; // the gap between node "below" and node "curr" fits
            }
            if (newPfn < 0) {
                if (retried) {
                    lastPfn = -1;
                    return cost(steps);
                }
                // Linux retries once from the top of the space
                retried = true;
                curr = n;
                high = limitPfn + 1;
                continue;
            }
            curr = below;
        }
        insertAt(curr, newPfn, newPfn + size - 1);
        cached = curr; // the new node is the cached node (Linux __cached_rbnode_insert_update)
        steps += log2(n);
        lastPfn = newPfn;
        return cost(steps);
    }

    private long globalFree(long pfn) {
        globalAllocs++;
        int i = Arrays.binarySearch(lo, 0, n, pfn);
        if (i < 0) {
            throw new IllegalStateException("IOVA page 0x" + Long.toHexString(pfn) + " is not allocated");
        }
        long steps = 2L * log2(n); // find_iova, then the erase's rebalancing path
        // __cached_rbnode_delete_update: a free at or above the cached node moves it to the freed node's successor
        if (cached < n && lo[i] >= lo[cached]) {
            cached = i; // after removal, index i holds the successor (or is n: the anchor)
        } else if (cached > i) {
            cached--;
        }
        removeAt(i);
        return cost(steps);
    }

    private long cost(long steps) {
        treeSteps += steps;
        return config.lockCycles() + steps * config.treeStepCycles();
    }

    private static long log2(int count) {
        return 64 - Long.numberOfLeadingZeros(count); // nodes on the path from root to a leaf, about
    }

    private void insertAt(int i, long l, long h) {
        if (n == lo.length) {
            lo = Arrays.copyOf(lo, n * 2);
            hi = Arrays.copyOf(hi, n * 2);
        }
        System.arraycopy(lo, i, lo, i + 1, n - i);
        System.arraycopy(hi, i, hi, i + 1, n - i);
        lo[i] = l;
        hi[i] = h;
        n++;
    }

    private void removeAt(int i) {
        System.arraycopy(lo, i + 1, lo, i, n - i - 1);
        System.arraycopy(hi, i + 1, hi, i, n - i - 1);
        n--;
    }

    // ---- per-CPU caches (__iova_rcache_get / __iova_rcache_insert)

    private long cacheGet(int cpu, int order) {
        if (loadedCount[cpu][order] == 0) {
            if (prevCount[cpu][order] > 0) {
                swap(cpu, order);
            } else if (depotCount[order] > 0) {
                // the empty loaded magazine goes back to the depot's slot; the full one comes out
                int d = --depotCount[order];
                long[] full = depot[order][d];
                depot[order][d] = loaded[cpu][order];
                loaded[cpu][order] = full;
                loadedCount[cpu][order] = config.magazineEntries();
            } else {
                return -1;
            }
        }
        return loaded[cpu][order][--loadedCount[cpu][order]];
    }

    /** Pushes a freed IOVA; returns the extra cycles if a full magazine had to be emptied into the tree. */
    private long cacheInsert(int cpu, int order, long pfn) {
        int m = config.magazineEntries();
        long extra = 0;
        if (loadedCount[cpu][order] == m) {
            if (prevCount[cpu][order] < m) {
                swap(cpu, order);
            } else if (depotCount[order] < config.depotMagazines()) {
                int d = depotCount[order]++;
                long[] empty = depot[order][d];
                depot[order][d] = loaded[cpu][order];
                loaded[cpu][order] = empty != null ? empty : new long[m];
                loadedCount[cpu][order] = 0;
            } else {
                // depot full: the loaded magazine's IOVAs go back to the tree (iova_magazine_free_pfns)
                long[] mag = loaded[cpu][order];
                for (int k = 0; k < m; k++) {
                    extra += globalFree(mag[k]);
                }
                loadedCount[cpu][order] = 0;
            }
        }
        loaded[cpu][order][loadedCount[cpu][order]++] = pfn;
        return extra;
    }

    private void swap(int cpu, int order) {
        long[] t = loaded[cpu][order];
        loaded[cpu][order] = prev[cpu][order];
        prev[cpu][order] = t;
        int c = loadedCount[cpu][order];
        loadedCount[cpu][order] = prevCount[cpu][order];
        prevCount[cpu][order] = c;
    }
}
