package org.protsim.os.model;

import org.protsim.core.config.CostsConfig;
import org.protsim.hw.Cpu;
import org.protsim.hw.CycleCategory;
import org.protsim.hw.PhysicalMemory;
import org.protsim.hw.Pte;
import org.protsim.os.Kernel;
import org.protsim.os.Mm;
import org.protsim.os.Process;
import org.protsim.os.Vma;

import java.util.List;

/**
 * What the Unix-like models share: every address space has its own radix page table whose
 * top half links the kernel's global subtree; fork copies the page tables and write-protects
 * private writable pages in both parent and child (copy-on-write), as Linux's copy_page_range
 * does; invalidating a range flushes page by page up to the range-flush ceiling and the whole
 * address space above it (Linux x86 tlb.c, tlb_single_page_flush_ceiling = 33).
 */
abstract class PerProcessTables implements ProtectionModel {
    protected Kernel kernel;
    protected CostsConfig costs;
    protected int cpus;

    @Override
    public void boot(Kernel k) {
        this.kernel = k;
        this.costs = k.costs();
        this.cpus = k.machine().cpuCount();
    }

    @Override
    public void mmCreated(Mm mm) {
        mm.root = kernel.newRoot(mm.id());
        mm.vaBase = 0;
        mm.cpuTlbGeneration = new long[cpus];
    }

    @Override
    public void mmDestroyed(Mm mm) {
        kernel.freeRoot(mm.root);
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
        mm.cpuTlbGeneration[cpu.id()] = mm.tlbGeneration;
    }

    /** Loads {@code space}'s root, ASID and subscriptions into {@code cpu}'s context. */
    static void load(Cpu cpu, Mm space, int asid) {
        cpu.context().set(space.root, asid, space.sharedSpaces, 0, 0, false);
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
            for (long i = 0; i < pages; i++) {
                cost += cpu.flushPage(hva + i * 4096, asid, mm.sharedSpaces);
            }
        }
        markFlushed(cpu, mm);
        return cost;
    }

    @Override
    public long invalidationTargets(Cpu initiator, Mm mm) {
        mm.tlbGeneration++; // CPUs that cached mm but do not run it now flush when they switch back
        long targets = mm.cpusRunning;
        for (Mm view : mm.views) {
            view.tlbGeneration++;
            targets |= view.cpusRunning;
        }
        return targets & ~(1L << initiator.id());
    }

    /**
     * Copy-on-write fork: copies the parent's user page tables table by table (as Linux's
     * copy_page_range walks PGD, PUD, PMD and PTE pages), write-protecting private writable pages
     * in both. Child tables are allocated top-down in address order.
     */
    @Override
    public boolean fork(Cpu cpu, Process parent, Process child, boolean execsAtOnce) {
        Mm pm = parent.mm();
        Mm cm = child.mm();
        Models.copyVmas(kernel, pm, cm);
        long[] counts = new long[3]; // entries copied, entries write-protected, tables created
        copyLevel(pm, pm.root, cm.root, kernel.tables().levels(), 0, counts);
        Models.addResident(cm, counts[0]);
        kernel.countPtesCopied(counts[0]);
        kernel.chargeZero(cpu, counts[2]);
        cpu.charge(CycleCategory.COPY, counts[0] * costs.pteCopyCycles());
        if (counts[0] > 0) {
            cm.everMapped = true;
        }
        return counts[1] > 0;
    }

    private void copyLevel(Mm pm, long from, long to, int level, long base, long[] counts) {
        PhysicalMemory memory = kernel.memory();
        long[] src = memory.table(from);
        int shift = 12 + 9 * (level - 1);
        for (int i = 0; i < PhysicalMemory.ENTRIES_PER_TABLE; i++) {
            long e = src[i];
            long va = base | ((long) i << shift);
            if (!Pte.present(e) || va >= Models.USER_TOP) {
                continue; // the kernel's half is linked into every root already
            }
            if (level > 1 && !Pte.huge(e)) {
                int t = memory.allocate(PhysicalMemory.TABLE, cm(to));
                memory.writePte(to, i, Pte.table(t));
                counts[2]++;
                copyLevel(pm, Pte.frame(e), t, level - 1, va, counts);
                continue;
            }
            Vma v = pm.find(va);
            long copy = e;
            if (v != null && v.copyOnWrite() && Pte.writable(e)) {
                copy = (e & ~Pte.WRITABLE) | Pte.COW;
                src[i] = copy;
                counts[1]++;
            }
            memory.retain((int) Pte.frame(e));
            memory.writePte(to, i, copy);
            counts[0]++;
        }
    }

    /** The owner recorded for table frames of the child: the child's mm (as a new root's owner). */
    private int cm(long childTable) {
        return kernel.memory().owner((int) childTable);
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
        return mm.cpuTlbGeneration[cpu.id()] != mm.tlbGeneration;
    }
}
