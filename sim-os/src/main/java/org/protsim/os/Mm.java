package org.protsim.os;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An address space: VMAs, a page-table root and the hardware address base its addresses are
 * placed at (0 except under sasos). Also what protection models keep per address space:
 * ASIDs and generations, the CPUs that have run it, and the invalidation generation.
 */
public final class Mm {
    private final int id;
    final TreeMap<Long, Vma> vmas = new TreeMap<>();
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

    /** CPUs that have run this mm since it was last flushed everywhere (bitmask). */
    public long cpusRan;
    /** CPUs whose current context is this mm (bitmask). */
    public long cpusRunning;
    /** Bumped by every invalidation; a CPU whose cached copy is older must flush before reuse (Linux tlb_gen). */
    public long tlbGeneration;

    /** Model state: a global ASID and its generation, or a space id; per-CPU ASIDs where the model keeps them. */
    public int asid;
    public long asidGeneration;
    public int space;
    public int[] cpuAsid;
    public long[] cpuAsidGeneration;
    /** Per CPU: the invalidation generation that CPU's TLB reflects for this mm (lazy invalidation). */
    public long[] cpuTlbGeneration;
    /** Shared spaces this address space subscribes to (shared-asid). */
    public long sharedSpaces;
    /**
     * vas: the views built over this address space (a view = a process's own mappings plus one
     * first-class address space, in one root), and for a view, the two spaces it combines.
     */
    public final List<Mm> views = new ArrayList<>();
    public Mm viewOf;
    public Mm viewVas;

    Mm(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    public boolean dead() {
        return dead;
    }

    /** The VMA containing {@code va}, or null. */
    public Vma find(long va) {
        Map.Entry<Long, Vma> e = vmas.floorEntry(va);
        if (e == null) {
            return null;
        }
        Vma v = e.getValue();
        return v.contains(va) ? v : null;
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
