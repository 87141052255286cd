package org.protsim.os.model;

import org.protsim.hw.Cpu;
import org.protsim.os.Mm;

/**
 * Global ASIDs with generations, as arm64's allocator (arch/arm64/mm/context.c): an address
 * space keeps its ASID while its generation is current; ASIDs are never reused within a
 * generation; when none is left a new generation starts, every CPU must flush its TLB before
 * it next switches, and the ASIDs CPUs are running stay reserved for them.
 */
final class GenerationAsids {
    private final int max;
    private final boolean[] used;
    private final Mm[] owner;
    private final Mm[] active;
    private final boolean[] flushPending;
    private long generation = 1;
    private int next = 1;
    private long rollovers;

    GenerationAsids(int max, int cpus) {
        this.max = max;
        this.used = new boolean[max + 1];
        this.owner = new Mm[max + 1];
        this.active = new Mm[cpus];
        this.flushPending = new boolean[cpus];
    }

    boolean current(Mm mm) {
        return PerProcessTables.ctx(mm).asidGeneration == generation && PerProcessTables.ctx(mm).asid > 0;
    }

    /** The ASID {@code mm} runs with on {@code cpu}, allocating (and perhaps rolling over) if needed. */
    int asidFor(Cpu cpu, Mm mm) {
        if (!current(mm)) {
            allocate(mm);
        }
        active[cpu.id()] = mm;
        return PerProcessTables.ctx(mm).asid;
    }

    private void allocate(Mm mm) {
        int a = find();
        if (a < 0) {
            rollover();
            a = find();
        }
        used[a] = true;
        owner[a] = mm;
        PerProcessTables.ctx(mm).asid = a;
        PerProcessTables.ctx(mm).asidGeneration = generation;
        next = a + 1;
    }

    private int find() {
        for (int i = 0; i < max; i++) {
            int a = 1 + (next - 1 + i) % max;
            if (!used[a]) {
                return a;
            }
        }
        return -1;
    }

    private void rollover() {
        generation++;
        rollovers++;
        java.util.Arrays.fill(used, false);
        java.util.Arrays.fill(owner, null);
        java.util.Arrays.fill(flushPending, true);
        for (Mm mm : active) {
            if (mm != null && !mm.dead() && PerProcessTables.ctx(mm).asid > 0) {
                // reserved: a running address space keeps its ASID into the new generation
                used[PerProcessTables.ctx(mm).asid] = true;
                owner[PerProcessTables.ctx(mm).asid] = mm;
                PerProcessTables.ctx(mm).asidGeneration = generation;
            }
        }
        next = 1;
    }

    /** True once per rollover for each CPU: it must flush everything before running on. */
    boolean takeFlushPending(Cpu cpu) {
        boolean p = flushPending[cpu.id()];
        flushPending[cpu.id()] = false;
        return p;
    }

    boolean flushPending(Cpu cpu) {
        return flushPending[cpu.id()];
    }

    /** An address space died: its ASID stays used until the next generation (never reused within one). */
    void release(Mm mm) {
        if (current(mm) && owner[PerProcessTables.ctx(mm).asid] == mm) {
            owner[PerProcessTables.ctx(mm).asid] = null;
        }
        for (int i = 0; i < active.length; i++) {
            if (active[i] == mm) {
                active[i] = null;
            }
        }
    }

    Mm owner(int asid) {
        return asid > 0 && asid <= max ? owner[asid] : null;
    }

    long rollovers() {
        return rollovers;
    }
}
