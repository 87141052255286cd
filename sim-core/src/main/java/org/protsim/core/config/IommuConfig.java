package org.protsim.core.config;

import java.util.List;

/**
 * An IOMMU (Intel VT-d remapping unit, ARM SMMUv3): per-device I/O page tables, an IOTLB,
 * walk caches, the driver's IOVA allocator, the invalidation queue and Linux's deferred flush
 * queue. Every field is a primitive size or cost; what an unmap costs in total (Malka et al.
 * measured about 2,100 cycles strict, docs/hardware-costs.md "strict unmap on Intel VT-d") comes out of the
 * simulation from these, it is not set here.
 *
 * @param iotlb         the IOTLB, entries tagged by protection domain
 * @param walkCache     caches of upper-level I/O page-table entries (0 entries: none)
 * @param levels        radix depth of the I/O page tables (4: 48-bit IOVAs, VT-d second-level 4-level paging)
 * @param pteWriteCycles CPU cycles to write (or clear) one I/O page-table entry and make it visible to the
 *                      IOMMU
 * @param iova          the IOVA allocator
 * @param invalidation  the invalidation queue
 * @param flushQueue    the deferred (lazy) flush queue
 */
public record IommuConfig(TlbConfig iotlb, PwcConfig walkCache, int levels, int pteWriteCycles,
                          Iova iova, Invalidation invalidation, FlushQueue flushQueue) {

    public static final IommuConfig DEFAULT = new IommuConfig(
            // gem5 SMMUv3 main TLB: 2,048 entries, 4-way, 3 cycles (docs/hardware-costs.md "gem5's SMMUv3");
            // 4 KiB I/O pages
            new TlbConfig(2048, 4, 3, "lru", List.of(PageSize.SIZE_4K)),
            // gem5 SMMUv3 walk caches: 28 and 92 entries for the middle levels, 4-way, 4-cycle lookup
            // (docs/hardware-costs.md "gem5's SMMUv3", src/dev/arm/SMMUv3.py walk_S2L1/walk_S2L2, walk_lat);
            // 32 per level
            new PwcConfig(32, 4, 4),
            4,
            // a 64-bit store plus CLFLUSH of its line: VT-d units without page-walk coherency (ECAP.C = 0)
            // read the table from memory, so Linux's intel-iommu flushes every PTE it writes
            // (CostsConfig.cacheFlushLineCycles, 100)
            100,
            Iova.DEFAULT, Invalidation.DEFAULT, FlushQueue.DEFAULT);

    public IommuConfig {
        Check.range("levels", levels, 4, 5);
        Check.nonNegative("pteWriteCycles", pteWriteCycles);
        Check.that(iotlb.pageSizes().contains(PageSize.SIZE_4K), "iotlb.pageSizes", "must include 4K: I/O pages are 4 KiB");
    }

    /**
     * Linux's IOVA allocator (drivers/iommu/iova.c): a global red-black tree of allocated ranges
     * behind one lock, searched downward from the last allocation, with per-CPU magazine caches
     * (rcache) in front of it for small power-of-two sizes. Malka et al. (FAST 2015) and Peleg et
     * al. (ATC 2015) found the global allocator was strict mode's bottleneck until per-CPU caches
     * (docs/hardware-costs.md "IOVA allocation").
     *
     * @param addressBits        width of the IOVA space (the device's DMA mask)
     * @param perCpuCache        whether the per-CPU rcache is used (Linux since 4.7; false is the kernel Malka measured)
     * @param magazineEntries    IOVAs per magazine (Linux IOVA_MAG_SIZE, 127)
     * @param depotMagazines     full magazines the shared depot keeps (Linux MAX_GLOBAL_MAGS, 32)
     * @param cachedOrders       sizes the rcache serves: 2^0 .. 2^(cachedOrders-1) pages (Linux IOVA_RANGE_CACHE_MAX_SIZE, 6)
     * @param cacheCycles        a magazine push or pop on the local CPU (IRQs off, an array access)
     * @param lockCycles         taking and releasing the global allocator's spinlock, uncontended
     * @param treeStepCycles     one red-black-tree node visited (a dependent pointer load)
     */
    public record Iova(int addressBits, boolean perCpuCache, int magazineEntries, int depotMagazines,
                       int cachedOrders, int cacheCycles, int lockCycles, int treeStepCycles) {
        public static final Iova DEFAULT = new Iova(48, true, 127, 32, 6,
                // local_irq_save/restore and one array load or store: a few dozen cycles
                30,
                // an uncontended atomic read-modify-write on a line another CPU last held, about an LLC
                // round trip (CachesConfig llc 42 cycles) plus the atomic itself
                60,
                // a node load that misses L1/L2 and hits the LLC: CachesConfig llc hit 42 cycles
                42);

        public Iova {
            Check.range("addressBits", addressBits, 20, 57);
            Check.positive("magazineEntries", magazineEntries);
            Check.nonNegative("depotMagazines", depotMagazines);
            Check.range("cachedOrders", cachedOrders, 1, 16);
            Check.nonNegative("cacheCycles", cacheCycles);
            Check.nonNegative("lockCycles", lockCycles);
            Check.nonNegative("treeStepCycles", treeStepCycles);
        }
    }

    /**
     * The queued invalidation interface (Intel VT-d spec, 6.5.2): software writes descriptors
     * to a ring in memory and moves the tail register; the unit executes them in order; a wait
     * descriptor writes a status word when everything before it is done, and software polls it.
     *
     * @param submitCycles          CPU cycles to write one 128-bit descriptor and the tail register
     *                              (an uncached MMIO write)
     * @param pageCycles            the unit's time to execute a page-selective IOTLB invalidation
     * @param domainCycles          the unit's time to execute a domain-selective IOTLB invalidation
     * @param statusWriteCycles     the unit's write of the wait descriptor's status word to memory
     * @param pollCycles            the CPU's read of the status word once written (a miss to memory)
     * @param commandQueueEntries   descriptors the ring holds; a full ring makes the submitter wait
     */
    public record Invalidation(int submitCycles, int pageCycles, int domainCycles, int statusWriteCycles,
                               int pollCycles, int commandQueueEntries) {
        public static final Invalidation DEFAULT = new Invalidation(
                // an uncached store to the tail register costs about a DRAM round trip (MemoryConfig 195);
                // the descriptor store itself hits the cache
                200,
                // not published; an estimate of the unit's internal time to drain in-flight translations
                // and invalidate the IOTLB and walk caches for one page. With the other defaults a strict
                // one-page unmap on the global allocator comes out near Malka's 2,100 cycles (IommuTest)
                400,
                // a domain-selective invalidation drops every entry of the domain: taken as the same work
                400,
                // a memory write by the unit: MemoryConfig latencyCycles 195
                195,
                // the CPU's poll misses on the line the unit wrote: MemoryConfig latencyCycles 195
                195,
                // gem5 SMMUv3 command queue: 128 entries (docs/hardware-costs.md "gem5's SMMUv3", SMMU_IDR1.CMDQS)
                128);

        public Invalidation {
            Check.nonNegative("submitCycles", submitCycles);
            Check.nonNegative("pageCycles", pageCycles);
            Check.nonNegative("domainCycles", domainCycles);
            Check.nonNegative("statusWriteCycles", statusWriteCycles);
            Check.nonNegative("pollCycles", pollCycles);
            Check.range("commandQueueEntries", commandQueueEntries, 2, 1 << 16);
        }
    }

    /**
     * Linux's deferred (lazy) flush queue (drivers/iommu/dma-iommu.c, iova_fq): an unmap clears
     * the I/O PTEs at once but queues the IOTLB invalidation and the IOVA's release; a per-CPU
     * queue that is full on an unmap, or a timer armed by the first queued entry, flushes the
     * domain's IOTLB with one domain-selective invalidation and releases the queued IOVAs.
     *
     * @param queueEntries        entries one CPU's queue holds (Linux IOVA_DEFAULT_FQ_SIZE 256; docs/hardware-costs.md
     *                            "deferred (lazy) invalidation")
     * @param flushIntervalCycles the timer (Linux IOVA_DEFAULT_FQ_TIMEOUT 10 ms = 30,000,000 cycles at 3 GHz;
     *                            same row)
     * @param queueCycles         CPU cycles to add one entry (the queue's lock and a ring store)
     */
    public record FlushQueue(int queueEntries, long flushIntervalCycles, int queueCycles) {
        public static final FlushQueue DEFAULT = new FlushQueue(256, 30_000_000L,
                // a per-CPU spinlock (uncontended, local line: ~20 cycles) and two stores
                30);

        public FlushQueue {
            Check.range("queueEntries", queueEntries, 1, 1 << 20);
            Check.positive("flushIntervalCycles", flushIntervalCycles);
            Check.nonNegative("queueCycles", queueCycles);
        }
    }
}
