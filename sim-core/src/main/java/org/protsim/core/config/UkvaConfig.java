package org.protsim.core.config;

/**
 * {@code kernel.ukva}: how asynchronous I/O completions (and submissions) reach a process, the
 * three designs of the 2002 aio-core thread (docs/sources.md [003]): {@code none}, a system call
 * copying requests in and events out; {@code per-mm}, a ring of pages mapped in the kernel and in
 * the address space, shared by its tasks (Linux's aio ring, io_uring); {@code per-task}, a ring
 * private to each task behind a top-level page table of its own (Martin Bligh's proposal).
 *
 * @param mode          which design runs; {@code none} (the default) is the classic system-call interface
 * @param ringEntries   entries of a completion ring and of a submission ring (at least the queue depth
 *                      asked for at setup): 128, io_uring's usual size for fio's iodepth up to 128
 * @param sqPoll        a kernel thread polls the submission ring (io_uring's IORING_SETUP_SQPOLL), so a
 *                      submission needs no system call; it runs on the last CPU
 * @param atomicCycles  cost of one locked read-modify-write of a ring index, beyond its memory reference
 */
public record UkvaConfig(String mode, int ringEntries, boolean sqPoll, int atomicCycles) implements MechanismConfig {
    public static final UkvaConfig DEFAULT = new UkvaConfig(NONE,
            // liburing's examples and fio (engines/io_uring.c) size the rings to the queue depth; 128 covers fio's defaults
            128,
            false,
            // docs/hardware-costs.md "locked RMW": LOCK XADD/CMPXCHG m,r about 18 cycles on Skylake
            18);

    /** A ring of pages per address space, shared by its tasks (Linux's aio ring, io_uring). */
    public static final String PER_MM = "per-mm";
    /** A ring private to each task, behind a top-level page table of its own. */
    public static final String PER_TASK = "per-task";

    public UkvaConfig {
        Check.that(mode != null, "mode", "must be given");
        Check.range("ringEntries", ringEntries, 1, 1 << 15);
        Check.range("atomicCycles", atomicCycles, 0, 100_000);
    }

    /** This config with another mode. */
    public UkvaConfig withMode(String m) {
        return new UkvaConfig(m, ringEntries, sqPoll, atomicCycles);
    }

    /** This config with submission polling on or off. */
    public UkvaConfig withSqPoll(boolean on) {
        return new UkvaConfig(mode, ringEntries, on, atomicCycles);
    }
}
