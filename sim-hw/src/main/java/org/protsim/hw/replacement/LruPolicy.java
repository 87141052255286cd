package org.protsim.hw.replacement;

import java.util.SplittableRandom;

/** True least-recently-used: each use stamps the slot with a running count; the victim has the oldest stamp. */
public final class LruPolicy implements ReplacementPolicy {
    @Override
    public String name() {
        return "lru";
    }

    @Override
    public String description() {
        return "true least-recently-used";
    }

    @Override
    public State create(int sets, int ways, SplittableRandom random) {
        return new Lru(sets, ways);
    }

    private static final class Lru implements State {
        private final long[] stamps;
        private final int ways;
        private long tick;

        Lru(int sets, int ways) {
            this.stamps = new long[sets * ways];
            this.ways = ways;
        }

        @Override
        public void hit(int slot) {
            stamps[slot] = ++tick;
        }

        @Override
        public void filled(int slot) {
            stamps[slot] = ++tick;
        }

        @Override
        public int victim(int set) {
            int base = set * ways;
            int v = base;
            long oldest = stamps[base];
            for (int i = base + 1, end = base + ways; i < end; i++) {
                if (stamps[i] < oldest) {
                    oldest = stamps[i];
                    v = i;
                }
            }
            return v;
        }
    }
}
