package org.example.protsim;

import org.junit.jupiter.api.Test;
import org.protsim.hw.Pte;
import org.protsim.hw.Tlb;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SrripPolicyTest {
    private static final long A = 0x1000, B = 0x2000, C = 0x3000, D = 0x4000;

    private static void fill(Tlb t, long va) {
        t.fill(va, 0, 0, Pte.of(va >>> 12, Pte.USER));
    }

    private static boolean has(Tlb t, long va) {
        return t.probe(va, 0, 0) >= 0;
    }

    /**
     * One set of two ways. Fill A, B (RRPV 2, 2); hit A (A 0). Fill C: no RRPV is 3, so the set
     * ages to A 1, B 3 and B goes (C 2). Fill D: A 1, C 2, nothing at 3; age: A 2, C 3; C goes,
     * though it was filled after A: the entry that hit survives the two entries used once.
     */
    @Test
    void shouldKeepTheEntryThatHitAndEvictTheOnesUsedOnce() {
        Tlb t = new Tlb("t", 2, 2, 0, new SrripPolicy(), new int[]{12}, new SplittableRandom(1));
        fill(t, A);
        fill(t, B);
        assertTrue(t.lookup(A, 0, 0) >= 0);
        fill(t, C);
        assertTrue(has(t, A));
        assertFalse(has(t, B));
        fill(t, D);
        assertTrue(has(t, A));
        assertFalse(has(t, C));
        assertTrue(has(t, D));
    }
}
