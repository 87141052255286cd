package org.protsim.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SideBySideTest {
    @Test
    void shouldTakeEachRoundsRatioAndTheRatioOfMedians() {
        // A: 10, 20, 30 (median 20); B: 15, 20, 60 (median 20): medians' ratio 1.0; rounds 1.5, 1.0, 2.0
        SideBySide.Outcome o = new SideBySide.Outcome(new double[]{10, 20, 30}, new double[]{15, 20, 60}, true);
        assertThat(o.ratio()).isCloseTo(1.0, within(1e-12));
        assertThat(o.pairRatios()).containsExactly(1.5, 1.0, 2.0);
        assertThat(SideBySide.median(o.pairRatios())).isCloseTo(1.5, within(1e-12));
    }

    @Test
    void shouldRunOneConfigInTwoIsolatedCopiesOfProtsimWithTheSameSimulatedCycles() throws Exception {
        // the same classes twice, each copy in a loader of its own: a build against itself
        SideBySide.Build a = new SideBySide.Build("a", SideBySide.ownClassPath());
        SideBySide.Build b = new SideBySide.Build("b", SideBySide.ownClassPath());
        String json = "{\"workload\": {\"type\": \"lackey\", \"path\": \"builtin:ls.lackey.gz\", \"bare\": true}}";
        SideBySide.Outcome o = SideBySide.compare(a, b, json, 1);
        assertThat(o.sameCycles()).isTrue();
        // the ls trace's 4,670,336 references took some host time in each copy
        assertThat(o.a()[0]).isPositive();
        assertThat(o.b()[0]).isPositive();
        long[] run = a.run(json);
        assertThat(run[0]).isEqualTo(LackeyReplayBenchmark.LS_REFERENCES);
    }
}
