package org.protsim.hw;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.protsim.core.config.CacheConfig;
import org.protsim.core.config.Indexing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cache's victim choice (valid mask and LRU stack up to 16 ways, stamps beyond) against an
 * independent model: a list per set in order of use, from which a flush removes a line and a
 * fill into a full set evicts the head. Reads, writes and CLFLUSHes are mixed, so that holes left
 * by flushes, dirty victims and refills of invalid ways are all exercised.
 */
class CacheLruModelTest {

    /** LRU by definition: each set a list, least recent first; dirty lines remembered apart. */
    private static final class Model {
        final List<LinkedList<Long>> sets = new ArrayList<>();
        final Set<Long> dirty = new HashSet<>();
        final int ways;
        long writebacks;

        Model(int sets, int ways) {
            for (int i = 0; i < sets; i++) {
                this.sets.add(new LinkedList<>());
            }
            this.ways = ways;
        }

        LinkedList<Long> set(long line) {
            return sets.get((int) line & (sets.size() - 1));
        }

        boolean access(long line, boolean write) {
            LinkedList<Long> set = set(line);
            boolean hit = set.remove(line);
            if (!hit && set.size() == ways) {
                long victim = set.removeFirst();
                if (dirty.remove(victim)) {
                    writebacks++;
                }
            }
            set.addLast(line);
            if (write) {
                dirty.add(line);
            }
            return hit;
        }

        int flush(long line) {
            if (!set(line).remove(line)) {
                return 0;
            }
            if (dirty.remove(line)) {
                writebacks++;
            }
            return 1;
        }

        int size() {
            return sets.stream().mapToInt(List::size).sum();
        }
    }

    @Property(tries = 200)
    void shouldHitMissWriteBackAndFlushExactlyAsAnLruListPerSetDoes(
            @ForAll @IntRange(min = 1, max = 20) int ways,
            @ForAll @Size(min = 1, max = 3000) List<@IntRange(min = 0, max = 2399) Integer> ops) {
        Cache c = new Cache("c", new CacheConfig(ways, ways, 64, 1, Indexing.PIPT)); // 16 sets of 64-byte lines
        Model model = new Model(16, ways);
        for (int op : ops) {
            long line = (long) (op >>> 2) * 0x1_0001L; // 600 lines over tags far apart, as physical line numbers are
            int kind = op & 3;                          // 0, 1: read; 2: write; 3: CLFLUSH
            if (kind == 3) {
                assertThat(c.flushLine(line, line)).as("flush %d", line).isEqualTo(model.flush(line));
            } else {
                boolean write = kind == 2;
                assertThat(c.access(line, line, line, write)).as("line %d", line).isEqualTo(model.access(line, write));
            }
            assertThat(c.writebacks()).as("write-backs after line %d", line).isEqualTo(model.writebacks);
        }
        assertThat(c.validLines()).isEqualTo(model.size());
    }

    @Test
    void shouldRefillTheHoleAFlushLeftBeforeEvictingTheLeastRecentlyUsedLine() {
        // 1 KiB, 4-way, 64-byte lines: 4 sets; lines 0, 4, 8, 12, 16 all map to set 0
        Cache c = new Cache("c", new CacheConfig(1, 4, 64, 1, Indexing.PIPT));
        for (long line : new long[]{0, 4, 8, 12}) {
            c.access(line, line, line, false);
        }
        assertThat(c.flushLine(8, 8)).isEqualTo(1);
        assertThat(c.access(16, 16, 16, false)).isFalse(); // fills 8's hole: 0, 4, 12 stay
        assertThat(c.holds(0, 0)).isTrue();
        assertThat(c.holds(4, 4)).isTrue();
        assertThat(c.holds(12, 12)).isTrue();
        assertThat(c.access(20, 20, 20, false)).isFalse(); // the set is full: 0, used least recently, goes
        assertThat(c.holds(0, 0)).isFalse();
        assertThat(c.holds(4, 4)).isTrue();
    }
}
