package org.protsim.os;

import org.protsim.core.config.CostsConfig;
import org.protsim.core.config.RunConfig;
import org.protsim.core.stats.Stats;
import org.protsim.hw.Cpu;
import org.protsim.hw.PhysicalMemory;

/**
 * What a {@link ProtectionModel} may ask of the kernel (as an SST component gets its Params and
 * Links, never the simulator): the machine's CPUs and frames, the one page-table writer, and the
 * few kernel-side operations on address spaces a model needs. The kernel object stays private.
 */
public interface ModelServices {
    RunConfig config();

    CostsConfig costs();

    /** Where a model registers its own counters (with name, unit and description). */
    Stats stats();

    int cpuCount();

    Cpu cpu(int id);

    /** Frames: allocate, retain, release, read table contents. Page-table entries are written through {@link #pageTables()}. */
    PhysicalMemory memory();

    PageTables pageTables();

    /** The address space whose context CPU {@code cpu} holds (lazily, also while idle); null if none. */
    Mm loaded(int cpu);

    /** Every live process. */
    Iterable<Process> processes();

    /** A new, empty address space (the model's {@link ProtectionModel#mmCreated} is called for it). */
    Mm newMm();

    /** {@code mm} is dead: no CPU may keep it as its (lazily) loaded context. */
    void forgetSpace(Mm mm);

    /** Copies {@code from}'s VMAs and heap bounds into the empty {@code to} (fork). */
    void copyVmas(Mm from, Mm to);

    /** Adds {@code vma} to {@code mm} (the model's {@link ProtectionModel#vmaMapped} is called). */
    void addVma(Mm mm, Vma vma);

    /** A new anonymous VMA, not yet in any address space. */
    Vma newVma(long start, long end, int prot, int flags);

    /** {@code pages} more user pages of {@code mm} are resident (mapped outside the fault path). */
    void addResident(Mm mm, long pages);

    /** Zeroing {@code pages} pages on {@code cpu}, charged as copy work and counted. */
    void chargeZero(Cpu cpu, long pages);

    /** Copying {@code pages} pages on {@code cpu}, charged as copy work and counted. */
    void chargeCopy(Cpu cpu, long pages);

    /** {@code entries} page-table entries copied or write-protected at fork (counted). */
    void countPtesCopied(long entries);

    /** Fixes the one address every process maps {@code object} at (shared-asid libraries). */
    void setFixedAddress(MemObject object, long address);

    /** Gives {@code object} a shared space id (-1: none). */
    void setSharedSpace(MemObject object, int space);

    /** Tags {@code vma}'s pages with shared space {@code space} (-1: none). */
    void setSharedSpace(Vma vma, int space);
}
