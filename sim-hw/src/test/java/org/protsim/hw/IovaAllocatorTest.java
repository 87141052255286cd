package org.protsim.hw;

import org.junit.jupiter.api.Test;
import org.protsim.core.config.IommuConfig;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The IOVA allocator against Linux iova.c's behaviour: top-down, size-aligned allocation below
 * the cached node, per-CPU magazines in front. A 20-bit space has pages 1..255 (limit 2^8 - 1).
 * Costs: magazine 30, lock 60, tree step 42.
 */
class IovaAllocatorTest {
    static IommuConfig.Iova config(boolean rcache, int magazine, int depot) {
        return new IommuConfig.Iova(20, rcache, magazine, depot, 6, 30, 60, 42);
    }

    @Test
    void shouldAllocateTopDownAndAlignToThePowerOfTwoSize() {
        IovaAllocator a = new IovaAllocator(config(false, 4, 1), 1);
        assertThat(a.alloc(0, 1)).isEqualTo(255);
        assertThat(a.alloc(0, 1)).isEqualTo(254);
        // 3 pages round to 4, aligned to 4, below 254: (254 - 4) & ~3 = 248
        assertThat(a.alloc(0, 3)).isEqualTo(248);
        assertThat(a.treeRanges()).isEqualTo(3);
    }

    @Test
    void shouldChargeTheLockAndTheTreeStepsOfTheGlobalAllocator() {
        IovaAllocator a = new IovaAllocator(config(false, 4, 1), 1);
        a.alloc(0, 1);
        // one node examined (the anchor) + an insertion path of log2 of 1 node (1 step): 60 + 2 * 42
        assertThat(a.lastCycles()).isEqualTo(144);
        a.alloc(0, 1);
        // search from the cached node (1 step), insertion into 2 nodes (2 steps): 60 + 3 * 42 = 186
        assertThat(a.lastCycles()).isEqualTo(186);
        a.free(0, 254, 1);
        // find and erase among 2 nodes: 60 + 2 * 2 * 42 = 228
        assertThat(a.lastCycles()).isEqualTo(228);
    }

    @Test
    void shouldReuseAFreedIovaFromTheSameCpusMagazineAtTheMagazineCost() {
        IovaAllocator a = new IovaAllocator(config(true, 4, 1), 2);
        long p = a.alloc(0, 1);
        a.free(0, p, 1);
        assertThat(a.lastCycles()).isEqualTo(30);
        assertThat(a.alloc(0, 1)).isEqualTo(p);
        assertThat(a.lastCycles()).isEqualTo(30);
        // the other CPU's magazines are empty: a magazine miss (30) then the global path
        assertThat(a.alloc(1, 1)).isNotEqualTo(p);
        assertThat(a.lastCycles()).isGreaterThan(30 + 60);
    }

    @Test
    void shouldPassFullMagazinesThroughTheDepotToAnotherCpu() {
        IovaAllocator a = new IovaAllocator(config(true, 2, 1), 2);
        long[] p = new long[5];
        for (int i = 0; i < 5; i++) {
            p[i] = a.alloc(0, 1);
        }
        // CPU 0 frees 5: loaded fills (2), swaps with the empty previous, fills it (2), then the full
        // loaded goes to the depot and the fifth starts a fresh loaded magazine
        for (int i = 0; i < 5; i++) {
            a.free(0, p[i], 1);
        }
        long globalBefore = a.globalOperations();
        // CPU 1 has nothing loaded: it takes the depot's full magazine (p[0], p[1] or p[2], p[3])
        long got = a.alloc(1, 1);
        assertThat(a.globalOperations()).isEqualTo(globalBefore);
        assertThat(got).isIn(p[0], p[1], p[2], p[3]);
        assertThat(a.lastCycles()).isEqualTo(30);
    }

    @Test
    void shouldReturnAMagazineToTheTreeWhenTheDepotIsFull() {
        IovaAllocator a = new IovaAllocator(config(true, 1, 0), 1);
        long p = a.alloc(0, 1);
        long q = a.alloc(0, 1);
        long r = a.alloc(0, 1);
        a.free(0, p, 1); // loaded
        a.free(0, q, 1); // swap: previous
        a.free(0, r, 1); // both full, no depot: the loaded one (q) is freed to the tree
        assertThat(a.treeRanges()).isEqualTo(2);
        // 30 for the push + the tree free among 3 ranges: 60 + 2 * 2 * 42 = 228
        assertThat(a.lastCycles()).isEqualTo(30 + 228);
    }

    @Test
    void shouldReportExhaustionWithMinusOne() {
        IovaAllocator a = new IovaAllocator(config(false, 4, 1), 1);
        for (int i = 0; i < 255; i++) {
            assertThat(a.alloc(0, 1)).isEqualTo(255 - i);
        }
        assertThat(a.alloc(0, 1)).isEqualTo(-1);
    }

    @Test
    void shouldFindAGapAboveTheCachedNodeOnRetry() {
        IovaAllocator a = new IovaAllocator(config(false, 4, 1), 1);
        for (int i = 0; i < 255; i++) {
            a.alloc(0, 1);
        }
        a.free(0, 200, 1); // below the cached node (page 1): the cached node stays
        assertThat(a.alloc(0, 1)).isEqualTo(200);
    }
}
