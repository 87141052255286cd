package org.protsim.plugin;

import org.protsim.hw.replacement.ReplacementPolicy;

import java.util.SplittableRandom;

/**
 * A test plugin's policy: first-in first-out (each set evicts its ways in fill order, round robin).
 * It is on the test class path but registered only by the services file of the jars the tests
 * build, so it is found only when such a jar is loaded.
 */
public final class FifoPolicy implements ReplacementPolicy {
    /** The name the tests' jars register. */
    public static final String NAME = "fifo";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public State create(int sets, int ways, SplittableRandom random) {
        int[] next = new int[sets];
        return new State() {
            @Override
            public void hit(int slot) {
            }

            @Override
            public void filled(int slot) {
            }

            @Override
            public int victim(int set) {
                int way = next[set];
                next[set] = way + 1 == ways ? 0 : way + 1;
                return set * ways + way;
            }
        };
    }

    /** Claims the built-in name "lru": loading it must fail. */
    public static final class Impostor implements ReplacementPolicy {
        @Override
        public String name() {
            return "lru";
        }

        @Override
        public State create(int sets, int ways, SplittableRandom random) {
            throw new UnsupportedOperationException();
        }
    }
}
