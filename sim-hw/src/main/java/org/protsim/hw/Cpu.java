package org.protsim.hw;

import org.protsim.core.config.CoreModel;
import org.protsim.core.config.MachineConfig;
import org.protsim.core.config.PageSize;
import org.protsim.core.config.TlbConfig;
import org.protsim.core.plugin.Registry;
import org.protsim.core.stats.Stats;
import org.protsim.hw.replacement.ReplacementPolicies;
import org.protsim.hw.replacement.ReplacementPolicy;

/**
 * A CPU: its current {@link Context}, TLB hierarchy, page walker, caches and PLB, a local
 * clock, and the cycles it spent by {@link CycleCategory}. {@link #reference} is the hot
 * path: translate (L1 TLB, L2 TLB, walk), check rights (PTE, and PLB if the context asks),
 * access the caches, advance the clock. It allocates nothing.
 *
 * <p>A reference whose bytes span two 4 KiB pages translates both pages in order; within a
 * page, every cache line its bytes touch is accessed. A reference that faults leaves the
 * faulting address in {@link #faultAddress()}; the caller handles the fault and issues the
 * reference again, as a CPU restarts a faulting instruction.
 *
 * <p>With {@code machine.core.model} {@code serial} every latency is charged as it is spent; with
 * {@code interval} the same latencies are spent (so every count is the same) and the {@link IntervalCore}
 * hands back what an out-of-order window hides, taken from the start of the reference's chain (TLB,
 * then walk, then cache), and charges serialising events what they wait for.
 */
public final class Cpu {
    public static final int READ = 0;
    public static final int WRITE = 1;
    public static final int EXECUTE = 2;

    public static final int OK = 0;
    /** No present translation (demand paging, or an unmapped address). */
    public static final int FAULT_NOT_PRESENT = 1;
    /** A present translation that does not allow the access (copy-on-write, read-only, kernel-only, no-execute). */
    public static final int FAULT_PROTECTION = 2;
    /** The PLB has no rights for the access in the current protection domain. */
    public static final int FAULT_DOMAIN = 3;

    private final int id;
    private final Context context = new Context();
    private final TlbHierarchy tlbs;
    private final Tlb l1i;
    private final Tlb l1d;
    private final Tlb l2;
    private final PageWalker walker;
    private final CacheHierarchy caches;
    private final Plb plb;
    private final int cyclesPerReference;
    private final int lineShift;
    private ProtectionTable protectionTable;
    /** The interval model's state, or null for the serial core. */
    private final IntervalCore core;
    /** Where the hidden part of the last reference that set the interval model's pending latency ended. */
    private CycleCategory drainCategory = CycleCategory.CACHE;

    // size class of each page shift (12, 21, 30) in the L1s and L2, or -1 if not held there
    private final int[] l1iClass = new int[31];
    private final int[] l1dClass = new int[31];
    private final int[] l2Class = new int[31];

    // cycles by category: the four every reference pays in fields, the rest in an array
    private long usefulCycles;
    private long tlbCycles;
    private long walkCycles;
    private long cacheCycles;
    private final long[] cycles = new long[CycleCategory.values().length];
    private long clock;
    private int missShift;
    private long references;
    private long kernelReferences;
    private long lastFrame;

    private long faultAddress;
    private int faultAccess;
    private long faultPte;

    public Cpu(int id, MachineConfig config, PhysicalMemory memory, CacheHierarchy caches, Stats stats,
               java.util.function.Function<String, java.util.SplittableRandom> streams) {
        this(id, config, memory, caches, stats, streams, ReplacementPolicies.builtin());
    }

    /** A CPU whose TLBs take their replacement policies, by name, from {@code policies}. */
    public Cpu(int id, MachineConfig config, PhysicalMemory memory, CacheHierarchy caches, Stats stats,
               java.util.function.Function<String, java.util.SplittableRandom> streams,
               Registry<ReplacementPolicy> policies) {
        this.id = id;
        this.caches = caches;
        this.lineShift = caches.lineShift();
        this.cyclesPerReference = config.cyclesPerReference();
        String p = "hw.cpu" + id + ".";
        this.l1i = tlb("l1i", config.tlb().l1i(), streams.apply(p + "tlb.l1i"), policies);
        this.l1d = tlb("l1d", config.tlb().l1d(), streams.apply(p + "tlb.l1d"), policies);
        this.l2 = tlb("l2", config.tlb().l2(), streams.apply(p + "tlb.l2"), policies);
        this.walker = new PageWalker(memory, caches, config.walker().levels(), config.walker().pwc(),
                stats.histogram("walk.latency", "cycles", "latency of a page walk, page-walk caches and memory included"),
                streams.apply(p + "pwc"));
        this.tlbs = new TlbHierarchy(l1i, l1d, l2, walker, config.costs());
        this.plb = new Plb(config.plb());
        this.core = config.core().model() == CoreModel.INTERVAL
                ? new IntervalCore(config.core().windowCycles(), config.caches().l1i().hitCycles()) : null;
        for (int shift = 0; shift < 31; shift++) {
            l1iClass[shift] = l1i.sizeClass(shift);
            l1dClass[shift] = l1d.sizeClass(shift);
            l2Class[shift] = l2.sizeClass(shift);
        }
        registerStats(stats);
    }

    private static Tlb tlb(String name, TlbConfig c, java.util.SplittableRandom random,
                           Registry<ReplacementPolicy> policies) {
        int[] shifts = c.pageSizes().stream().mapToInt(PageSize::shift).toArray();
        return new Tlb(name, c.entries(), c.ways(), c.hitCycles(),
                policies.require("machine.tlb." + name + ".replacement", c.replacement()), shifts, random);
    }

    private void registerStats(Stats s) {
        for (Tlb t : new Tlb[]{l1i, l1d, l2}) {
            String n = "tlb." + t.name();
            s.counter(n + ".hits", "lookups", "lookups that hit in the " + t.name() + " TLB", t::hits);
            s.counter(n + ".misses", "lookups", "lookups that missed in the " + t.name() + " TLB", t::misses);
            s.counter(n + ".evictions", "entries", "valid entries replaced in the " + t.name() + " TLB", t::evictions);
        }
        s.counter("references", "references", "memory references completed by workloads", () -> references);
        s.counter("kernel.references", "references", "memory references made by the kernel itself",
                () -> kernelReferences);
        s.counter("walks", "walks", "page walks started", walker::walks);
        s.counter("walk.cycles", "cycles", "cycles spent walking page tables", walker::walkCycles);
        s.counter("walk.faults", "walks", "walks that found no present translation", () -> walker.faults);
        s.counter("pwc.hits", "lookups", "page-walk-cache lookups that hit (all levels)", walker::pwcHits);
        s.counter("pwc.misses", "lookups", "page-walk-cache lookups that missed (all levels)", walker::pwcMisses);
        s.counter("flush.all", "flushes", "full TLB flushes, global entries included", () -> tlbs.flushAllOps);
        s.counter("flush.nonglobal", "flushes", "flushes of all non-global TLB entries", () -> tlbs.flushNonGlobalOps);
        s.counter("flush.asid", "flushes", "flushes of one ASID's TLB entries", () -> tlbs.flushAsidOps);
        s.counter("flush.page", "flushes", "single-page TLB invalidations", () -> tlbs.flushPageOps);
        s.counter("flush.shared", "flushes", "flushes of one shared space's TLB entries", () -> tlbs.flushSharedOps);
        s.counter("plb.hits", "lookups", "PLB lookups that hit", plb::hits);
        s.counter("plb.misses", "lookups", "PLB lookups that missed", plb::misses);
        for (Cache c : new Cache[]{caches.l1d(), caches.l1i(), caches.l2()}) {
            registerCache(s, c);
        }
        s.counter("memory.accesses", "accesses", "references served by DRAM (walks included)", caches::memoryAccesses);
        s.counter("memory.uncached", "accesses", "references to uncached or write-combining frames",
                caches::uncachedAccesses);
        for (CycleCategory c : CycleCategory.values()) {
            s.cycles(c.json(), "CPU cycles spent on " + c.json(), () -> cycles(c));
        }
    }

    static void registerCache(Stats s, Cache c) {
        String n = "cache." + c.name();
        s.counter(n + ".hits", "lookups", "lookups that hit in " + c.name(), c::hits);
        s.counter(n + ".misses", "lookups", "lookups that missed in " + c.name(), c::misses);
        s.counter(n + ".writebacks", "lines", "dirty lines written back from " + c.name(), c::writebacks);
    }

    public int id() {
        return id;
    }

    public Context context() {
        return context;
    }

    public TlbHierarchy tlbs() {
        return tlbs;
    }

    public PageWalker walker() {
        return walker;
    }

    public CacheHierarchy caches() {
        return caches;
    }

    public Plb plb() {
        return plb;
    }

    public void setProtectionTable(ProtectionTable table) {
        this.protectionTable = table;
    }

    /** The CPU's local time: how far it has run. */
    public long clock() {
        return clock;
    }

    /** Moves the local clock forward to {@code time} (idle time is not charged to any category). */
    public void advanceTo(long time) {
        if (time > clock) {
            if (core != null) {
                core.idle(time - clock);
            }
            clock = time;
        }
    }

    /**
     * Charges {@code n} cycles of {@code category} and advances the clock by them. Under the interval
     * model a serialising category first waits for the misses still outstanding.
     */
    public void charge(CycleCategory category, long n) {
        if (core != null && category.serialises()) {
            long d = core.drain();
            if (d > 0) {
                add(drainCategory, d);
            }
        }
        add(category, n);
    }

    private void add(CycleCategory category, long n) {
        switch (category) {
            case USEFUL -> usefulCycles += n;
            case TLB -> tlbCycles += n;
            case WALK -> walkCycles += n;
            case CACHE -> cacheCycles += n;
            default -> cycles[category.ordinal()] += n;
        }
        clock += n;
    }

    public long cycles(CycleCategory category) {
        return switch (category) {
            case USEFUL -> usefulCycles;
            case TLB -> tlbCycles;
            case WALK -> walkCycles;
            case CACHE -> cacheCycles;
            default -> cycles[category.ordinal()];
        };
    }

    public long references() {
        return references;
    }

    public long kernelReferences() {
        return kernelReferences;
    }

    /** The 4 KiB frame the last page of the last successful reference touched. */
    public long lastFrame() {
        return lastFrame;
    }

    /** The (process) virtual address of the last fault. */
    public long faultAddress() {
        return faultAddress;
    }

    /** READ, WRITE or EXECUTE: the access that faulted. */
    public int faultAccess() {
        return faultAccess;
    }

    /** The translation found for a protection fault (0 for a not-present fault). */
    public long faultPte() {
        return faultPte;
    }

    /**
     * Performs one memory reference of {@code size} bytes at virtual address {@code va}:
     * returns {@link #OK} or a fault code. Cycles are charged as they are spent, faulting
     * attempts included.
     */
    public int reference(long va, int size, int access) {
        long hva = va + context.vaBase;
        long last = hva + (size > 0 ? size : 1) - 1;
        if (core != null) {
            return overlapped(hva, last, access, Pte.USER);
        }
        int r = ((hva ^ last) & ~4095L) == 0 ? accessPage(hva, last, access, Pte.USER)
                : spanning(hva, last, access, Pte.USER);
        if (r == OK) {
            references++;
            usefulCycles += cyclesPerReference;
            clock += cyclesPerReference;
        }
        return r;
    }

    /**
     * A reference by the kernel itself at hardware address {@code hva}: no context base is added
     * and supervisor pages are allowed. Counted as a kernel reference, not a workload reference.
     */
    public int referenceKernel(long hva, int size, int access) {
        long last = hva + (size > 0 ? size : 1) - 1;
        if (core != null) {
            return overlapped(hva, last, access, 0);
        }
        int r = ((hva ^ last) & ~4095L) == 0 ? accessPage(hva, last, access, 0) : spanning(hva, last, access, 0);
        if (r == OK) {
            kernelReferences++;
            usefulCycles += cyclesPerReference;
            clock += cyclesPerReference;
        }
        return r;
    }

    /**
     * A kernel reference to physical address {@code pa} through the kernel's direct map (Linux maps
     * all memory there with global 1 GiB pages, so it is taken as a TLB hit): one line through the
     * caches, coherence included. This is how a completion handler writes a ring whose pages it
     * reaches without the process's context. Under the interval model it is a data reference like
     * any other: the window hides what it can of the cache latency.
     */
    public void referencePhysical(long pa, int access) {
        long c = caches.access(pa, pa, false, access == WRITE, Pte.WRITE_BACK);
        if (core != null) {
            long pendingBefore = core.pending();
            c -= core.data(c);
            if (core.pending() > pendingBefore) {
                drainCategory = CycleCategory.CACHE;
            }
            core.dispatched(cyclesPerReference);
        }
        cacheCycles += c;
        kernelReferences++;
        usefulCycles += cyclesPerReference;
        clock += c + cyclesPerReference;
    }

    /**
     * A reference under the interval model: performed and charged as the serial core does, then the
     * cycles the window hides are handed back, from the start of the chain: TLB, walk, cache.
     */
    private int overlapped(long hva, long last, int access, long privilege) {
        long t0 = tlbCycles;
        long w0 = walkCycles;
        long c0 = cacheCycles;
        int r = ((hva ^ last) & ~4095L) == 0 ? accessPage(hva, last, access, privilege)
                : spanning(hva, last, access, privilege);
        long t = tlbCycles - t0;
        long w = walkCycles - w0;
        long c = cacheCycles - c0;
        long latency = t + w + c;
        long pendingBefore = core.pending();
        long hidden = access == EXECUTE ? core.fetch(latency) : core.data(latency);
        clock -= hidden;
        long fromTlb = Math.min(hidden, t);
        tlbCycles -= fromTlb;
        hidden -= fromTlb;
        long fromWalk = Math.min(hidden, w);
        walkCycles -= fromWalk;
        hidden -= fromWalk;
        cacheCycles -= hidden;
        if (core.pending() > pendingBefore) {
            drainCategory = hidden > 0 ? CycleCategory.CACHE : fromWalk > 0 ? CycleCategory.WALK : CycleCategory.TLB;
        }
        if (r == OK) {
            if (privilege != 0) {
                references++;
            } else {
                kernelReferences++;
            }
            usefulCycles += cyclesPerReference;
            clock += cyclesPerReference;
            core.dispatched(cyclesPerReference);
        }
        return r;
    }

    /** A reference whose bytes span pages: each page in order. */
    private int spanning(long hva, long last, int access, long privilege) {
        long page = hva & ~4095L;
        long lastPage = last & ~4095L;
        long start = hva;
        while (true) {
            int r = accessPage(start, page == lastPage ? last : page | 4095L, access, privilege);
            if (r != OK || page == lastPage) {
                return r;
            }
            page += 4096;
            start = page;
        }
    }

    /**
     * Bytes [start, end] of one page. The hot path (an L1 TLB hit that allows the access, one
     * cache line) is kept small enough for the JIT to inline; misses, faults, the PLB and
     * line-spanning references go out of line.
     */
    private int accessPage(long start, long end, int access, long privilege) {
        final boolean exec = access == EXECUTE;
        final Tlb l1 = exec ? l1i : l1d;
        long pte;
        int shift;
        int slot = l1.lookup(start, context.asid, context.sharedSpaces);
        if (slot >= 0) {
            pte = l1.pte(slot);
            shift = l1.pageShift(slot);
            int hit = l1.hitCycles();
            tlbCycles += hit;
            clock += hit;
        } else {
            pte = translateMiss(start, exec, l1);
            if (pte == 0) {
                return fault(FAULT_NOT_PRESENT, start, access, 0);
            }
            shift = missShift;
        }
        // present (and user, for user references), writable for writes, executable for fetches;
        // the PLB when the context checks it
        long need = Pte.PRESENT | privilege | (access == WRITE ? Pte.WRITABLE : 0);
        if ((pte & need) != need || (exec && pte < 0) || (privilege != 0 && context.checkPlb)) {
            int denied = checkRights(pte, need, start, access, exec, privilege);
            if (denied != OK) {
                return denied;
            }
        }
        long pa = (Pte.frame(pte) << 12) + (start & ((1L << shift) - 1));
        lastFrame = pa >>> 12;
        long c = ((start ^ end) >>> lineShift) == 0
                ? caches.access(start, pa, exec, access == WRITE, Pte.attribute(pte))
                : lines(start, end, pa - start, exec, access == WRITE, Pte.attribute(pte));
        cacheCycles += c;
        clock += c;
        return OK;
    }

    /** The rare case: the translation denies the access, or the PLB must be asked. */
    private int checkRights(long pte, long need, long start, int access, boolean exec, long privilege) {
        if ((pte & need) != need || (exec && pte < 0)) {
            return fault(FAULT_PROTECTION, start, access, pte);
        }
        if (privilege != 0 && context.checkPlb && !plbAllows(start, access)) {
            return fault(FAULT_DOMAIN, start, access, pte);
        }
        return OK;
    }

    /** Every cache line of [start, end], physical address = virtual + {@code offset}. */
    private long lines(long start, long end, long offset, boolean exec, boolean write, int attr) {
        long c = 0;
        for (long line = start >>> lineShift, lastLine = end >>> lineShift; line <= lastLine; line++) {
            long lva = Math.max(line << lineShift, start);
            c += caches.access(lva, lva + offset, exec, write, attr);
        }
        return c;
    }

    /**
     * An L1 TLB miss: the L2 TLB, then a walk; fills what missed. Returns the translation, or 0
     * (not present); its page shift goes in {@link #missShift}. Charges the lookups and the walk.
     */
    private long translateMiss(long start, boolean exec, Tlb l1) {
        final int asid = context.asid;
        final long shared = context.sharedSpaces;
        long lookup = l1.hitCycles() + l2.hitCycles();
        long walk = 0;
        long pte;
        int shift;
        int slot = l2.lookup(start, asid, shared);
        if (slot >= 0) {
            pte = l2.pte(slot);
            shift = l2.pageShift(slot);
        } else {
            pte = walker.walk(start, context.root, asid);
            walk = walker.lastLatency();
            if (pte == 0) {
                charge(lookup, walk);
                return 0;
            }
            shift = walker.lastShift();
            int c2 = l2Class[shift];
            if (c2 >= 0) {
                l2.fill(start, c2, tagFor(pte, asid), pte);
            }
        }
        int c1 = exec ? l1iClass[shift] : l1dClass[shift];
        if (c1 >= 0) {
            l1.fill(start, c1, tagFor(pte, asid), pte);
        }
        charge(lookup, walk);
        missShift = shift;
        return pte;
    }

    private void charge(long lookup, long walk) {
        tlbCycles += lookup;
        walkCycles += walk;
        clock += lookup + walk;
    }

    private boolean plbAllows(long va, int access) {
        int rights = plb.lookup(context.domain, va);
        long cost = plb.hitCycles();
        if (rights < 0) {
            cost += plb.missCycles();
            rights = protectionTable == null ? -1 : plb.refill(context.domain, va, protectionTable);
        }
        charge(CycleCategory.PLB, cost);
        int need = access == WRITE ? ProtectionTable.WRITE : access == EXECUTE ? ProtectionTable.EXECUTE
                : ProtectionTable.READ;
        return rights >= 0 && (rights & need) != 0;
    }

    private int fault(int kind, long hva, int access, long pte) {
        faultAddress = hva - context.vaBase;
        faultAccess = access;
        faultPte = pte;
        return kind;
    }

    /**
     * Inserts a translation of hardware address {@code hva} into the L2 TLB and the L1 TLB of its
     * kind, tagged as a walk would tag it (an OS "pushing one entry into the TLB").
     */
    public void insertTranslation(long hva, long pte, boolean instruction) {
        int asid = context.asid;
        int c2 = l2Class[12];
        if (c2 >= 0) {
            l2.fill(hva, c2, tagFor(pte, asid), pte);
        }
        int c1 = instruction ? l1iClass[12] : l1dClass[12];
        if (c1 >= 0) {
            (instruction ? l1i : l1d).fill(hva, c1, tagFor(pte, asid), pte);
        }
    }

    /** The TLB tag a fill of {@code pte} gets: global, a shared space, or the running ASID. */
    static int tagFor(long pte, int asid) {
        if ((pte & Pte.GLOBAL) != 0) {
            return Tlb.TAG_GLOBAL;
        }
        if ((pte & Pte.SHARED) != 0) {
            return Tlb.TAG_SHARED | Pte.sharedSpace(pte);
        }
        return asid;
    }

    // ---- flushes the OS issues on this CPU: each charged to FLUSH, counted, and its cost returned ----

    public long flushAll() {
        return chargeFlush(tlbs.flushAll());
    }

    public long flushNonGlobal() {
        return chargeFlush(tlbs.flushNonGlobal());
    }

    public long flushAsid(int asid) {
        return chargeFlush(tlbs.flushAsid(asid));
    }

    /** Invalidates process address {@code va} (plus the context's base) as the current context sees it. */
    public long flushPage(long va) {
        return chargeFlush(tlbs.flushPage(va + context.vaBase, context.asid, context.sharedSpaces));
    }

    /** Invalidates hardware address {@code hva} for an explicit ASID and subscription set. */
    public long flushPage(long hva, int asid, long shared) {
        return chargeFlush(tlbs.flushPage(hva, asid, shared));
    }

    public long flushShared(int space) {
        return chargeFlush(tlbs.flushShared(space));
    }

    private long chargeFlush(long cost) {
        charge(CycleCategory.FLUSH, cost);
        return cost;
    }
}
