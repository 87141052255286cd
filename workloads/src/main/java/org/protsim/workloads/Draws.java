package org.protsim.workloads;

/**
 * The decisions of one reference taken from one 64-bit random draw: three independent 21-bit
 * fractions (bits 0..20, 21..41, 42..62), each uniform on the multiples of 2^-21 in [0, 1), so a
 * comparison {@code fraction < p} is true with probability p to within 2^-21 (5e-7). A generator
 * that drew a double per decision spent most of its time in the random number generator
 * (README, Performance); SplittableRandom's 64 bits are independent and uniform (Steele, Lea and
 * Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014), so disjoint bit fields
 * of one draw are independent decisions.
 */
final class Draws {
    static final int FIELD_BITS = 21;
    private static final long FIELD_MASK = (1L << FIELD_BITS) - 1;
    private static final double SCALE = 0x1.0p-21;

    private Draws() {
    }

    /** Field {@code field} (0, 1 or 2) of {@code bits} as a fraction in [0, 1). */
    static double fraction(long bits, int field) {
        return ((bits >>> (FIELD_BITS * field)) & FIELD_MASK) * SCALE;
    }

    /**
     * An index uniform on 0..n-1 (n at most 2^31) from the low 32 bits of {@code bits}, by
     * multiplying and keeping the high half (Lemire, "Fast random integer generation in an
     * interval", TOMACS 2019, without the rejection step: the bias is below n / 2^32).
     */
    static int below(long bits, int n) {
        return (int) (((bits & 0xFFFF_FFFFL) * n) >>> 32);
    }
}
