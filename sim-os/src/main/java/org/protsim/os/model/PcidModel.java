package org.protsim.os.model;

import org.protsim.core.config.AsidPolicy;
import org.protsim.core.config.ModelConfig;
import org.protsim.hw.Cpu;
import org.protsim.os.ModelServices;
import org.protsim.os.Mm;
import org.protsim.os.Task;

/**
 * As {@link ConventionalModel}, with TLB entries tagged by ASID (x86 PCID, arm64 ASID), so a
 * switch to an address space whose entries are still valid flushes nothing. Two policies:
 * <ul>
 *   <li>{@code percpu-slots}: Linux x86 (arch/x86/mm/tlb.c, choose_new_asid): each CPU keeps
 *       {@code asidSlots} (TLB_NR_DYN_ASIDS = 6) recently used address spaces; switching to one
 *       in a slot with no pending invalidation flushes nothing; otherwise the least recently used
 *       slot is taken and its ASID flushed. With more runnable address spaces per CPU than slots,
 *       every switch flushes, as without PCID.</li>
 *   <li>{@code generation}: arm64 (arch/arm64/mm/context.c): global ASIDs of {@code asidBits},
 *       never reused within a generation; running out starts a new generation and every CPU
 *       flushes its whole TLB (a rollover).</li>
 * </ul>
 * Invalidations of an address space interrupt only the CPUs running it; the others see its
 * invalidation generation move and flush its ASID when they next switch to it (Linux tlb_gen).
 */
final class PcidModel extends PerProcessTables {
    private final ModelConfig config;
    // percpu-slots
    private Mm[][] slotMm;
    private long[][] slotGeneration;
    private long[][] slotUsed;
    private long tick;
    // generation
    private GenerationAsids generations;

    PcidModel(ModelConfig config) {
        this.config = config;
    }

    @Override
    public void boot(ModelServices k) {
        super.boot(k);
        if (config.asidPolicy() == AsidPolicy.PERCPU_SLOTS) {
            int slots = config.asidSlots();
            slotMm = new Mm[cpus][slots];
            slotGeneration = new long[cpus][slots];
            slotUsed = new long[cpus][slots];
        } else {
            generations = new GenerationAsids((1 << config.asidBits()) - 1, cpus);
        }
    }

    @Override
    public long asidRollovers() {
        return generations == null ? 0 : generations.rollovers();
    }

    @Override
    public void mmDestroyed(Mm mm) {
        super.mmDestroyed(mm);
        if (slotMm != null) {
            for (Mm[] slots : slotMm) {
                for (int i = 0; i < slots.length; i++) {
                    if (slots[i] == mm) {
                        slots[i] = null;
                    }
                }
            }
        } else {
            generations.release(mm);
        }
    }

    @Override
    public void switchTo(Cpu cpu, Mm loaded, Task next, Mm space) {
        if (loaded != space) {
            chargeRootSwitch(cpu); // MOV CR3 with the no-flush bit
            scrubVirtualCaches(cpu);
        }
        if (slotMm != null) {
            switchSlots(cpu, space);
        } else {
            int asid = generations.asidFor(cpu, space);
            load(cpu, space, asid);
            if (generations.takeFlushPending(cpu)) {
                cpu.flushAll(); // the rollover's flush of everything, done at this CPU's next switch
                markFlushed(cpu, space);
            } else if (staleOn(cpu, space)) {
                cpu.flushAsid(asid);
                markFlushed(cpu, space);
            }
        }
    }

    private void switchSlots(Cpu cpu, Mm space) {
        int c = cpu.id();
        Mm[] slots = slotMm[c];
        int slot = -1;
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] == space) {
                slot = i;
                break;
            }
        }
        if (slot < 0) {
            slot = 0;
            for (int i = 0; i < slots.length; i++) {
                if (slots[i] == null) {
                    slot = i;
                    break;
                }
                if (slotUsed[c][i] < slotUsed[c][slot]) {
                    slot = i;
                }
            }
            slots[slot] = space;
            load(cpu, space, slot + 1);
            cpu.flushAsid(slot + 1); // the slot's previous owner's entries
            slotGeneration[c][slot] = ctx(space).tlbGeneration;
        } else {
            load(cpu, space, slot + 1);
            if (slotGeneration[c][slot] != ctx(space).tlbGeneration) {
                cpu.flushAsid(slot + 1);
                slotGeneration[c][slot] = ctx(space).tlbGeneration;
            }
        }
        slotUsed[c][slot] = ++tick;
    }

    @Override
    void markFlushed(Cpu cpu, Mm mm) {
        super.markFlushed(cpu, mm);
        if (slotMm != null) {
            Mm[] slots = slotMm[cpu.id()];
            for (int i = 0; i < slots.length; i++) {
                if (slots[i] == mm) {
                    slotGeneration[cpu.id()][i] = ctx(mm).tlbGeneration;
                }
            }
        }
    }

    @Override
    int asidOf(Cpu cpu, Mm mm) {
        if (slotMm != null) {
            Mm[] slots = slotMm[cpu.id()];
            for (int i = 0; i < slots.length; i++) {
                if (slots[i] == mm) {
                    return i + 1;
                }
            }
            return -1; // not cached on this CPU: nothing to flush
        }
        return generations.current(mm) ? ctx(mm).asid : -1;
    }

    @Override
    Mm ownerOfAsid(Cpu cpu, int asid) {
        if (slotMm != null) {
            if (asid < 1 || asid > slotMm[cpu.id()].length) {
                return null;
            }
            Mm mm = slotMm[cpu.id()][asid - 1];
            // entries of a slot with a pending invalidation are flushed before they can be used
            return mm != null && (slotGeneration[cpu.id()][asid - 1] == ctx(mm).tlbGeneration
                    || kernel.loaded(cpu.id()) == mm) ? mm : null;
        }
        if (generations.flushPending(cpu)) {
            return null;
        }
        Mm mm = generations.owner(asid);
        return mm != null && (!staleOn(cpu, mm) || kernel.loaded(cpu.id()) == mm) ? mm : null;
    }
}
