package org.protsim.hw;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.protsim.hw.replacement.LruPolicy;

import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A TLB's fill (an existing entry of the same page and tag overwritten, else the lowest invalid
 * way, else the policy's victim) against an LRU list per set, with INVLPG holes and refills of
 * pages already held mixed in: a refill must neither duplicate an entry nor evict one.
 */
class TlbFillModelTest {

    @Property(tries = 200)
    void shouldFillAndFlushExactlyAsAnLruListPerSetDoes(
            @ForAll @IntRange(min = 1, max = 20) int ways,
            @ForAll @IntRange(min = 0, max = 2) int setsLog,
            @ForAll @Size(min = 1, max = 2000) List<@IntRange(min = 0, max = 599) Integer> ops) {
        int sets = 1 << setsLog;
        Tlb t = new Tlb("t", sets * ways, ways, 0, new LruPolicy(), new int[]{12}, new SplittableRandom(1));
        List<LinkedList<Integer>> model = new ArrayList<>();
        for (int i = 0; i < sets; i++) {
            model.add(new LinkedList<>());
        }
        long evictions = 0;
        for (int op : ops) {
            int page = op / 3;     // 200 pages
            int kind = op % 3;     // 0: look up, fill on a miss; 1: fill without a look-up; 2: INVLPG
            long va = (long) page << 12;
            LinkedList<Integer> set = model.get(page & (sets - 1));
            if (kind == 2) {
                assertThat(t.flushPage(va, 3, 0)).as("flush page %d", page).isEqualTo(set.remove((Integer) page) ? 1 : 0);
            } else {
                boolean present = set.contains(page);
                if (kind == 0) {
                    assertThat(t.lookup(va, 3, 0) >= 0).as("page %d", page).isEqualTo(present);
                }
                if (kind == 1 || !present) {
                    t.fill(va, 0, 3, Pte.PRESENT | ((long) page << 12));
                    if (!present && set.size() == ways) {
                        set.removeFirst();
                        evictions++;
                    }
                }
                set.remove((Integer) page);
                set.addLast(page);
            }
            assertThat(t.evictions()).as("evictions after page %d", page).isEqualTo(evictions);
        }
        assertThat(t.validEntries()).isEqualTo(model.stream().mapToInt(List::size).sum());
    }
}
