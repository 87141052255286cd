package org.protsim.hw;

import org.junit.jupiter.api.Test;
import org.protsim.hw.replacement.ReplacementPolicies;
import org.protsim.hw.replacement.ReplacementPolicy;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class TlbTest {
    private static final int[] FOUR_K = {12};
    private static final long A = 0x1000, B = 0x2000, C = 0x3000, D = 0x4000, E = 0x5000;

    static final ReplacementPolicy LRU = ReplacementPolicies.builtin().get("lru");
    static final ReplacementPolicy PLRU = ReplacementPolicies.builtin().get("plru");
    static final ReplacementPolicy RANDOM = ReplacementPolicies.builtin().get("random");

    static Tlb tlb(int entries, int ways, ReplacementPolicy policy) {
        return new Tlb("t", entries, ways, 0, policy, FOUR_K, new SplittableRandom(1));
    }

    static void fill(Tlb t, long va, int asid) {
        t.fill(va, 0, asid, Pte.of(va >>> 12, Pte.WRITABLE | Pte.USER));
    }

    static boolean has(Tlb t, long va) {
        return t.probe(va, 0, 0) >= 0;
    }

    @Test
    void shouldEvictTheLeastRecentlyUsedWayOfATwoWaySetStepByStep() {
        Tlb t = tlb(2, 2, LRU); // one set of two ways
        assertThat(t.lookup(A, 0, 0)).isNegative();      // miss
        fill(t, A, 0);
        assertThat(t.lookup(B, 0, 0)).isNegative();      // miss
        fill(t, B, 0);                                   // set: A (older), B
        assertThat(t.lookup(A, 0, 0)).isNotNegative();   // hit: A is now the most recent
        fill(t, C, 0);                                   // evicts B, the least recently used
        assertThat(has(t, A)).isTrue();
        assertThat(has(t, B)).isFalse();
        assertThat(has(t, C)).isTrue();
        fill(t, B, 0);                                   // A was used before C was filled: A goes
        assertThat(has(t, A)).isFalse();
        assertThat(has(t, C)).isTrue();
        assertThat(t.hits()).isEqualTo(1);
        assertThat(t.misses()).isEqualTo(2);
        assertThat(t.evictions()).isEqualTo(2);
    }

    /**
     * Four ways, tree pseudo-LRU with bits n1 (pairs), n2 (ways 0/1), n3 (ways 2/3); a bit points
     * to the side to evict next, and a use points its nodes away from the used way.
     * Fill A,B,C,D into ways 0..3: after D, n1=0, n2=0, n3=0. Use A (way 0): n1=1, n2=1.
     * Victim for E: n1=1 -> right pair, n3=0 -> way 2, which holds C. True LRU would evict B.
     */
    @Test
    void shouldFollowTreePseudoLruWhereItDiffersFromLru() {
        Tlb plru = tlb(4, 4, PLRU);
        Tlb lru = tlb(4, 4, LRU);
        for (Tlb t : new Tlb[]{plru, lru}) {
            fill(t, A, 0);
            fill(t, B, 0);
            fill(t, C, 0);
            fill(t, D, 0);
            assertThat(t.lookup(A, 0, 0)).isNotNegative();
            fill(t, E, 0);
        }
        assertThat(has(plru, C)).as("PLRU evicts C").isFalse();
        assertThat(has(plru, B)).isTrue();
        assertThat(has(lru, B)).as("LRU evicts B").isFalse();
        assertThat(has(lru, C)).isTrue();
        for (long va : new long[]{A, D, E}) {
            assertThat(has(plru, va)).isTrue();
            assertThat(has(lru, va)).isTrue();
        }
    }

    @Test
    void shouldAlwaysEvictTheOtherWayOfATwoWayPlruSet() {
        // with two ways tree-PLRU is exact LRU: one bit pointing at the way not used last
        Tlb t = tlb(2, 2, PLRU);
        fill(t, A, 0);
        fill(t, B, 0);
        t.lookup(A, 0, 0);
        fill(t, C, 0);
        assertThat(has(t, B)).isFalse();
        assertThat(has(t, A)).isTrue();
    }

    @Test
    void shouldMissOnEveryReferenceOfACyclicSweepLargerThanAFullyAssociativeLru() {
        int entries = 64;
        Tlb t = tlb(entries, entries, LRU);
        int pages = 65; // N = E + 1
        for (int pass = 0; pass < 10; pass++) {
            for (int p = 0; p < pages; p++) {
                long va = (long) p << 12;
                if (t.lookup(va, 0, 0) < 0) {
                    fill(t, va, 0);
                }
            }
        }
        assertThat(t.hits()).isZero();
        assertThat(t.misses()).isEqualTo(10L * pages);
    }

    @Test
    void shouldMissOnlyOnFirstTouchWhenTheWorkingSetFits() {
        for (ReplacementPolicy policy : ReplacementPolicies.builtin().all().values()) {
            Tlb t = tlb(64, 64, policy);
            SplittableRandom r = new SplittableRandom(3);
            for (int i = 0; i < 20_000; i++) {
                long va = (long) r.nextInt(64) << 12; // 64 pages, 64 entries
                if (t.lookup(va, 0, 0) < 0) {
                    fill(t, va, 0);
                }
            }
            assertThat(t.misses()).as(policy.name()).isEqualTo(64);
        }
    }

    /**
     * Independent reference model, uniform references over N pages: a fully associative LRU (or
     * random) cache of E entries holds E distinct pages, each referenced with probability 1/N, so
     * the steady-state hit ratio is E/N and the miss ratio 1 - E/N.
     */
    @Test
    void shouldMissAboutOneMinusEOverNUnderUniformRandomReferences() {
        for (ReplacementPolicy policy : new ReplacementPolicy[]{LRU, RANDOM, PLRU}) {
            int entries = 64;
            int pages = 256;
            Tlb t = tlb(entries, entries, policy);
            SplittableRandom r = new SplittableRandom(9);
            int warmup = 10_000;
            int n = 400_000;
            long missesBefore = 0;
            for (int i = 0; i < warmup + n; i++) {
                if (i == warmup) {
                    missesBefore = t.misses();
                }
                long va = (long) r.nextInt(pages) << 12;
                if (t.lookup(va, 0, 0) < 0) {
                    fill(t, va, 0);
                }
            }
            double ratio = (t.misses() - missesBefore) / (double) n;
            // 1 - 64/256 = 0.75; binomial sd of the ratio is sqrt(.75*.25/400k) = 0.0007
            assertThat(ratio).as(policy.name()).isCloseTo(0.75, org.assertj.core.data.Offset.offset(0.01));
        }
    }

    @Test
    void shouldNeverHitAnEntryOfOneAsidForAnother() {
        Tlb t = tlb(64, 4, LRU);
        fill(t, A, 1);
        assertThat(t.lookup(A, 2, 0)).isNegative();
        assertThat(t.lookup(A, 1, 0)).isNotNegative();
    }

    @Test
    void shouldHitAGlobalEntryForEveryAsid() {
        Tlb t = tlb(64, 4, LRU);
        t.fill(A, 0, Tlb.TAG_GLOBAL, Pte.of(1, Pte.GLOBAL));
        for (int asid = 0; asid < 100; asid++) {
            assertThat(t.lookup(A, asid, 0)).isNotNegative();
        }
    }

    @Test
    void shouldHitASharedSpaceEntryOnlyForSubscribedContexts() {
        Tlb t = tlb(64, 4, LRU);
        t.fill(A, 0, Tlb.TAG_SHARED | 5, Pte.withSharedSpace(Pte.of(1, Pte.USER), 5));
        t.fill(B, 0, Tlb.TAG_SHARED | 63, Pte.withSharedSpace(Pte.of(2, Pte.USER), 63));
        assertThat(t.lookup(A, 1, 1L << 5)).isNotNegative();
        assertThat(t.lookup(A, 2, (1L << 5) | 1)).isNotNegative();
        assertThat(t.lookup(A, 1, 1L << 4)).isNegative();
        assertThat(t.lookup(A, 1, 0)).isNegative();
        assertThat(t.lookup(B, 7, 1L << 63)).isNotNegative(); // the 64th space, the bitmap's sign bit
        assertThat(t.lookup(B, 7, ~(1L << 63))).isNegative();
    }

    @Test
    void shouldFlushByKindLeavingTheOthers() {
        Tlb t = tlb(64, 64, LRU);
        fill(t, A, 1);
        fill(t, B, 2);
        t.fill(C, 0, Tlb.TAG_GLOBAL, Pte.of(3, Pte.GLOBAL));
        t.fill(D, 0, Tlb.TAG_SHARED | 4, Pte.of(4, 0));
        assertThat(t.flushAsid(1)).isEqualTo(1);
        assertThat(t.probe(A, 1, 0)).isNegative();
        assertThat(t.probe(B, 2, 0)).isNotNegative();
        assertThat(t.flushShared(4)).isEqualTo(1);
        assertThat(t.probe(D, 9, 1L << 4)).isNegative();
        assertThat(t.flushNonGlobal()).isEqualTo(1); // B; C is global
        assertThat(t.probe(C, 9, 0)).isNotNegative();
        assertThat(t.flushAll()).isEqualTo(1);
        assertThat(t.validEntries()).isZero();
        assertThat(t.invalidations()).isEqualTo(4);
    }

    @Test
    void shouldFlushOnePageForOneAsidAndGlobalEntriesOfThatPage() {
        Tlb t = tlb(64, 64, LRU);
        fill(t, A, 1);
        fill(t, A, 2);
        fill(t, B, 1);
        t.fill(C, 0, Tlb.TAG_GLOBAL, Pte.of(3, Pte.GLOBAL));
        assertThat(t.flushPage(A, 1, 0)).isEqualTo(1);
        assertThat(t.probe(A, 1, 0)).isNegative();
        assertThat(t.probe(A, 2, 0)).isNotNegative();
        assertThat(t.probe(B, 1, 0)).isNotNegative();
        assertThat(t.flushPage(C, 1, 0)).isEqualTo(1); // INVLPG drops the global entry of the page too
    }

    @Test
    void shouldTranslateEveryAddressOfAHugePageFromOneEntry() {
        Tlb t = new Tlb("t", 64, 4, 0, LRU, new int[]{12, 21, 30}, new SplittableRandom(1));
        long base = 0x4020_0000L; // 2 MiB aligned
        t.fill(base, t.sizeClass(21), 0, Pte.of(0x800, Pte.HUGE | Pte.USER));
        assertThat(t.lookup(base + 0x1F_F000L, 0, 0)).isNotNegative();
        assertThat(t.pageShift(t.probe(base + 0x12345, 0, 0))).isEqualTo(21);
        assertThat(t.lookup(base + 0x20_0000L, 0, 0)).isNegative(); // the next 2 MiB page
        assertThat(t.flushPage(base + 0x3000, 0, 0)).isEqualTo(1);
    }

    @Test
    void shouldOverwriteAnEntryForTheSamePageAndTag() {
        Tlb t = tlb(4, 4, LRU);
        t.fill(A, 0, 1, Pte.of(10, Pte.USER));
        t.fill(A, 0, 1, Pte.of(10, Pte.USER | Pte.WRITABLE));
        assertThat(t.validEntries()).isEqualTo(1);
        assertThat(Pte.writable(t.pte(t.probe(A, 1, 0)))).isTrue();
    }

    @Test
    void shouldIndexSetsByTheLowBitsOfThePageNumber() {
        Tlb t = tlb(8, 2, LRU); // 4 sets
        // pages 0, 4, 8 share set 0; with 2 ways the third evicts the first
        fill(t, 0, 0);
        fill(t, 4L << 12, 0);
        fill(t, 1L << 12, 0); // set 1: no effect on set 0
        fill(t, 8L << 12, 0);
        assertThat(has(t, 0)).isFalse();
        assertThat(has(t, 4L << 12)).isTrue();
        assertThat(has(t, 1L << 12)).isTrue();
    }
}
