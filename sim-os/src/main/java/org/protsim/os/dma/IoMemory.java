package org.protsim.os.dma;

import org.protsim.hw.Cpu;
import org.protsim.hw.PhysicalMemory;
import org.protsim.hw.Pte;
import org.protsim.os.KernelMechanism;
import org.protsim.os.MechanismServices;
import org.protsim.os.Mm;
import org.protsim.os.PageTables;
import org.protsim.os.Task;
import org.protsim.os.Vma;
import org.protsim.os.pat.AttributeAliases;

import java.util.HashMap;
import java.util.Map;

/**
 * The devices' I/O memory under {@code kernel.dma}: registers and apertures mapped into a process
 * with their cache attribute through {@link PageTables#installChecked} (a page-attribute
 * mechanism may refuse a conflicting alias), and the aliases made, counted from every PTE change
 * ({@link AttributeAliases}); the stale reads they cause are the caches'.
 */
final class IoMemory {
    /** Where a mechanism-chosen mapping of I/O memory goes in a user address space. */
    static final long REGION_BASE = 0x5f00_0000_0000L;

    private final Map<Mm, Long> regionNext = new HashMap<>();
    private final AttributeAliases aliases = new AttributeAliases();
    private MechanismServices services;
    private PhysicalMemory memory;
    private PageTables tables;
    private KernelMechanism owner;

    AttributeAliases aliases() {
        return aliases;
    }

    /** At boot: the mappings' VMAs are {@code owner}'s. */
    void boot(MechanismServices s, KernelMechanism owner) {
        this.services = s;
        this.memory = s.memory();
        this.tables = s.pageTables();
        this.owner = owner;
    }

    /** Maps pages of {@code dev}'s region into {@code task}'s address space; returns the address, or EBUSY. */
    void mapRegion(Cpu cpu, Task task, DeviceState dev, DmaOps.MapRegion op) {
        int[] frames = dev.regionFrames[op.region()];
        if (op.firstPage() < 0 || op.pages() < 1 || op.firstPage() + op.pages() > frames.length) {
            throw new IllegalStateException("pages " + op.firstPage() + "+" + op.pages() + " of a region of " + frames.length);
        }
        Mm mm = task.vas() != null ? task.vas() : task.process().mm();
        long start = regionNext.getOrDefault(mm, REGION_BASE);
        long end = start + op.pages() * 4096L;
        regionNext.put(mm, end);
        Vma v = services.newVma(start, end, Vma.READ | Vma.WRITE, Vma.SHARED);
        services.map(mm, v, owner);
        for (int p = 0; p < op.pages(); p++) {
            int f = frames[op.firstPage() + p];
            long pte = Pte.withAttribute(services.userPte(mm, v, f), op.attribute());
            memory.retain(f);
            if (!tables.installChecked(cpu, mm, start + p * 4096L, pte)) {
                memory.release(f);
                services.unmap(cpu, mm, start, end, () -> services.complete(task, DmaOps.EBUSY));
                return;
            }
            services.addResident(mm, 1);
        }
        services.complete(task, start);
    }

    /** Every PTE change: the frames' attribute aliases follow. */
    void pteChanged(long oldPte, long newPte) {
        if (Pte.present(oldPte)) {
            int f = (int) Pte.frame(oldPte);
            aliases.unmapped(f, memory.kind(f) != PhysicalMemory.DEVICE, Pte.attribute(oldPte));
        }
        if (Pte.present(newPte)) {
            int f = (int) Pte.frame(newPte);
            aliases.mapped(f, memory.kind(f) != PhysicalMemory.DEVICE, Pte.attribute(newPte));
        }
    }
}
