package org.protsim.core.stats;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StatsTest {

    @Test
    void shouldSumEverySourceRegisteredUnderOneName() {
        Stats s = new Stats();
        long[] cpu0 = {5};
        long[] cpu1 = {7};
        s.counter("tlb.l1d.hits", "lookups", "L1 dTLB hits", () -> cpu0[0]);
        s.counter("tlb.l1d.hits", "lookups", "L1 dTLB hits", () -> cpu1[0]);
        cpu1[0] = 10;
        assertThat(s.value("tlb.l1d.hits")).isEqualTo(15);
        assertThat(s.summary("finished").counters()).containsEntry("tlb.l1d.hits", 15L);
    }

    @Test
    void shouldReturnTheSameOwnedCounterForTheSameName() {
        Stats s = new Stats();
        Counter a = s.counter("forks", "forks", "process creations");
        Counter b = s.counter("forks", "forks", "process creations");
        a.increment();
        b.add(2);
        assertThat(a).isSameAs(b);
        assertThat(s.value("forks")).isEqualTo(3);
    }

    @Test
    void shouldRejectOneNameInTwoUnits() {
        Stats s = new Stats();
        s.counter("x", "cycles", "x");
        assertThatThrownBy(() -> s.counter("x", "events", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldComputeDerivedFiguresFromFinalCountersAndNullWhenUndefined() {
        Stats s = new Stats();
        Counter refs = s.counter("references", "references", "memory references");
        Counter misses = s.counter("misses", "misses", "misses");
        s.derived("missesPerKiloRef", "misses/1000 refs", "misses per 1,000 references",
                sum -> Stats.ratio(sum.counter("misses"), sum.counter("references"), 1000));
        assertThat(s.summary("x").derived().get("missesPerKiloRef")).isNull(); // 0/0
        refs.add(4000);
        misses.add(3);
        assertThat(s.summary("x").derived()).containsEntry("missesPerKiloRef", 0.75); // 3 / 4000 * 1000
    }

    @Test
    void shouldSummariseHistogramPercentiles() {
        Stats s = new Stats();
        LatencyRecorder r = s.histogram("walk.latency", "cycles", "page walk latency");
        for (int v = 1; v <= 100; v++) {
            r.record(v);
        }
        HistogramSummary h = s.summary("x").histograms().get("walk.latency");
        assertThat(h.unit()).isEqualTo("cycles");
        assertThat(h.count()).isEqualTo(100);
        assertThat(h.mean()).isEqualTo(50.5); // (1 + 100) / 2, exact at 3 significant digits for values < 2048
        assertThat(h.p50()).isEqualTo(50);
        assertThat(h.p90()).isEqualTo(90);
        assertThat(h.p99()).isEqualTo(99);
        assertThat(h.max()).isEqualTo(100);
    }

    @Test
    void shouldKeepNamesSorted() {
        Stats s = new Stats();
        s.counter("zeta", "u", "z");
        s.counter("alpha", "u", "a");
        s.counter("mid", "u", "m");
        assertThat(s.summary("x").counters().keySet()).containsExactly("alpha", "mid", "zeta");
    }
}
