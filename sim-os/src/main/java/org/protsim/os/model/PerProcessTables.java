package org.protsim.os.model;

import org.protsim.core.config.CostsConfig;
import org.protsim.hw.Cpu;
import org.protsim.hw.CycleCategory;
import org.protsim.os.ModelServices;
import org.protsim.os.Mm;
import org.protsim.os.Process;
import org.protsim.os.ProtectionModel;

import java.util.List;

/**
 * What the Unix-like models share: every address space has its own radix page table whose
 * top half links the kernel's global subtree; fork copies the page tables and write-protects
 * private writable pages in both parent and child (copy-on-write), as Linux's copy_page_range
 * does; invalidating a range flushes page by page up to the range-flush ceiling and the whole
 * address space above it (Linux x86 tlb.c, tlb_single_page_flush_ceiling = 33).
 */
abstract class PerProcessTables implements ProtectionModel {
    /**
     * What these models keep per address space (their mm_context_t): the invalidation
     * generation and the one each CPU's TLB reflects (Linux tlb_gen), the shared spaces it
     * subscribes to, and a global ASID with its generation where the model hands those out.
     */
    static class Context {
        /** Bumped by every invalidation; a CPU whose cached copy is older must flush before reuse (Linux tlb_gen). */
        long tlbGeneration;
        /** Per CPU: the invalidation generation that CPU's TLB reflects for this mm (lazy invalidation). */
        final long[] cpuTlbGeneration;
        /** Shared spaces this address space subscribes to (shared-asid, vas). */
        long sharedSpaces;
        /** A global ASID and its generation (models with {@link GenerationAsids}). */
        int asid;
        long asidGeneration;

        Context(int cpus) {
            this.cpuTlbGeneration = new long[cpus];
        }
    }

    protected ModelServices kernel;
    protected CostsConfig costs;
    protected int cpus;

    @Override
    public void boot(ModelServices k) {
        this.kernel = k;
        this.costs = k.costs();
        this.cpus = k.cpuCount();
    }

    /** This model's state of {@code mm}. */
    static Context ctx(Mm mm) {
        return (Context) mm.modelState();
    }

    /** A fresh per-mm state (models keeping more extend {@link Context}). */
    Context newContext() {
        return new Context(cpus);
    }

    @Override
    public void mmCreated(Mm mm) {
        mm.root = kernel.pageTables().newRoot(mm.id());
        mm.vaBase = 0;
        mm.setModelState(newContext());
    }

    @Override
    public void mmDestroyed(Mm mm) {
        kernel.pageTables().freeRoot(mm.root);
    }

    /** The ASID {@code mm}'s entries carry on {@code cpu} (0 when the model has none). */
    abstract int asidOf(Cpu cpu, Mm mm);

    /**
     * Flushes every translation of {@code mm} on {@code cpu}: the entries of its ASID there, or
     * nothing when it holds none there (models without ASIDs override this).
     */
    long flushWhole(Cpu cpu, Mm mm) {
        int asid = asidOf(cpu, mm);
        return asid < 0 ? 0 : cpu.flushAsid(asid);
    }

    /**
     * Whether {@code cpu}'s TLB may hold entries of {@code mm}: not when the mm holds no live ASID
     * there (they were flushed when the ASID was given up), so invalidations there cost nothing.
     */
    boolean mayHoldEntries(Cpu cpu, Mm mm) {
        return asidOf(cpu, mm) >= 0;
    }

    /** {@code cpu}'s TLB now reflects {@code mm}'s current invalidation generation. */
    void markFlushed(Cpu cpu, Mm mm) {
        Context c = ctx(mm);
        c.cpuTlbGeneration[cpu.id()] = c.tlbGeneration;
    }

    /** Loads {@code space}'s root, ASID and subscriptions into {@code cpu}'s context. */
    static void load(Cpu cpu, Mm space, int asid) {
        cpu.context().set(space.root, asid, ctx(space).sharedSpaces, 0, 0, false);
    }

    /** Writing the root register: charged to the switch. */
    void chargeRootSwitch(Cpu cpu) {
        cpu.charge(CycleCategory.SWITCH, costs.rootSwitchCycles());
    }

    /**
     * A virtually tagged L1 cannot tell two address spaces' homonyms apart: scrub it when the
     * address space changes (models that guarantee no aliasing, sasos, skip this).
     */
    void scrubVirtualCaches(Cpu cpu) {
        int lines = 0;
        if (cpu.caches().l1d().virtuallyTagged()) {
            lines += cpu.caches().l1d().flushAll();
        }
        if (cpu.caches().l1i().virtuallyTagged()) {
            lines += cpu.caches().l1i().flushAll();
        }
        if (lines > 0) {
            cpu.charge(CycleCategory.FLUSH, (long) lines * costs.cacheFlushLineCycles());
        }
    }

    @Override
    public long flushLocal(Cpu cpu, Mm mm, long hva, long pages) {
        if (!mayHoldEntries(cpu, mm)) {
            markFlushed(cpu, mm);
            return 0;
        }
        long cost;
        if (pages > costs.rangeFlushCeilingPages()) {
            cost = flushWhole(cpu, mm);
        } else {
            cost = 0;
            int asid = asidOf(cpu, mm);
            long shared = ctx(mm).sharedSpaces;
            for (long i = 0; i < pages; i++) {
                cost += cpu.flushPage(hva + i * 4096, asid, shared);
            }
        }
        markFlushed(cpu, mm);
        return cost;
    }

    @Override
    public long invalidationTargets(Cpu initiator, Mm mm) {
        ctx(mm).tlbGeneration++; // CPUs that cached mm but do not run it now flush when they switch back
        return mm.cpusRunning & ~(1L << initiator.id());
    }

    /**
     * Copy-on-write fork: the page-table part copies the parent's user tables into the child's,
     * write-protecting private writable pages in both (Linux copy_page_range).
     */
    @Override
    public boolean fork(Cpu cpu, Process parent, Process child, boolean execsAtOnce) {
        Mm pm = parent.mm();
        Mm cm = child.mm();
        kernel.copyVmas(pm, cm);
        // entries copied, write-protected, tables created; the copy's reads and writes of entries and
        // struct pages go through this CPU's caches
        long[] counts = kernel.pageTables().copyForFork(pm, cm, cpu);
        kernel.addResident(cm, counts[0]);
        kernel.countPtesCopied(counts[0]);
        kernel.chargeZero(cpu, counts[2]);
        cpu.charge(CycleCategory.COPY, counts[0] * costs.pteCopyCycles());
        if (counts[0] > 0) {
            cm.everMapped = true;
        }
        return counts[1] > 0;
    }

    @Override
    public void owners(Cpu cpu, int tag, long hva, List<Owner> out) {
        Mm mm = ownerOfAsid(cpu, tag);
        if (mm != null && !mm.dead()) {
            out.add(new Owner(mm, mm.root, 0));
        }
    }

    /** The address space that can hit entries tagged {@code asid} on {@code cpu} without a flush first, or null. */
    abstract Mm ownerOfAsid(Cpu cpu, int asid);

    /** True if {@code cpu} must flush {@code mm} before running it (an invalidation it has not seen). */
    boolean staleOn(Cpu cpu, Mm mm) {
        Context c = ctx(mm);
        return c.cpuTlbGeneration[cpu.id()] != c.tlbGeneration;
    }
}
