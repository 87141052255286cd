package org.example.protsim;

import org.protsim.hw.replacement.ReplacementPolicy;

import java.util.SplittableRandom;

/**
 * Static re-reference interval prediction (SRRIP-HP), after Jaleel, Theobald, Steely and Emer,
 * "High Performance Cache Replacement Using Re-Reference Interval Prediction (RRIP)", ISCA 2010:
 * each entry holds an M-bit re-reference prediction value (RRPV). A new entry is inserted with a
 * long predicted interval (2^M - 2), a hit predicts a near one (0), and the victim is the first
 * way predicted distant (2^M - 1); if no way is, every RRPV of the set ages by one and the search
 * repeats. Unlike LRU, a burst of pages touched once (a scan) cannot push out entries that hit.
 * M = 2, the value the paper recommends.
 *
 * <p>Chosen by {@code "replacement": "srrip"} on any TLB level, e.g.
 * {@code --set machine.tlb.l2.replacement=srrip}.
 */
public final class SrripPolicy implements ReplacementPolicy {
    static final int BITS = 2;
    static final int DISTANT = (1 << BITS) - 1; // 3: predicted re-reference in the distant future
    static final int LONG = DISTANT - 1;         // 2: what a newly filled entry is predicted

    @Override
    public String name() {
        return "srrip";
    }

    @Override
    public String description() {
        return "static re-reference interval prediction, 2-bit (Jaleel et al., ISCA 2010)";
    }

    @Override
    public State create(int sets, int ways, SplittableRandom random) {
        return new Srrip(sets, ways);
    }

    private static final class Srrip implements State {
        private final byte[] rrpv; // per slot, 0..DISTANT
        private final int ways;

        Srrip(int sets, int ways) {
            this.rrpv = new byte[sets * ways];
            this.ways = ways;
        }

        @Override
        public void hit(int slot) {
            rrpv[slot] = 0; // hit priority: a reused entry is predicted to be reused soon
        }

        @Override
        public void filled(int slot) {
            rrpv[slot] = LONG;
        }

        @Override
        public int victim(int set) {
            int base = set * ways;
            while (true) {
                for (int i = base, end = base + ways; i < end; i++) {
                    if (rrpv[i] == DISTANT) {
                        return i;
                    }
                }
                // no distant entry: age the whole set (at most DISTANT rounds, since every RRPV grows)
                for (int i = base, end = base + ways; i < end; i++) {
                    rrpv[i]++;
                }
            }
        }
    }
}
