package org.protsim.os;

import org.protsim.hw.Cpu;

import java.util.Set;

/**
 * A kernel mechanism that varies independently of the protection model (user-kernel shared
 * areas, DMA protection, memory-type tracking, proxy objects: DESIGN.md section 4), plugged
 * in at the kernel's funnels. Each is chosen by its switch in the config,
 * {@code kernel.<switch> = {"mode": ..., parameters}}, several at once, mode {@code none}
 * meaning no mechanism; they are made by {@link MechanismProvider}s found by name.
 *
 * <p>Hooks are called after the kernel did its own part of the operation, in the order the
 * switches were found (ukva, dma, pat, proxy, then plugins' own switches, then any added in code). Every hook has an
 * empty default. A mechanism reaches the kernel only through the {@link MechanismServices} it
 * is booted with; device work (a transfer completing, a pager answering) runs as events it
 * schedules there, never inline.
 */
public interface KernelMechanism extends PteObserver {
    /** The mode of every switch that means "no mechanism". */
    String NONE = org.protsim.core.config.MechanismConfig.NONE;

    /** Its name in messages: "switch/mode". */
    String name();

    /** Called once, after the model booted and before any process exists. */
    default void boot(MechanismServices services) {
    }

    /** A new address space exists (its model state included). */
    default void mmCreated(Mm mm) {
    }

    /** An address space is gone: its pages are released and the model has freed its root. */
    default void mmDestroyed(Mm mm) {
    }

    /** A task (the first of a process, or a thread) exists and is about to become runnable. */
    default void taskCreated(Task task) {
    }

    /** A task has ended (it will never run again). */
    default void taskExited(Task task) {
    }

    /**
     * {@code cpu} switched from {@code previous} (the task it last ran, null if none or the same
     * task resumes) to {@code next}, after the model loaded {@code next}'s context.
     */
    default void taskSwitched(Cpu cpu, Task previous, Task next) {
    }

    /** A page-table entry changed (every change, through {@link PageTables}). */
    @Override
    default void pteChanged(Mm mm, long va, long oldPte, long newPte, PteChange change) {
    }

    /** {@code vma} was added to {@code mm}. */
    default void vmaMapped(Mm mm, Vma vma) {
    }

    /** {@code vma} (the part of a VMA inside an unmapped range) left {@code mm}; its entries are cleared. */
    default void vmaUnmapped(Mm mm, Vma vma) {
    }

    /**
     * A page fault at {@code va} in {@code vma}, which this mechanism owns ({@link Vma#owner()}):
     * it is the pager. Map the page through {@link MechanismServices#pageTables()} (the reference
     * runs again), or block the task and map it later, from an event; return false to refuse
     * the access (the process is killed, as by SIGSEGV).
     *
     * @param access {@link Cpu#READ}, {@link Cpu#WRITE} or {@link Cpu#EXECUTE}
     */
    default boolean fault(Cpu cpu, Task task, Mm mm, Vma vma, long va, int access) {
        return false;
    }

    /**
     * The system calls this mechanism adds: records implementing {@link Op.MechanismOp}. The
     * kernel routes each to the one active mechanism claiming its class (two claiming one is
     * an error at boot; an op no active mechanism claims fails the run with a clear message).
     */
    default Set<Class<? extends Op.MechanismOp>> ops() {
        return Set.of();
    }

    /**
     * Runs system call {@code op} (one of {@link #ops()}) for {@code task} on {@code cpu}. It
     * returns its value with {@link MechanismServices#complete}, at once or, after blocking the
     * task, from a later event.
     */
    default void syscall(Cpu cpu, Task task, Op.MechanismOp op) {
        throw new IllegalStateException(name() + " claims " + op.getClass().getSimpleName() + " but does not run it");
    }
}
