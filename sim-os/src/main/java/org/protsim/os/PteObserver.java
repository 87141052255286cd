package org.protsim.os;

/**
 * Told of every change to a user page-table entry, after it is made. {@link PageTables} is the
 * only writer of entries (as Linux's set_pte and ptep_* helpers are, which is what lets PAT
 * tracking, mmu notifiers and KVM see every change), so an observer sees all of them: a
 * protection model keeping derived tables in step, a kernel mechanism tracking attributes or
 * DMA exposure, the audit.
 *
 * <p>The kernel's own half (its global text, linked into every root at creation and never
 * changed) is not reported.
 */
@FunctionalInterface
public interface PteObserver {
    /**
     * @param mm     the address space whose entry changed (for {@link PteChange#FORK_COPY}, the child)
     * @param va     the process address of the page ({@link Kernel#hw} gives the hardware address)
     * @param oldPte the entry before (0 if none)
     * @param newPte the entry after (0 if cleared); a not-present entry may carry model information
     * @param change what kind of change it was
     */
    void pteChanged(Mm mm, long va, long oldPte, long newPte, PteChange change);

    /**
     * Asked before a mapping installed with {@link PageTables#installChecked} is written: false
     * refuses it (nothing is written, later observers are not asked). Linux's track_pfn_remap is
     * this place: remap_pfn_range fails with -EBUSY when the memory type conflicts. An observer
     * that accepts must treat the mapping as made (it is reported to {@link #pteChanged} next).
     */
    default boolean admit(org.protsim.hw.Cpu cpu, Mm mm, long va, long newPte) {
        return true;
    }
}
