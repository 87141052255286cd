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

    /**
     * A new VMA of {@code object} from page {@code objectPage}, not yet in any address space, whose
     * rights mprotect may never raise above {@code maxProt}.
     */
    Vma newObjectVma(long start, long end, int prot, int maxProt, int flags, MemObject object, long objectPage);

    /** A free place for {@code length} bytes of {@code object} in {@code mm}, where the model wants the object if it does. */
    long place(Mm mm, MemObject object, long length);

    /** A new memory object of {@code pages} pages (a proxy that is a memory object of its own). */
    MemObject newObject(String name, long pages);

    /**
     * The page-cache frame of page {@code page} of {@code object}, as its pager returns it: read in
     * on first use (charged to {@code cpu} as filling one page). Returns the frame, negated if it
     * was read in now.
     */
    int pageIn(Cpu cpu, MemObject object, long page);

    /** The bits the protection model adds to the entries of {@code vma} in {@code mm} (a shared-space tag). */
    long pteBits(Mm mm, Vma vma);

    /** Charges {@code pages} page copies to {@code cpu} (counted in pages.copied). */
    void chargeCopy(Cpu cpu, long pages);

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
