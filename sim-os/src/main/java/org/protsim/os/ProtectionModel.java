package org.protsim.os;

import org.protsim.hw.Cpu;

import java.util.List;

/**
 * How address spaces meet the translation hardware: one implementation per protection
 * model, all driven by the same kernel and workloads (DESIGN.md section 4). The kernel owns
 * processes, VMAs and page-table contents; a model decides where translations live (own or
 * global tables), how contexts are tagged (ASIDs, shared spaces, domains), what a switch
 * flushes, how fork copies, and whom an invalidation must interrupt.
 *
 * <p>A model reaches the kernel only through the {@link ModelServices} it is booted with, and
 * keeps what it needs per address space in the mm's {@linkplain Mm#modelState() model state}
 * (as Linux keeps ASIDs in the architecture's {@code mm_context_t}). Models are found by name
 * through {@link ModelProvider}s, the built-in ones exactly as a plugin's.
 */
public interface ProtectionModel {

    /** Called once, after the kernel and its kernel-text mappings exist: what the model may ask of the kernel. */
    void boot(ModelServices services);

    /** A new, empty address space: give it a root (or a place in a global table) and model state. */
    void mmCreated(Mm mm);

    /** An address space is gone; the kernel has released its pages. Free the root and model state. */
    void mmDestroyed(Mm mm);

    /**
     * Makes {@code cpu} run {@code next}: loads the context and pays for what the switch
     * flushes. {@code loaded} is the address space the CPU's context held until now (null if
     * none or dead); {@code nextSpace} is the one {@code next} runs in.
     */
    void switchTo(Cpu cpu, Mm loaded, Task next, Mm nextSpace);

    /** Extra bits for the PTEs of {@code vma} in {@code mm} (e.g. a shared-space tag). */
    default long pteBits(Mm mm, Vma vma) {
        return 0;
    }

    /** Where a mapping of {@code object} must be placed, or 0 if anywhere will do. */
    default long placeObject(Mm mm, MemObject object, long length) {
        return 0;
    }

    /** A VMA was mapped into {@code mm} (a model may tag it with a shared space). */
    default void vmaMapped(Mm mm, Vma vma) {
    }

    /** Part of {@code vma} is being unmapped, or its rights changed (a model may untag it). */
    default void vmaChanging(Mm mm, Vma vma) {
    }

    /**
     * Builds {@code child}'s address space from {@code parent}'s at fork; {@code child.mm()}
     * exists and is empty. {@code execsAtOnce}: the child will exec before touching its
     * parent's data. Returns true if the parent's translations were changed (write-protected)
     * so that the parent's TLB entries must be invalidated.
     */
    boolean fork(Cpu cpu, Process parent, Process child, boolean execsAtOnce);

    /** Flushes pages [hva, hva + pages) of {@code mm} from {@code cpu}'s TLB as this model must; returns cycles. */
    long flushLocal(Cpu cpu, Mm mm, long hva, long pages);

    /**
     * The CPUs other than {@code initiator} that must be interrupted to invalidate translations
     * of {@code mm} now. Called after the page tables changed; a model with lazy invalidation
     * (per-CPU ASIDs) marks the others stale here.
     */
    long invalidationTargets(Cpu initiator, Mm mm);

    /** After exec built the new image's address space: a model may pre-map or prefetch (sasos). */
    default void execMapped(Cpu cpu, Process process) {
    }

    /** The address spaces that can hit a TLB entry with {@code tag} at {@code hva} on {@code cpu} (for the audit). */
    void owners(Cpu cpu, int tag, long hva, List<Owner> out);

    /** An address space as the audit checks it: its mm (VMAs) and the root its translations are read from. */
    record Owner(Mm mm, long root, long vaBase) {
    }

    // ---- first-class address spaces: only the vas model has them ----

    default boolean supportsVas() {
        return false;
    }

    /** Creates a VAS; returns its id (> 0). */
    default int vasCreate(Cpu cpu, long base, long pages, boolean readOnly) {
        throw new UnsupportedOperationException("first-class address spaces need model.name vas");
    }

    default void vasAttach(Cpu cpu, Process process, int id) {
        throw new UnsupportedOperationException("first-class address spaces need model.name vas");
    }

    /** The address space a task runs in after switching to VAS {@code id} (0: its process's own). */
    default Mm vasSwitch(Cpu cpu, Task task, int id) {
        throw new UnsupportedOperationException("first-class address spaces need model.name vas");
    }

    /** The address space whose VMAs cover {@code va} for {@code task} (a VAS or the process's mm). */
    default Mm spaceFor(Task task, long va) {
        return task.process().mm();
    }

    /** The address space whose context {@code task} runs with. */
    default Mm contextSpace(Task task) {
        return task.process().mm();
    }

    /**
     * True if a CPU whose context is {@code context} may hold translations of {@code mm}: it is
     * {@code mm}, or (vas) a view built over it.
     */
    default boolean runsOver(Mm context, Mm mm) {
        return context == mm;
    }

    // ---- information a model keeps in not-present entries (sasos on-touch fork) ----

    /**
     * The frame a not-present entry the model wrote still holds a reference to (released by the
     * kernel when the entry is cleared), or 0 if none.
     */
    default int heldFrame(long notPresentEntry) {
        return 0;
    }

    /**
     * A not-present fault on {@code va} of {@code vma} whose entry is {@code entry} (non-zero):
     * if the entry is the model's (a page to copy on first touch), map the page and return true;
     * false lets the kernel treat it as a first touch.
     */
    default boolean resolveNotPresent(Cpu cpu, Mm mm, Vma vma, long va, long entry) {
        return false;
    }

    /** ASID generations exhausted so far (0 for models without generations). */
    default long asidRollovers() {
        return 0;
    }
}
