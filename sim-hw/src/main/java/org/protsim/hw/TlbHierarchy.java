package org.protsim.hw;

import org.protsim.core.config.CostsConfig;

/**
 * One CPU's TLBs: L1 instruction and data TLBs backed by a unified L2 (STLB), as on current
 * x86 and ARM cores, plus the flush operations an OS issues, each counted and costed once
 * for the whole hierarchy (one INVLPG invalidates the page in every level). Flushes also
 * drop the matching page-walk-cache entries, as the x86 instructions do (Intel SDM vol. 3A,
 * 4.10.4 "Invalidation of TLBs and paging-structure caches").
 */
public final class TlbHierarchy {
    private final Tlb l1i;
    private final Tlb l1d;
    private final Tlb l2;
    private final PageWalker walker;
    private final CostsConfig costs;

    long flushAllOps;
    long flushNonGlobalOps;
    long flushAsidOps;
    long flushPageOps;
    long flushSharedOps;

    public TlbHierarchy(Tlb l1i, Tlb l1d, Tlb l2, PageWalker walker, CostsConfig costs) {
        this.l1i = l1i;
        this.l1d = l1d;
        this.l2 = l2;
        this.walker = walker;
        this.costs = costs;
    }

    public Tlb l1i() {
        return l1i;
    }

    public Tlb l1d() {
        return l1d;
    }

    public Tlb l2() {
        return l2;
    }

    /** Everything, global entries included; returns the cost in cycles. */
    public long flushAll() {
        flushAllOps++;
        l1i.flushAll();
        l1d.flushAll();
        l2.flushAll();
        walker.flushAll();
        return costs.flushAllCycles();
    }

    /** Every non-global entry (a root switch without ASIDs). */
    public long flushNonGlobal() {
        flushNonGlobalOps++;
        l1i.flushNonGlobal();
        l1d.flushNonGlobal();
        l2.flushNonGlobal();
        walker.flushAll();
        return costs.flushNonGlobalCycles();
    }

    /** The entries of one ASID. */
    public long flushAsid(int asid) {
        flushAsidOps++;
        l1i.flushAsid(asid);
        l1d.flushAsid(asid);
        l2.flushAsid(asid);
        walker.flushAsid(asid);
        return costs.flushAsidCycles();
    }

    /** One page as seen by a context running {@code asid} with subscriptions {@code shared} (INVLPG). */
    public long flushPage(long va, int asid, long shared) {
        flushPageOps++;
        l1i.flushPage(va, asid, shared);
        l1d.flushPage(va, asid, shared);
        l2.flushPage(va, asid, shared);
        walker.flushPage(va, asid);
        return costs.flushPageCycles();
    }

    /** The entries of one shared space. */
    public long flushShared(int space) {
        flushSharedOps++;
        l1i.flushShared(space);
        l1d.flushShared(space);
        l2.flushShared(space);
        return costs.flushSharedCycles();
    }

    /** Visits every valid entry of the three TLBs (for audits). */
    public void forEachValid(Tlb.EntryVisitor visitor) {
        l1i.forEachValid(visitor);
        l1d.forEachValid(visitor);
        l2.forEachValid(visitor);
    }
}
