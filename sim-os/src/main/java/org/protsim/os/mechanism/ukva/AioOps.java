package org.protsim.os.mechanism.ukva;

import org.protsim.os.Op;

/**
 * The asynchronous I/O system calls, after Linux's {@code io_setup}, {@code io_submit},
 * {@code io_getevents} and {@code io_destroy} (and io_uring's {@code io_uring_setup} and
 * {@code io_uring_enter}, which do the same jobs over rings). {@code kernel.ukva} decides what
 * each costs; every mode runs them.
 */
public final class AioOps {
    private AioOps() {
    }

    /** Make a context for up to {@code entries} I/Os in flight; returns its id (under a ring mode, the ring's user address). */
    public record Setup(int entries) implements Op.MechanismOp {
    }

    /**
     * Hand {@code count} I/Os to the kernel. Under {@code none} the requests are copied in (io_submit);
     * under a ring mode they are already in the submission ring and this only notifies (io_uring_enter
     * with to_submit). Returns {@code count}.
     */
    public record Submit(long ctx, int count) implements Op.MechanismOp {
    }

    /**
     * Wait until at least {@code min} completions are there (0: do not wait), then return how many
     * (at most {@code max}). Under {@code none} they are copied out and consumed (io_getevents); under a
     * ring mode they stay in the ring for the caller to read (io_uring_enter with min_complete).
     */
    public record Reap(long ctx, int min, int max) implements Op.MechanismOp {
    }

    /** Tear the context down: under a ring mode its pages are unmapped and every CPU running the mm shot down. */
    public record Destroy(long ctx) implements Op.MechanismOp {
    }
}
