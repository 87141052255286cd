package org.protsim.os.dma;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link LongObjectMap} against {@link java.util.HashMap} as the model: any sequence of puts, gets
 * and removes returns what the model returns, and leaves the same entries. Keys come from a small
 * range (so that they collide, and removes hit runs of probes) or are bus addresses as
 * {@code kernel.dma} makes them (page- or 4 GiB-aligned).
 */
class LongObjectMapProperties {
    /** One operation: 0 put, 1 get, 2 remove. */
    record Step(int kind, long key, int value) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Long> key = Arbitraries.oneOf(
                Arbitraries.longs().between(-20, 60),
                Arbitraries.longs().between(0, 300).map(k -> k << 12),
                Arbitraries.longs().between(1, 300).map(k -> k << 32),
                Arbitraries.longs());
        return Combinators.combine(Arbitraries.integers().between(0, 2), key, Arbitraries.integers())
                .as(Step::new).list().ofMaxSize(400);
    }

    @Property(tries = 300)
    void shouldAnswerEverySequenceOfPutsGetsAndRemovesAsHashMapDoes(@ForAll("steps") List<Step> steps) {
        LongObjectMap<Integer> map = new LongObjectMap<>();
        Map<Long, Integer> model = new HashMap<>();
        for (Step s : steps) {
            switch (s.kind()) {
                case 0 -> assertThat(map.put(s.key(), s.value())).isEqualTo(model.put(s.key(), s.value()));
                case 1 -> assertThat(map.get(s.key())).isEqualTo(model.get(s.key()));
                default -> assertThat(map.remove(s.key())).isEqualTo(model.remove(s.key()));
            }
            assertThat(map.size()).isEqualTo(model.size());
        }
        for (Map.Entry<Long, Integer> e : model.entrySet()) {
            assertThat(map.get(e.getKey())).isEqualTo(e.getValue());
        }
    }

    @Example
    void shouldKeepFindingTheOtherKeysWhileTheTableEmptiesOneRemoveAtATime() {
        // 40 bus addresses 4 GiB apart (the table grows to 128 slots, so some share probe runs),
        // removed in the order they were put: after each remove every key left is still found
        LongObjectMap<Long> map = new LongObjectMap<>();
        for (long k = 0; k < 40; k++) {
            map.put(k << 32, k);
        }
        for (long gone = 0; gone < 40; gone++) {
            assertThat(map.remove(gone << 32)).isEqualTo(gone);
            assertThat(map.get(gone << 32)).isNull();
            for (long k = gone + 1; k < 40; k++) {
                assertThat(map.get(k << 32)).as("key %d after removing %d", k, gone).isEqualTo(k);
            }
        }
        assertThat(map.size()).isZero();
    }

    @Example
    void shouldRefuseANullValue() {
        LongObjectMap<String> map = new LongObjectMap<>();
        assertThatThrownBy(() -> map.put(1, null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
