package org.protsim.hw;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.protsim.core.config.CacheConfig;
import org.protsim.core.config.Indexing;
import org.protsim.hw.replacement.LruPolicy;

import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The partial-tag (SWAR) set match against what it replaced: a scan of every way. The tag stores
 * must find exactly what a way-order scan finds, for any number of ways (not only multiples of 8).
 */
class PartialTagsTest {

    @Property(tries = 300)
    void shouldFlagEveryWayWhosePartialTagMatchesAndNoWayBeyondTheSet(
            @ForAll @IntRange(min = 1, max = 40) int ways,
            @ForAll @Size(min = 40, max = 40) List<@LongRange(min = 0, max = 1L << 40) Long> keys,
            @ForAll @IntRange(min = 0, max = 39) int probe) {
        PartialTags p = new PartialTags(2, ways);
        for (int w = 0; w < ways; w++) {
            p.set(1, w, keys.get(w));
        }
        long key = keys.get(probe % ways);
        long pattern = PartialTags.pattern(key);
        boolean[] flagged = new boolean[p.wordsPerSet() * 8];
        for (int w = 0; w < p.wordsPerSet(); w++) {
            for (long m = p.candidates(1, w, pattern); m != 0; m &= m - 1) {
                flagged[w * 8 + PartialTags.lowestWay(m)] = true;
            }
        }
        for (int w = 0; w < flagged.length; w++) {
            if (w >= ways) {
                assertThat(flagged[w]).as("way %d of %d", w, ways).isFalse();
            } else if (keys.get(w).equals(key)) {
                assertThat(flagged[w]).as("way %d holds the key", w).isTrue();
            }
        }
    }

    /** An LRU cache written the obvious way: per set, a list of lines, most recent last. */
    private static final class ModelLru {
        private final List<LinkedList<Long>> sets = new ArrayList<>();
        private final int ways;

        ModelLru(int sets, int ways) {
            for (int s = 0; s < sets; s++) {
                this.sets.add(new LinkedList<>());
            }
            this.ways = ways;
        }

        boolean access(long line) {
            LinkedList<Long> set = sets.get((int) line & (sets.size() - 1));
            boolean hit = set.remove(line);
            if (!hit && set.size() == ways) {
                set.removeFirst();
            }
            set.addLast(line);
            return hit;
        }
    }

    @Property(tries = 100)
    void shouldHitAndMissInTheCacheExactlyAsAnLruScanOfEveryWayDoes(
            @ForAll @IntRange(min = 1, max = 20) int ways,
            @ForAll @Size(min = 1, max = 2000) List<@IntRange(min = 0, max = 600) Integer> lines) {
        int sets = 16;
        Cache c = new Cache("c", new CacheConfig(ways, ways, 64, 1, Indexing.PIPT)); // 16 sets of 64-byte lines
        ModelLru model = new ModelLru(sets, ways);
        for (int l : lines) {
            // spread the lines over tags far apart, as physical line numbers are
            long line = (long) l * 0x1_0001L;
            assertThat(c.access(line, line, line, false)).as("line %d", line).isEqualTo(model.access(line));
        }
    }

    @Property(tries = 100)
    void shouldHitAndMissInAnLruTlbExactlyAsAnLruScanOfEveryWayDoes(
            @ForAll @IntRange(min = 1, max = 20) int ways,
            @ForAll @IntRange(min = 0, max = 2) int setsLog,
            @ForAll @Size(min = 1, max = 2000) List<@IntRange(min = 0, max = 200) Integer> pages) {
        int sets = 1 << setsLog;
        Tlb t = new Tlb("t", sets * ways, ways, 0, new LruPolicy(), new int[]{12}, new SplittableRandom(1));
        ModelLru model = new ModelLru(sets, ways);
        for (int p : pages) {
            long va = (long) p << 12;
            boolean hit = t.lookup(va, 3, 0) >= 0;
            if (!hit) {
                t.fill(va, 0, 3, Pte.PRESENT | ((long) p << 12));
            }
            assertThat(hit).as("page %d", p).isEqualTo(model.access(p));
        }
    }
}
