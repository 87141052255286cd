package org.protsim.hw;

import org.protsim.core.config.PwcConfig;
import org.protsim.hw.replacement.LruPolicy;
import org.protsim.core.stats.LatencyRecorder;

import java.util.SplittableRandom;

/**
 * The hardware page-table walker: walks the radix table from the context's root, one memory
 * reference per level through the data caches (Intel SDM vol. 3A, 4.10.3: paging-structure
 * entries are cached in the processor's caches), with a page-walk cache per upper level
 * (x86's PML4E/PDPTE/PDE caches, AMD's PDE cache) tagged by ASID like TLB entries. A walk's
 * latency is what the caches and memory say; it is recorded in a histogram.
 *
 * <p>On the bare hardware there is no OS to fault into: with a {@link DemandMapper} attached
 * ({@link #mapOnFirstTouch}), a walk that finds its page unmapped has the mapper map it and
 * goes on down the tables just made, reading each through the caches, so a first touch is one
 * walk, as in trace-driven simulators that map a page on first use (ChampSim's
 * {@code VirtualMemory}, which allocates page-table pages as its walker reaches them).
 */
public final class PageWalker {
    private static final LruPolicy PWC_POLICY = new LruPolicy(); // page-walk caches: LRU, not configurable
    private final PhysicalMemory memory;
    private final WalkMemory caches;
    private final int levels;
    /** pwc[l] caches level-l entries (pointers to level l-1 tables), for 2 <= l <= levels; null if disabled. */
    private final Tlb[] pwc;
    private final LatencyRecorder latency;
    private DemandMapper demandMapper;

    long walks;
    long walkCycles;
    long faults;
    private int lastShift;
    private long lastLatency;

    public PageWalker(PhysicalMemory memory, WalkMemory caches, int levels, PwcConfig pwcConfig,
                      LatencyRecorder latency, SplittableRandom random) {
        this.memory = memory;
        this.caches = caches;
        this.levels = levels;
        this.latency = latency;
        this.pwc = new Tlb[levels + 1];
        if (pwcConfig.entries() > 0) {
            for (int l = 2; l <= levels; l++) {
                pwc[l] = new Tlb("pwc.l" + l, pwcConfig.entries(), pwcConfig.ways(), pwcConfig.hitCycles(),
                        PWC_POLICY, new int[]{12 + 9 * (l - 1)}, random);
            }
        }
    }

    public int levels() {
        return levels;
    }

    /**
     * Bare hardware only: walks under {@code mapper}'s root map an unmapped page through it and
     * complete, instead of ending in a fault. Under a kernel no mapper is attached: a missing
     * entry is a page fault, and the faulting reference walks again once the kernel has mapped it.
     */
    public void mapOnFirstTouch(DemandMapper mapper) {
        this.demandMapper = mapper;
    }

    /**
     * Walks for {@code va} under {@code root}, filling page-walk caches tagged {@code asid}.
     * Returns the leaf entry, or 0 if some level is not present (a page fault). Afterwards
     * {@link #lastShift()} is the leaf's page shift and {@link #lastLatency()} the walk's cycles.
     */
    public long walk(long va, long root, int asid) {
        walks++;
        long lat = 0;
        long table = root;
        int level = levels;
        for (int l = 2; l <= levels; l++) {
            Tlb c = pwc[l];
            if (c != null) {
                int s = c.lookup(va, asid, 0);
                if (s >= 0) {
                    table = Pte.frame(c.pte(s));
                    level = l - 1;
                    lat += c.hitCycles();
                    break;
                }
            }
        }
        while (true) {
            int idx = RadixPageTable.index(va, level);
            lat += caches.walkerAccess((table << 12) + idx * 8L);
            long e = memory.readPte(table, idx);
            if (!Pte.present(e)) {
                if (demandMapper == null || root != demandMapper.root()) {
                    faults++;
                    return finish(lat, 0, 0);
                }
                // the entry just read (and paid for) is the one the mapper writes; the tables
                // below it are new, and the walk reads them as it goes on down
                demandMapper.map(va);
                e = memory.readPte(table, idx);
            }
            if (level == 1 || Pte.huge(e)) {
                return finish(lat, e, 12 + 9 * (level - 1));
            }
            Tlb c = pwc[level];
            if (c != null) {
                c.fill(va, 0, asid, e);
            }
            table = Pte.frame(e);
            level--;
        }
    }

    private long finish(long lat, long pte, int shift) {
        walkCycles += lat;
        lastLatency = lat;
        lastShift = shift;
        latency.record(lat);
        return pte;
    }

    public int lastShift() {
        return lastShift;
    }

    public long lastLatency() {
        return lastLatency;
    }

    public long walks() {
        return walks;
    }

    public long walkCycles() {
        return walkCycles;
    }

    public long pwcHits() {
        long n = 0;
        for (Tlb c : pwc) {
            if (c != null) {
                n += c.hits();
            }
        }
        return n;
    }

    public long pwcMisses() {
        long n = 0;
        for (Tlb c : pwc) {
            if (c != null) {
                n += c.misses();
            }
        }
        return n;
    }

    void flushAll() {
        for (Tlb c : pwc) {
            if (c != null) {
                c.flushAll();
            }
        }
    }

    void flushAsid(int asid) {
        for (Tlb c : pwc) {
            if (c != null) {
                c.flushAsid(asid);
            }
        }
    }

    void flushPage(long va, int asid) {
        for (Tlb c : pwc) {
            if (c != null) {
                c.flushPage(va, asid, 0);
            }
        }
    }
}
