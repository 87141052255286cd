package org.protsim.hw;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Provide;
import org.protsim.hw.replacement.ReplacementPolicies;
import org.protsim.hw.replacement.ReplacementPolicy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** One contract every replacement policy keeps, run over all of them (STYLE.md practice 10). */
class TlbPolicyContractTest {

    /** Every registered policy: protsim's and any a plugin on the class path adds. */
    @Provide
    Arbitrary<ReplacementPolicy> policies() {
        return Arbitraries.of(List.copyOf(ReplacementPolicies.builtin().all().values()));
    }

    @Property(tries = 150)
    void shouldKeepTheContractUnderEveryPolicy(
            @ForAll("policies") ReplacementPolicy policy,
            @ForAll @IntRange(min = 0, max = 3) int waysLog,
            @ForAll @IntRange(min = 0, max = 3) int setsLog,
            @ForAll @Size(min = 1, max = 400) List<@IntRange(min = 0, max = 40) Integer> pages) {
        int ways = 1 << waysLog;
        int sets = 1 << setsLog;
        Tlb t = new Tlb("t", ways * sets, ways, 0, policy, new int[]{12}, new SplittableRandom(5));
        for (int p : pages) {
            long va = (long) p << 12;
            int slot = t.lookup(va, 0, 0);
            if (slot < 0) {
                TlbTest.fill(t, va, 0);
                // a page just filled is present
                assertThat(t.probe(va, 0, 0)).isNotNegative();
            } else {
                // a hit returns this page's translation
                assertThat(Pte.frame(t.pte(slot))).isEqualTo(p);
            }
            assertThat(t.validEntries()).isLessThanOrEqualTo(ways * sets);
        }
        assertThat(t.hits() + t.misses()).isEqualTo(pages.size());
        assertThat(t.fills()).isEqualTo(t.misses());
    }

    /** LRU exactly matches a per-set access-ordered map of capacity {@code ways}. */
    @Property(tries = 150)
    void shouldMatchAnAccessOrderedMapUnderLru(
            @ForAll @IntRange(min = 0, max = 3) int waysLog,
            @ForAll @IntRange(min = 0, max = 2) int setsLog,
            @ForAll @Size(min = 1, max = 300) List<@IntRange(min = 0, max = 30) Integer> pages) {
        int ways = 1 << waysLog;
        int sets = 1 << setsLog;
        Tlb t = new Tlb("t", ways * sets, ways, 0, TlbTest.LRU, new int[]{12}, new SplittableRandom(5));
        List<LinkedHashMap<Integer, Boolean>> model = new ArrayList<>();
        for (int s = 0; s < sets; s++) {
            model.add(new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Integer, Boolean> e) {
                    return size() > ways;
                }
            });
        }
        for (int p : pages) {
            LinkedHashMap<Integer, Boolean> set = model.get(p & (sets - 1));
            boolean expectHit = set.get(p) != null;
            if (!expectHit) {
                set.put(p, true);
            }
            long va = (long) p << 12;
            boolean hit = t.lookup(va, 0, 0) >= 0;
            if (!hit) {
                TlbTest.fill(t, va, 0);
            }
            assertThat(hit).as("page %d", p).isEqualTo(expectHit);
        }
    }
}
