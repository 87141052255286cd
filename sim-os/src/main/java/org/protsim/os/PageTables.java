package org.protsim.os;

import org.protsim.hw.Cpu;
import org.protsim.hw.PhysicalMemory;
import org.protsim.hw.Pte;
import org.protsim.hw.RadixPageTable;

import java.util.Arrays;
import java.util.List;

/**
 * The kernel's one writer of page-table entries (Linux's set_pte and ptep_* helpers; gem5's
 * EmulationPageTable): every install, clear, protection or cache-attribute change, fork copy
 * and subtree link goes through here and is reported to the {@link PteObserver}s, so models,
 * mechanisms and the audit can follow every translation change. Reads are free for everyone.
 *
 * <p>A mapping's cache attribute (write-back, write-combining, uncached) lives only in its
 * PTE's attribute bits, which the hardware's caches read through the TLB; {@link #setAttribute}
 * is where it is changed.
 */
public final class PageTables {
    /** The owner recorded for the kernel's frames and for tables no address space owns alone. */
    public static final int KERNEL_OWNER = 0;

    private final PhysicalMemory memory;
    private final RadixPageTable radix;
    private final KernelStats stats;
    private final int levels;
    private final int kernelSlot;
    private final long kernelSubtree;
    private PteObserver[] observers = new PteObserver[0];
    private final int[] created = new int[1];

    PageTables(PhysicalMemory memory, RadixPageTable radix, KernelStats stats, long kernelBase, int textPages) {
        this.memory = memory;
        this.radix = radix;
        this.stats = stats;
        this.levels = radix.levels();
        this.kernelSlot = RadixPageTable.index(kernelBase, levels);
        // the kernel's text (global, supervisor-only) in a subtree every address space links
        long template = radix.newRoot(KERNEL_OWNER);
        for (int i = 0; i < textPages; i++) {
            int f = memory.allocate(PhysicalMemory.KERNEL, KERNEL_OWNER);
            radix.map(template, kernelBase + i * 4096L, Pte.of(f, Pte.GLOBAL | Pte.WRITABLE), 1, KERNEL_OWNER,
                    null);
        }
        this.kernelSubtree = memory.readPte(template, kernelSlot);
    }

    /** {@code o} is told of every later change, after the observers added before it. */
    public void addObserver(PteObserver o) {
        observers = Arrays.copyOf(observers, observers.length + 1);
        observers[observers.length - 1] = o;
    }

    private void tell(Mm mm, long va, long oldPte, long newPte, PteChange change) {
        for (PteObserver o : observers) {
            o.pteChanged(mm, va, oldPte, newPte, change);
        }
    }

    public int levels() {
        return levels;
    }

    /** The top-level slot of the kernel's half, linked into every root. */
    public int kernelSlot() {
        return kernelSlot;
    }

    // ------------------------------------------------------------------ roots

    /** A new top-level table owned by {@code owner}, linking the kernel's subtree. */
    public long newRoot(int owner) {
        long root = radix.newRoot(owner);
        memory.writePte(root, kernelSlot, kernelSubtree);
        return root;
    }

    /** Frees the tables under {@code root} except the shared kernel subtree (its user entries must be cleared). */
    public void freeRoot(long root) {
        memory.writePte(root, kernelSlot, 0);
        radix.freeTables(root);
    }

    /**
     * Frees every table that lies wholly inside hardware range [start, end) below {@code root}'s
     * top level, clearing the entries that pointed at them (a space of a shared root going away:
     * sasos). Leaves in the range must be cleared already.
     */
    public void freeTablesIn(long root, long start, long end) {
        freeTablesIn(root, levels, 0, start, end);
    }

    private void freeTablesIn(long table, int level, long base, long start, long end) {
        long[] entries = memory.table(table);
        long span = RadixPageTable.span(level);
        for (int i = 0; i < PhysicalMemory.ENTRIES_PER_TABLE; i++) {
            long e = entries[i];
            long va = base | i * span;
            if (!Pte.present(e) || Pte.huge(e) || level == 1
                    || Long.compareUnsigned(va + span - 1, start) < 0 || Long.compareUnsigned(va, end) >= 0) {
                continue;
            }
            if (level < levels && Long.compareUnsigned(va, start) >= 0 && Long.compareUnsigned(va + span - 1, end) < 0) {
                radix.freeTree(Pte.frame(e), level - 1);
                entries[i] = 0;
            } else if (level > 2) {
                freeTablesIn(Pte.frame(e), level - 1, va, start, end);
            }
        }
    }

    /** Points {@code view}'s top-level entry {@code index} at {@code entry} (another root's subtree, or 0). */
    public void link(Mm view, int index, long entry) {
        long old = memory.readPte(view.root, index);
        if (old == entry) {
            return;
        }
        memory.writePte(view.root, index, entry);
        tell(view, (long) index * RadixPageTable.span(levels), old, entry, PteChange.LINK);
    }

    // ------------------------------------------------------------------ reads

    /** The leaf translation of {@code va} in {@code mm} (0 if none). */
    public long lookup(Mm mm, long va) {
        return radix.lookup(mm.root, Kernel.hw(mm, va));
    }

    /** The leaf translation at hardware address {@code hva} under {@code root} (0 if none). */
    public long lookupHw(long root, long hva) {
        return radix.lookup(root, hva);
    }

    /** The level-1 entry of {@code va} in {@code mm} as stored, present or not. */
    public long rawEntry(Mm mm, long va) {
        return radix.rawEntry(mm.root, Kernel.hw(mm, va));
    }

    /** Every present leaf under {@code root} at hardware addresses [start, end), in address order. */
    public void forEachLeaf(long root, long start, long end, RadixPageTable.LeafVisitor visitor) {
        radix.forEachLeaf(root, start, end, visitor);
    }

    // ------------------------------------------------------------------ writes

    /** Installs {@code pte} for page {@code va} of {@code mm}; page-table pages it needs are zeroed and charged. */
    public long install(Cpu cpu, Mm mm, long va, long pte) {
        return install(cpu, mm, va, pte, PteChange.MAP);
    }

    /**
     * As {@link #install} for a mapping that carries a cache attribute of its own (a device's
     * registers, a frame buffer: Linux's remap_pfn_range and ioremap): every observer is asked
     * to {@link PteObserver#admit admit} it first. Returns false, writing nothing, if one refused.
     */
    public boolean installChecked(Cpu cpu, Mm mm, long va, long pte) {
        for (PteObserver o : observers) {
            if (!o.admit(cpu, mm, va, pte)) {
                return false;
            }
        }
        install(cpu, mm, va, pte, PteChange.MAP);
        return true;
    }

    /** As {@link #install}, reported as a fork's copy into the child {@code mm}. */
    public long installCopy(Cpu cpu, Mm mm, long va, long pte) {
        return install(cpu, mm, va, pte, PteChange.FORK_COPY);
    }

    private long install(Cpu cpu, Mm mm, long va, long pte, PteChange change) {
        created[0] = 0;
        long old = radix.setRawEntry(mm.root, Kernel.hw(mm, va), pte, mm.id(), created);
        if (Pte.present(pte)) {
            mm.everMapped = true;
        }
        if (created[0] > 0) {
            stats.chargeZero(cpu, created[0]);
        }
        tell(mm, va, old, pte, change);
        return old;
    }

    /**
     * Writes {@code pte} for hardware address {@code hva} under {@code root}, a top level a mechanism
     * keeps for {@code mm} beside its own (a per-task root): reported to the observers as a change of
     * {@code mm}. Returns the page-table pages it had to create (zeroed and charged).
     */
    public long installUnder(Cpu cpu, Mm mm, long root, long hva, long pte) {
        created[0] = 0;
        long old = radix.setRawEntry(root, hva, pte, mm.id(), created);
        if (created[0] > 0) {
            stats.chargeZero(cpu, created[0]);
        }
        tell(mm, hva - mm.vaBase, old, pte, Pte.present(pte) ? PteChange.MAP : PteChange.UNMAP);
        return created[0];
    }

    /** Replaces the present entry of {@code va} in {@code mm} by {@code pte}: same frame, other rights or tags. */
    public long protect(Mm mm, long va, long pte) {
        long old = radix.update(mm.root, Kernel.hw(mm, va), pte);
        tell(mm, va, old, pte, PteChange.PROTECT);
        return old;
    }

    /** Sets the cache attribute ({@link Pte#WRITE_BACK}, ...) of the present mapping of {@code va} in {@code mm}. */
    public long setAttribute(Mm mm, long va, int attribute) {
        long hva = Kernel.hw(mm, va);
        long old = radix.lookup(mm.root, hva);
        if (old == 0) {
            throw new IllegalStateException(mm + " maps nothing at 0x" + Long.toHexString(va));
        }
        long pte = Pte.withAttribute(old, attribute);
        radix.update(mm.root, hva, pte);
        tell(mm, va, old, pte, PteChange.ATTRIBUTE);
        return old;
    }

    /**
     * Clears every entry of {@code mm} in [start, end); frames they held (present ones, and those
     * a not-present entry holds for the model) go to {@code release}.
     */
    void clear(Mm mm, long start, long end, ProtectionModel model, List<Integer> release) {
        radix.clearEntries(mm.root, Kernel.hw(mm, start), Kernel.hw(mm, end), (hva, e, level) -> {
            if (Pte.present(e)) {
                release.add((int) Pte.frame(e));
                mm.residentPages--;
            } else {
                int held = model.heldFrame(e);
                if (held > 0) {
                    release.add(held);
                }
            }
            tell(mm, hva - mm.vaBase, e, 0, PteChange.UNMAP);
        });
    }

    /**
     * Copy-on-write fork of per-process tables: copies {@code parent}'s user tables into
     * {@code child}'s table by table (as Linux's copy_page_range walks PGD, PUD, PMD and PTE
     * pages), write-protecting private writable pages in both. Child tables are allocated
     * top-down in address order. Returns {entries copied, entries write-protected, tables created}.
     * The memory traffic of the copy is not simulated (see {@link #copyForFork(Mm, Mm, Cpu)}).
     */
    public long[] copyForFork(Mm parent, Mm child) {
        return copyForFork(parent, child, null);
    }

    /**
     * {@link #copyForFork(Mm, Mm)} with the copy's memory traffic made by {@code cpu} through its
     * caches, as Linux's copy_pte_range and copy_present_ptes (mm/memory.c) make it per present
     * entry: the parent's entry read (and written back write-protected, ptep_set_wrprotect), the
     * page's struct page written (folio_ref_add on _refcount, folio_try_dup_anon_rmap_ptes or
     * folio_dup_file_rmap_ptes on _mapcount: two atomics on one 64-byte line, {@link PhysicalMemory#structPage}),
     * and the child's entry written (set_ptes). Upper levels read the parent's entry and write the
     * child's. The instructions around them are the caller's {@code pteCopyCycles}.
     */
    public long[] copyForFork(Mm parent, Mm child, Cpu cpu) {
        long[] counts = new long[3];
        copyLevel(parent, child, parent.root, child.root, levels, 0, counts, cpu);
        return counts;
    }

    private void copyLevel(Mm pm, Mm cm, long from, long to, int level, long base, long[] counts, Cpu cpu) {
        long[] src = memory.table(from);
        int shift = 12 + 9 * (level - 1);
        for (int i = 0; i < PhysicalMemory.ENTRIES_PER_TABLE; i++) {
            long e = src[i];
            long va = base | ((long) i << shift);
            if (!Pte.present(e) || va >= Kernel.USER_TOP) {
                continue; // the kernel's half is linked into every root already
            }
            if (cpu != null) {
                cpu.referencePhysical(entryAddress(from, i), Cpu.READ);
            }
            if (level > 1 && !Pte.huge(e)) {
                int t = memory.allocate(PhysicalMemory.TABLE, memory.owner((int) to));
                memory.writePte(to, i, Pte.table(t));
                if (cpu != null) {
                    cpu.referencePhysical(entryAddress(to, i), Cpu.WRITE);
                }
                counts[2]++;
                copyLevel(pm, cm, Pte.frame(e), t, level - 1, va, counts, cpu);
                continue;
            }
            Vma v = pm.find(va);
            long copy = e;
            if (v != null && v.copyOnWrite() && Pte.writable(e)) {
                copy = (e & ~Pte.WRITABLE) | Pte.COW;
                src[i] = copy;
                counts[1]++;
                tell(pm, va, e, copy, PteChange.PROTECT);
                if (cpu != null) {
                    cpu.referencePhysical(entryAddress(from, i), Cpu.WRITE); // the line just read: a hit
                }
            }
            memory.retain((int) Pte.frame(e));
            memory.writePte(to, i, copy);
            if (cpu != null) {
                cpu.referencePhysical(PhysicalMemory.structPage(Pte.frame(e)), Cpu.WRITE);
                cpu.referencePhysical(entryAddress(to, i), Cpu.WRITE);
            }
            counts[0]++;
            tell(cm, va, 0, copy, PteChange.FORK_COPY);
        }
    }

    /** The physical address of entry {@code index} of the table in {@code frame}. */
    private static long entryAddress(long frame, int index) {
        return (frame << 12) + 8L * index;
    }
}
