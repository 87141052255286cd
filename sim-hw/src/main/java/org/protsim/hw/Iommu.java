package org.protsim.hw;

import org.protsim.core.Simulation;
import org.protsim.core.config.IommuConfig;
import org.protsim.core.config.PageSize;
import org.protsim.core.stats.LatencyRecorder;
import org.protsim.core.stats.Stats;
import org.protsim.hw.replacement.ReplacementPolicies;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * An IOMMU after Intel VT-d (Virtualization Technology for Directed I/O, architecture
 * specification rev. 4: second-level translation, IOTLB, queued invalidation), with gem5's
 * SMMUv3 sizes (docs/hardware-costs.md "gem5's SMMUv3").
 *
 * <ul>
 *   <li>Each attached device belongs to a protection domain with its own I/O page table: the
 *       same radix format as the CPU's ({@link RadixPageTable}, {@link Pte}), its tables in
 *       simulated frames, IOVA to frame.</li>
 *   <li>A DMA access ({@link #dma}) looks the IOVA up in the IOTLB (a {@link Tlb} tagged by
 *       domain id, as VT-d tags IOTLB entries with the Domain-ID), walks on a miss
 *       ({@link PageWalker} over the {@link UncoreWalkPath}, with walk caches), and faults if no
 *       present entry allows the access. A stale IOTLB entry still translates: that is what a
 *       device can reach between an unmap and its invalidation.</li>
 *   <li>Invalidation is a command queue: {@link #invalidatePage} and {@link #invalidateDomain}
 *       submit descriptors the unit executes in order; {@link #waitForCompletion} submits a wait
 *       descriptor and spins until its status is written. A descriptor's effect on the IOTLB
 *       takes place when the unit has executed it, not when it is submitted.</li>
 *   <li>Each domain has an {@link IovaAllocator} and a {@link DeferredFlushQueue}.</li>
 * </ul>
 * Mapping and invalidation calls take the CPU's clock and return the CPU cycles they cost; the
 * caller charges them.
 */
public final class Iommu {
    /** {@link #dma} result: no present I/O PTE allows the access (a DMA remapping fault). */
    public static final long FAULT = -1;

    private final IommuConfig config;
    private final Simulation sim;
    private final RadixPageTable tables;
    private final Tlb iotlb;
    private final PageWalker walker;
    private final int cpus;
    private final LatencyRecorder exposure;
    private final int pageClass;

    private int[] domainOfDevice = new int[0];
    private long[] roots = new long[0];
    private IovaAllocator[] allocators = new IovaAllocator[0];
    private DeferredFlushQueue[] flushQueues = new DeferredFlushQueue[0];
    private int domains;

    // the invalidation queue: descriptors submitted but not yet applied, in order
    private static final int PAGE = 0;
    private static final int DOMAIN = 1;
    private final int[] pendingKind;
    private final int[] pendingDomain;
    private final long[] pendingIova;
    private final long[] pendingPages;
    private final long[] pendingDone;
    private int pendingHead;
    private int pendingCount;
    private long busyUntil;       // the unit has executed every submitted descriptor by this cycle

    private long faults;
    private long invalidations;
    long queueFlushes;
    private long lastLatency;
    private final int[] created = new int[1];

    public Iommu(IommuConfig config, Simulation sim, PhysicalMemory memory, Cache llc, int lineBytes,
                 int memoryCycles, int cpus) {
        this.config = config;
        this.sim = sim;
        this.cpus = cpus;
        this.tables = new RadixPageTable(memory, config.levels());
        Stats stats = sim.stats();
        SplittableRandom random = sim.streams().get("hw.iommu");
        this.iotlb = new Tlb("iotlb", config.iotlb().entries(), config.iotlb().ways(), config.iotlb().hitCycles(),
                // protsim's own policies: the IOMMU's config is not yet part of a run's config, so no plugin can name one
                ReplacementPolicies.builtin().require("iotlb.replacement", config.iotlb().replacement()),
                config.iotlb().pageSizes().stream().mapToInt(PageSize::shift).toArray(),
                random);
        this.pageClass = iotlb.sizeClass(12);
        this.walker = new PageWalker(memory, new UncoreWalkPath(llc, lineBytes, memoryCycles), config.levels(),
                config.walkCache(),
                stats.histogram("iommu.walk.latency", "cycles", "latency of an IOMMU page walk, walk caches included"),
                random);
        int q = config.invalidation().commandQueueEntries();
        pendingKind = new int[q];
        pendingDomain = new int[q];
        pendingIova = new long[q];
        pendingPages = new long[q];
        pendingDone = new long[q];
        this.exposure = stats.histogram("dma.exposure.latency", "cycles",
                "from an unmap clearing its I/O PTEs to the IOMMU executing the invalidation that covers it");
        stats.counter("iotlb.hits", "lookups", "DMA translations that hit in the IOTLB", iotlb::hits);
        stats.counter("iotlb.misses", "lookups", "DMA translations that missed in the IOTLB", iotlb::misses);
        stats.counter("iommu.walks", "walks", "IOMMU page walks", walker::walks);
        stats.counter("iommu.invalidations", "descriptors", "IOTLB invalidation descriptors executed (page and domain)",
                () -> invalidations);
        stats.counter("iommu.queueFlushes", "flushes", "deferred flush queues flushed (full or timer)",
                () -> queueFlushes);
        stats.counter("iommu.faults", "accesses", "DMA accesses refused: no present I/O PTE allowed them",
                () -> faults);
    }

    public IommuConfig config() {
        return config;
    }

    public int cpus() {
        return cpus;
    }

    Simulation sim() {
        return sim;
    }

    /**
     * Attaches {@code device} to a new protection domain with an empty I/O page table (its root
     * frame owned by {@code owner}); returns the domain id. Devices are numbered from 0.
     */
    public int attachToNewDomain(int device, int owner) {
        int d = newDomain(owner);
        attach(device, d);
        return d;
    }

    /** Attaches {@code device} to existing domain {@code domain} (devices sharing one I/O space). */
    public void attach(int device, int domain) {
        checkDomain(domain);
        if (device >= domainOfDevice.length) {
            int old = domainOfDevice.length;
            domainOfDevice = Arrays.copyOf(domainOfDevice, device + 1);
            Arrays.fill(domainOfDevice, old, device + 1, -1);
        }
        domainOfDevice[device] = domain;
    }

    /** A new protection domain with an empty I/O page table; returns its id. */
    public int newDomain(int owner) {
        int d = domains++;
        roots = Arrays.copyOf(roots, domains);
        allocators = Arrays.copyOf(allocators, domains);
        flushQueues = Arrays.copyOf(flushQueues, domains);
        roots[d] = tables.newRoot(owner);
        allocators[d] = new IovaAllocator(config.iova(), cpus);
        flushQueues[d] = new DeferredFlushQueue(this, d, config.flushQueue(), cpus);
        return d;
    }

    public int domainOf(int device) {
        if (device < 0 || device >= domainOfDevice.length || domainOfDevice[device] < 0) {
            throw new IllegalArgumentException("device " + device + " is not attached to the IOMMU");
        }
        return domainOfDevice[device];
    }

    public long root(int domain) {
        checkDomain(domain);
        return roots[domain];
    }

    public IovaAllocator iova(int domain) {
        checkDomain(domain);
        return allocators[domain];
    }

    public DeferredFlushQueue flushQueue(int domain) {
        checkDomain(domain);
        return flushQueues[domain];
    }

    public RadixPageTable tables() {
        return tables;
    }

    public Tlb iotlb() {
        return iotlb;
    }

    public PageWalker walker() {
        return walker;
    }

    private void checkDomain(int domain) {
        if (domain < 0 || domain >= domains) {
            throw new IllegalArgumentException("no IOMMU domain " + domain);
        }
    }

    // ---- the driver's side: I/O page tables

    /**
     * Writes the I/O PTE mapping page {@code iova} of {@code domain} to {@code frame}; returns the
     * CPU cycles (one PTE write per entry written, intermediate tables included).
     */
    public long map(int domain, long iova, long frame, boolean writable, int owner) {
        created[0] = 0;
        long old = tables.map(root(domain), iova, Pte.of(frame, writable ? Pte.WRITABLE : 0), 1, owner, created);
        if (Pte.present(old)) {
            throw new IllegalStateException("IOVA 0x" + Long.toHexString(iova) + " is already mapped in domain " + domain);
        }
        return (1L + created[0]) * config.pteWriteCycles();
    }

    /**
     * Clears the I/O PTE of page {@code iova}: the IOMMU's walks no longer find it, but the IOTLB
     * may still hold it until an invalidation completes. Returns the CPU cycles.
     */
    public long unmap(int domain, long iova) {
        long old = tables.unmap(root(domain), iova);
        if (!Pte.present(old)) {
            throw new IllegalStateException("IOVA 0x" + Long.toHexString(iova) + " is not mapped in domain " + domain);
        }
        return config.pteWriteCycles();
    }

    // ---- invalidation queue

    /** Submits a page-selective IOTLB (and walk-cache) invalidation at CPU cycle {@code now}; returns the CPU cycles. */
    public long invalidatePage(int domain, long iova, long now) {
        return invalidatePages(domain, iova, 1, now);
    }

    /**
     * Submits one page-selective invalidation of {@code pages} pages from {@code iova} (VT-d's
     * address mask: a power-of-two, aligned range in one descriptor; IOVAs are allocated so) at
     * CPU cycle {@code now}; returns the CPU cycles.
     */
    public long invalidatePages(int domain, long iova, long pages, long now) {
        if (pages <= 0) {
            throw new IllegalArgumentException("invalidation of " + pages + " pages");
        }
        return submit(PAGE, domain, iova, pages, config.invalidation().pageCycles(), now);
    }

    /** Submits a domain-selective invalidation at CPU cycle {@code now}; returns the CPU cycles. */
    public long invalidateDomain(int domain, long now) {
        return submit(DOMAIN, domain, 0, 0, config.invalidation().domainCycles(), now);
    }

    private long submit(int kind, int domain, long iova, long pages, int unitCycles, long now) {
        checkDomain(domain);
        long cpu = 0;
        if (pendingCount == pendingKind.length) {
            // the ring is full: the submitter waits for the unit to retire the oldest descriptor
            long oldest = pendingDone[pendingHead];
            if (oldest > now) {
                cpu += oldest - now;
            }
            applyCompleted(now + cpu);
            if (pendingCount == pendingKind.length) {
                applyOldest();
            }
        }
        cpu += config.invalidation().submitCycles();
        long visible = now + cpu; // the tail register write has reached the unit
        long done = Math.max(visible, busyUntil) + unitCycles;
        busyUntil = done;
        int slot = (pendingHead + pendingCount) % pendingKind.length;
        pendingKind[slot] = kind;
        pendingDomain[slot] = domain;
        pendingIova[slot] = iova;
        pendingPages[slot] = pages;
        pendingDone[slot] = done;
        pendingCount++;
        return cpu;
    }

    /**
     * Submits a wait descriptor at CPU cycle {@code now} and spins until the unit has executed
     * everything submitted before it and written the status word; returns the CPU cycles.
     */
    public long waitForCompletion(long now) {
        long submitted = now + config.invalidation().submitCycles();
        long statusWritten = Math.max(submitted, busyUntil) + config.invalidation().statusWriteCycles();
        busyUntil = statusWritten;
        long seen = statusWritten + config.invalidation().pollCycles();
        applyCompleted(seen);
        return seen - now;
    }

    /** The cycle by which every descriptor submitted so far has been executed. */
    public long busyUntil() {
        return busyUntil;
    }

    /** Applies, in order, every submitted descriptor the unit has executed by {@code now}. */
    private void applyCompleted(long now) {
        while (pendingCount > 0 && pendingDone[pendingHead] <= now) {
            applyOldest();
        }
    }

    private void applyOldest() {
        int s = pendingHead;
        if (pendingKind[s] == PAGE) {
            for (long p = 0; p < pendingPages[s]; p++) {
                long va = pendingIova[s] + (p << 12);
                iotlb.flushPage(va, pendingDomain[s], 0);
                walker.flushPage(va, pendingDomain[s]);
            }
        } else {
            iotlb.flushAsid(pendingDomain[s]);
            walker.flushAsid(pendingDomain[s]);
        }
        invalidations++;
        pendingHead = (pendingHead + 1) % pendingKind.length;
        pendingCount--;
    }

    /** Records a window of exposure: an unmap at {@code unmapped}, its invalidation complete at {@code invalidated}. */
    void exposed(long unmapped, long invalidated) {
        exposure.record(invalidated - unmapped);
    }

    // ---- strict unmap: what Linux's iommu_dma_unmap does in strict mode

    /**
     * Strict unmap of {@code pages} pages at IOVA page {@code pfn} on CPU {@code cpu} at cycle
     * {@code now}: clear the PTEs, one page-selective invalidation covering them, wait, then
     * free the IOVA.
     * The window of exposure (PTE cleared to the unit's execution of the last invalidation) is
     * recorded. Returns CPU cycles.
     */
    public long unmapStrict(int domain, int cpu, long pfn, long pages, long now) {
        long cycles = 0;
        for (long p = 0; p < pages; p++) {
            cycles += unmap(domain, (pfn + p) << 12);
        }
        long cleared = now + cycles;
        cycles += invalidatePages(domain, pfn << 12, pages, now + cycles);
        exposed(cleared, busyUntil); // the unit has dropped the entries: the device can no longer reach the pages
        cycles += waitForCompletion(now + cycles);
        IovaAllocator a = allocators[domain];
        a.free(cpu, pfn, pages);
        return cycles + a.lastCycles();
    }

    // ---- the device's side

    /**
     * A DMA access by {@code device} to {@code iova} at cycle {@code now}: returns the frame it
     * lands on, or {@link #FAULT} (counted) if no present I/O PTE allows it. The translation's
     * latency (IOTLB hit or walk) is in {@link #lastLatency()}. Allocates nothing.
     */
    public long dma(int device, long iova, boolean write, long now) {
        if (pendingCount > 0) {
            applyCompleted(now);
        }
        int domain = domainOf(device);
        int slot = iotlb.lookup(iova, domain, 0);
        long pte;
        if (slot >= 0) {
            pte = iotlb.pte(slot);
            lastLatency = iotlb.hitCycles();
        } else {
            pte = walker.walk(iova, roots[domain], domain);
            lastLatency = iotlb.hitCycles() + walker.lastLatency();
            if (Pte.present(pte) && pageClass >= 0 && walker.lastShift() == 12) {
                iotlb.fill(iova, pageClass, domain, pte);
            }
        }
        if (!Pte.present(pte) || (write && !Pte.writable(pte))) {
            faults++;
            return FAULT;
        }
        return Pte.frame(pte);
    }

    /** Cycles the last {@link #dma} spent translating. */
    public long lastLatency() {
        return lastLatency;
    }

    public long faults() {
        return faults;
    }

    public long invalidations() {
        return invalidations;
    }

    public long queueFlushes() {
        return queueFlushes;
    }
}
