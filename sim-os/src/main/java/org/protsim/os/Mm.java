package org.protsim.os;

import java.util.Map;
import java.util.TreeMap;

/**
 * An address space: VMAs, a page-table root and the hardware address base its addresses are
 * placed at (0 except under sasos), and the CPUs that run or ran it. What a protection model
 * keeps per address space (ASIDs, generations, space ids, views) is the model's own
 * {@linkplain #modelState() state}, as Linux keeps it in the architecture's {@code mm_context_t}.
 */
public final class Mm {
    private final int id;
    /** By start; every change forgets {@link #lastFound}. */
    final TreeMap<Long, Vma> vmas = new TreeMap<>() {
        @Override
        public Vma put(Long start, Vma v) {
            lastFound = null;
            return super.put(start, v);
        }

        @Override
        public Vma remove(Object start) {
            lastFound = null;
            return super.remove(start);
        }

        @Override
        public void clear() {
            lastFound = null;
            super.clear();
        }
    };
    /**
     * The VMA {@link #find} found last, while the map is unchanged: as Linux's find_vma kept
     * mm->mmap_cache (mm/mmap.c, before the per-thread vmacache of 3.15). A hit boxes no key for the
     * tree, which matters on sasos's PLB refills; VMAs do not overlap, so one that contains the
     * address is the answer.
     */
    private Vma lastFound;
    /** Root of the page table its translations live in (its own, or sasos's global table). */
    public long root;
    /** Added to every process address to form the hardware address (sasos: the space's base). */
    public long vaBase;
    /** Processes using it (more than one between vfork and exec). */
    int users = 1;
    long brkStart;
    long brkEnd;
    /** Resident user pages mapped (for statistics). */
    long residentPages;
    boolean dead;
    /** A present translation was ever installed (sasos: a space that never had one leaves no TLB entries). */
    public boolean everMapped;

    /** CPUs that have run this mm since it was last flushed everywhere (bitmask; Linux mm_cpumask). */
    public long cpusRan;
    /** CPUs whose current context is this mm (bitmask). */
    public long cpusRunning;
    private Object modelState;

    Mm(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    /** The hardware address of process address {@code va} in this address space. */
    public long hw(long va) {
        return vaBase + va;
    }

    /** What the protection model keeps for this address space (set by the model when it is created). */
    public Object modelState() {
        return modelState;
    }

    public void setModelState(Object state) {
        this.modelState = state;
    }

    public boolean dead() {
        return dead;
    }

    /** The VMA containing {@code va}, or null. */
    public Vma find(long va) {
        Vma last = lastFound;
        if (last != null && last.contains(va)) {
            return last;
        }
        Map.Entry<Long, Vma> e = vmas.floorEntry(va);
        if (e == null) {
            return null;
        }
        Vma v = e.getValue();
        if (!v.contains(va)) {
            return null;
        }
        lastFound = v;
        return v;
    }

    public Iterable<Vma> vmas() {
        return vmas.values();
    }

    public int vmaCount() {
        return vmas.size();
    }

    public long residentPages() {
        return residentPages;
    }

    @Override
    public String toString() {
        return "Mm[" + id + "]";
    }
}
