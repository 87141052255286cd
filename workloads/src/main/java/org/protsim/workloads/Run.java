package org.protsim.workloads;

import java.util.SplittableRandom;

/**
 * The spatial locality of a reference stream: references come in runs of consecutive
 * addresses (instructions of a basic block; words of a structure or an array), each run
 * geometrically long with a given mean and confined to one page; between runs the stream
 * jumps to an address the generator chooses. Real code does this (x86 basic blocks average
 * 4 to 6 instructions, Hennessy and Patterson; a run of fall-through blocks is longer), and
 * it is what makes caches and TLBs hit; references drawn independently at random never do.
 */
final class Run {
    /** Mean instructions of a fetch run where a workload does not configure it. */
    static final double FETCH_RUN = 8;
    /** Mean words of a data run where a workload does not configure it. */
    static final double DATA_RUN = 4;

    private final double stay;
    private final int stride;
    private long next = -1;

    /**
     * @param meanLength mean references per run (1: every reference jumps)
     * @param stride     bytes from one reference to the next within a run
     */
    Run(double meanLength, int stride) {
        this.stay = 1 - 1 / meanLength;
        this.stride = stride;
    }

    /**
     * The next address of the run, or -1 if the run ends here and the caller must jump
     * ({@link #jump}). Draws one random number.
     */
    long continueRun(SplittableRandom random) {
        if (next < 0 || random.nextDouble() >= stay) {
            return -1;
        }
        long a = next;
        long following = a + stride;
        next = (following & ~4095L) == (a & ~4095L) ? following : -1; // a run does not leave its page
        return a;
    }

    /** A fetch run: 4-byte instructions. */
    static Run fetches() {
        return new Run(FETCH_RUN, 4);
    }

    /** A data run: 8-byte words. */
    static Run words() {
        return new Run(DATA_RUN, 8);
    }

    /** Starts a new run at {@code address}; returns it. */
    long jump(long address) {
        long following = address + stride;
        next = (following & ~4095L) == (address & ~4095L) ? following : -1;
        return address;
    }
}

