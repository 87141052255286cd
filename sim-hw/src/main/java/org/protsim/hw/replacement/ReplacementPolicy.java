package org.protsim.hw.replacement;

import org.protsim.core.plugin.Provider;

import java.util.SplittableRandom;

/**
 * Extension point: a replacement policy of a set-associative translation structure (the TLBs,
 * chosen per TLB by {@code machine.tlb.<level>.replacement}). One small interface, as ChampSim's
 * replacement modules have ({@code find_victim}, {@code update_replacement_state}); protsim's own
 * {@code lru}, {@code plru} and {@code random} are written against it and registered the same way a
 * plugin's policy is: a {@code META-INF/services/org.protsim.hw.replacement.ReplacementPolicy}
 * file naming the class.
 *
 * <p>The provider is stateless; {@link #create} makes the state of one structure. The structure
 * keeps tags and entries; the policy sees only slots. A slot is {@code set * ways + way}.
 */
public interface ReplacementPolicy extends Provider {

    /**
     * Why this policy cannot run a structure of {@code ways} ways, or null if it can. The config
     * loader reports it against the structure's {@code ways} key before a run starts, e.g.
     * {@code "12 is not a power of two, which tree pseudo-LRU needs"}.
     */
    default String unsupportedWays(int ways) {
        return null;
    }

    /**
     * The replacement state of one structure of {@code sets} sets of {@code ways} ways.
     *
     * @param random the structure's own random stream (draw from it only in {@link State#victim},
     *               so that runs stay deterministic)
     */
    State create(int sets, int ways, SplittableRandom random);

    /**
     * The replacement state of one structure. Called on the reference path: implementations must
     * not allocate, and should keep their state in primitive arrays (STYLE.md practice 8).
     */
    interface State {
        /** The entry in {@code slot} was used by a lookup that hit. */
        void hit(int slot);

        /** An entry was installed in {@code slot} (a free way, the victim, or an entry refreshed in place). */
        void filled(int slot);

        /**
         * The slot to evict from {@code set}, all of whose ways hold valid entries. It must lie in the
         * set ({@code set * ways <= slot < (set + 1) * ways}); the structure then fills it and calls
         * {@link #filled}.
         */
        int victim(int set);
    }
}
