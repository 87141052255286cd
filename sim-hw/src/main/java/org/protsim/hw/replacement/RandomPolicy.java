package org.protsim.hw.replacement;

import java.util.SplittableRandom;

/** A uniformly random way, drawn from the structure's own random stream (as ARM Cortex-A TLBs may be configured). */
public final class RandomPolicy implements ReplacementPolicy {
    @Override
    public String name() {
        return "random";
    }

    @Override
    public String description() {
        return "a uniformly random way";
    }

    @Override
    public State create(int sets, int ways, SplittableRandom random) {
        return new Random(ways, random);
    }

    private static final class Random implements State {
        private final int ways;
        private final SplittableRandom random;

        Random(int ways, SplittableRandom random) {
            this.ways = ways;
            this.random = random;
        }

        @Override
        public void hit(int slot) {
            // no state: every way is equally likely to go
        }

        @Override
        public void filled(int slot) {
        }

        @Override
        public int victim(int set) {
            return set * ways + random.nextInt(ways);
        }
    }
}
