package org.protsim.os;

import org.protsim.core.Event;
import org.protsim.core.config.CostsConfig;
import org.protsim.core.config.RunConfig;
import org.protsim.core.stats.Stats;
import org.protsim.hw.BlockDevice;
import org.protsim.hw.Cpu;
import org.protsim.hw.CycleCategory;
import org.protsim.hw.Iommu;
import org.protsim.hw.PhysicalMemory;

/**
 * What a {@link KernelMechanism} may ask of the kernel: map and unmap, write entries through
 * the one page-table writer, charge cycles, shoot translations down, block and wake tasks,
 * return from its system calls, and schedule device work as events. The kernel object stays
 * private.
 */
public interface MechanismServices {
    RunConfig config();

    CostsConfig costs();

    /** Where a mechanism registers its own counters (with name, unit and description). */
    Stats stats();

    int cpuCount();

    Cpu cpu(int id);

    PhysicalMemory memory();

    /** The machine's block device (machine.disk): a mechanism submits to it and sets its completion handler. */
    BlockDevice disk();

    PageTables pageTables();

    /** The current simulated cycle. */
    long now();

    /** Schedules device work: {@code event} (held and reused by the mechanism) fires at cycle {@code time}. */
    void scheduleAt(Event event, long time);

    /** Charges {@code cycles} of {@code category} to {@code cpu}. */
    void charge(Cpu cpu, CycleCategory category, long cycles);

    /**
     * The IOMMU devices' DMA goes through ({@code machine.iommu}); built, and its counters
     * registered, on the first call, so runs that never ask have none.
     */
    Iommu iommu();

    /** A new, empty address space of the model's kind with no task in it (a driver's protection domain). */
    Mm newMm();

    /** The entry the model would install for {@code frame} at a user page of {@code vma} in {@code mm}. */
    long userPte(Mm mm, Vma vma, long frame);

    /** A new anonymous VMA, not yet in any address space. */
    Vma newVma(long start, long end, int prot, int flags);

    /** Adds {@code vma} to {@code mm}, owned by {@code owner}: faults in it go to {@code owner.fault} (null: the kernel's). */
    void map(Mm mm, Vma vma, KernelMechanism owner);

    /**
     * Unmaps [start, end) of {@code mm} from a system call or fault running on {@code cpu}: VMAs
     * cut, entries cleared, other CPUs shot down; frames are released and {@code after} runs once
     * every CPU has acknowledged (the calling CPU waits).
     */
    void unmap(Cpu cpu, Mm mm, long start, long end, Runnable after);

    /**
     * After entries of {@code mm} for [va, va + pages pages) changed, from a system call or fault
     * on {@code cpu}: flushes them here, shoots down the CPUs the model names, and runs
     * {@code after} once all have acknowledged.
     */
    void shootDown(Cpu cpu, Mm mm, long va, long pages, Runnable after);

    /** {@code task} stops running until {@link #wake}: call from its own system call or fault. */
    void block(Task task);

    /** {@code pages} more user pages of {@code mm} are resident (a pager mapped them). */
    void addResident(Mm mm, long pages);

    /** Makes the blocked {@code task} runnable again, no earlier than cycle {@code time}. */
    void wake(Task task, long time);

    /** Returns {@code value} to {@code task} as its system call's result. */
    void complete(Task task, long value);
}
