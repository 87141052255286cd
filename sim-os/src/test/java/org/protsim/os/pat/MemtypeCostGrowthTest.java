package org.protsim.os.pat;

import org.junit.jupiter.api.Test;
import org.protsim.os.pat.MemtypeTracker.Outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.protsim.hw.Pte.UNCACHED;

/** What a check costs as mappings grow: every one scanned (vma-walk), a path of the tree (memtype-tree). */
class MemtypeCostGrowthTest {
    /** n disjoint one-page uncached reservations at even pfns, then a check of a free page above them all. */
    static long stepsOfACheckAmong(MemtypeTracker t, int n) {
        for (int i = 0; i < n; i++) {
            assertThat(t.reserve(2L * i, 2L * i + 1, UNCACHED, false)).isEqualTo(Outcome.ACCEPTED);
        }
        t.reserve(2L * n + 1, 2L * n + 2, UNCACHED, false);
        return t.lastSteps();
    }

    @Test
    void shouldScanEveryMappingUnderVmaWalk() {
        assertThat(stepsOfACheckAmong(new VmaWalkTracker(MemtypeCosts.DEFAULT), 1000)).isEqualTo(1000);
        assertThat(stepsOfACheckAmong(new VmaWalkTracker(MemtypeCosts.DEFAULT), 10_000)).isEqualTo(10_000);
    }

    @Test
    void shouldVisitALogarithmicNumberOfNodesUnderTheTree() {
        for (int n : new int[]{1000, 10_000, 100_000}) {
            MemtypeTreeTracker t = new MemtypeTreeTracker(MemtypeCosts.DEFAULT);
            long steps = stepsOfACheckAmong(t, n);
            // an AVL tree of n nodes is at most 1.44 log2(n + 2) high; the check follows the right spine
            // (one path) and the insertion another: at most 2 * 1.44 * log2(n + 2) steps (n = 100,000: 48)
            double bound = 2 * 1.4405 * Math.log(n + 2) / Math.log(2);
            assertThat(steps).as("n = %d", n).isPositive().isLessThanOrEqualTo((long) bound);
            assertThat(t.height()).isLessThanOrEqualTo((int) (1.4405 * Math.log(n + 2) / Math.log(2)));
            t.checkInvariants();
        }
    }
}
