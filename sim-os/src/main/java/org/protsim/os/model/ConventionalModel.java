package org.protsim.os.model;

import org.protsim.hw.Cpu;
import org.protsim.os.Mm;
import org.protsim.os.Task;

/**
 * Linux on x86 without PCID (before 4.14, or with PCID disabled): one page table per process,
 * kernel mapped with global entries; switching to another address space writes CR3, which
 * flushes every non-global TLB entry; threads of one address space switch without a flush.
 * Fork copies page tables copy-on-write and flushes the parent (flush_tlb_mm).
 */
final class ConventionalModel extends PerProcessTables {

    @Override
    public void switchTo(Cpu cpu, Mm loaded, Task next, Mm space) {
        load(cpu, space, 0);
        if (loaded != space) {
            chargeRootSwitch(cpu);
            cpu.flushNonGlobal();
            scrubVirtualCaches(cpu);
            markFlushed(cpu, space);
        } else if (staleOn(cpu, space)) {
            cpu.flushNonGlobal();
            markFlushed(cpu, space);
        }
    }

    @Override
    int asidOf(Cpu cpu, Mm mm) {
        return 0;
    }

    @Override
    long flushWhole(Cpu cpu, Mm mm) {
        return cpu.flushNonGlobal();
    }

    @Override
    Mm ownerOfAsid(Cpu cpu, int asid) {
        // without ASIDs only the loaded address space's entries survive a switch
        return asid == 0 ? kernel.loaded(cpu.id()) : null;
    }
}
