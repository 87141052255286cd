package org.protsim.workloads;

import java.util.SplittableRandom;

/**
 * The spatial locality of a reference stream: references come in stretches of consecutive
 * addresses (instructions of a basic block; words of a structure or an array), each stretch
 * geometrically long with a given mean and confined to one page; between stretches the stream
 * jumps to an address the generator chooses. Real code does this (x86 basic blocks average
 * 4 to 6 instructions, Hennessy and Patterson; a stretch of fall-through blocks is longer), and
 * it is what makes caches and TLBs hit; references drawn independently at random never do.
 * (The config keys {@code fetchRun} and {@code dataRun} of shared-libc are mean stretch lengths;
 * they keep their published names.)
 */
final class Stretch {
    /** Mean instructions of a fetch stretch where a workload does not configure it. */
    static final double FETCH_MEAN = 8;
    /** Mean words of a data stretch where a workload does not configure it. */
    static final double DATA_MEAN = 4;

    private final double stay;
    private final int stride;
    private long next = -1;

    /**
     * @param meanLength mean references per stretch (1: every reference jumps)
     * @param stride     bytes from one reference to the next within a stretch
     */
    Stretch(double meanLength, int stride) {
        this.stay = 1 - 1 / meanLength;
        this.stride = stride;
    }

    /**
     * The next address of the stretch, or -1 if the stretch ends here and the caller must jump
     * ({@link #jump}). Draws one random number.
     */
    long proceed(SplittableRandom random) {
        if (next < 0 || random.nextDouble() >= stay) {
            return -1;
        }
        long a = next;
        long following = a + stride;
        next = (following & ~4095L) == (a & ~4095L) ? following : -1; // a stretch does not leave its page
        return a;
    }

    /**
     * As {@link #proceed(SplittableRandom)}, deciding from field 1 of a reference's draw
     * ({@link Draws}) instead of a draw of its own.
     */
    long proceed(long bits) {
        if (next < 0 || Draws.fraction(bits, 1) >= stay) {
            return -1;
        }
        long a = next;
        long following = a + stride;
        next = (following & ~4095L) == (a & ~4095L) ? following : -1;
        return a;
    }

    /** A fetch stretch: 4-byte instructions. */
    static Stretch fetches() {
        return new Stretch(FETCH_MEAN, 4);
    }

    /** A data stretch: 8-byte words. */
    static Stretch words() {
        return new Stretch(DATA_MEAN, 8);
    }

    /** Starts a new stretch at {@code address}; returns it. */
    long jump(long address) {
        long following = address + stride;
        next = (following & ~4095L) == (address & ~4095L) ? following : -1;
        return address;
    }
}
