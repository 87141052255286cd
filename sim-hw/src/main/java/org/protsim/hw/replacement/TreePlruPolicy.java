package org.protsim.hw.replacement;

import java.util.SplittableRandom;

/**
 * Tree pseudo-LRU: one bit per internal node of a binary tree over a set's ways, each pointing
 * away from the half used last; the victim is found by following the bits from the root. As in
 * most x86 TLBs and L1 caches (one bit per node instead of a full order: ways - 1 bits per set).
 */
public final class TreePlruPolicy implements ReplacementPolicy {
    @Override
    public String name() {
        return "plru";
    }

    @Override
    public String description() {
        return "tree pseudo-LRU (power-of-two ways up to 64)";
    }

    @Override
    public String unsupportedWays(int ways) {
        if (Integer.bitCount(ways) != 1) {
            return ways + " is not a power of two, which tree pseudo-LRU needs";
        }
        return ways > 64 ? ways + " ways exceed the 64 that tree pseudo-LRU keeps in one word per set" : null;
    }

    @Override
    public State create(int sets, int ways, SplittableRandom random) {
        String bad = unsupportedWays(ways);
        if (bad != null) {
            throw new IllegalArgumentException(bad);
        }
        return new Plru(sets, ways);
    }

    private static final class Plru implements State {
        private final long[] bits;     // per set: one bit per internal node (node 1 is the root)
        private final long[] setMask;  // per way: node bits a use of that way sets ...
        private final long[] clearMask; // ... and clears (pointing every node on its path away from it)
        private final int ways;

        Plru(int sets, int ways) {
            this.bits = new long[sets];
            this.ways = ways;
            this.setMask = new long[ways];
            this.clearMask = new long[ways];
            for (int way = 0; way < ways; way++) {
                int node = 1;
                for (int level = Integer.numberOfTrailingZeros(ways) - 1; level >= 0; level--) {
                    int dir = (way >>> level) & 1;
                    if (dir == 0) {
                        setMask[way] |= 1L << node;   // used the left child: evict to the right next
                    } else {
                        clearMask[way] |= 1L << node; // used the right child: evict to the left next
                    }
                    node = 2 * node + dir;
                }
            }
        }

        @Override
        public void hit(int slot) {
            use(slot);
        }

        @Override
        public void filled(int slot) {
            use(slot);
        }

        private void use(int slot) {
            int set = slot / ways;
            int way = slot - set * ways;
            bits[set] = (bits[set] | setMask[way]) & ~clearMask[way];
        }

        @Override
        public int victim(int set) {
            long b = bits[set];
            int node = 1;
            while (node < ways) {
                node = 2 * node + (int) ((b >>> node) & 1L);
            }
            return set * ways + (node - ways);
        }
    }
}
