package org.protsim.orchestration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.protsim.core.config.RunConfig;
import org.protsim.core.stats.Summary;
import org.protsim.workloads.Workloads;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Lackey replay as a process of the kernel, and the vas-switch workload. */
class KernelWorkloadsTest {

    static Summary run(String json, String... sets) {
        RunConfig c = Workloads.loader().fromTree(ConfigFixtures.tree(json), List.of(sets));
        return Runner.run(c).summary();
    }

    /**
     * Under the kernel the trace's pages are faulted in by the kernel, one demand-zero fault per
     * distinct page, the same pages the bare mapper maps; every reference completes.
     */
    @ParameterizedTest
    @CsvSource({"conventional", "pcid", "sasos", "shared-asid", "vas"})
    void lackeyShouldRunAsAProcessUnderEveryModel(String model) {
        String lackey = "{\"kernel\": {\"audit\": true}, \"workload\": {\"type\": \"lackey\", "
                + "\"path\": \"builtin:matwalk-shuffle250k.lackey.gz\", \"bare\": %s}}";
        Summary bare = run(String.format(lackey, "true"));
        Summary kernel = run(String.format(lackey, "false"), "model.name=" + model);
        assertThat(kernel.counter("references")).isEqualTo(bare.counter("references")).isEqualTo(250_001);
        assertThat(kernel.counter("faults.demand")).isEqualTo(bare.counter("faults.demand"));
        assertThat(kernel.counter("faults.segv")).isZero();
        assertThat(kernel.counter("exits")).isEqualTo(1);
        assertThat(kernel.counter("pages.zeroed")).isGreaterThanOrEqualTo(bare.counter("faults.demand"));
    }

    static final String VAS_SWITCH = "{\"kernel\": {\"audit\": true}, \"workload\": {\"type\": \"vas-switch\", "
            + "\"threads\": 2, \"dataSets\": 3, \"dataSetPages\": 64, \"visits\": 12, \"refsPerVisit\": 4000}}";

    /**
     * 3 data sets of 64 pages; a visit's 4000 references come in stretches of 4 words on average, so
     * about 1000 stretches, each on a uniformly chosen page: every page of the set is touched (the
     * chance a page is missed is (63/64)^1000, about 1.5e-7). Under vas each page faults once
     * for good: 3 x 64 = 192 faults; a visit is a switch (12 of them), nothing is unmapped, so
     * nothing is shot down. Under the others every visit maps the set anew: 12 x 64 faults
     * (minor: the pages persist in the shared objects), and unmapping a set while the other thread
     * runs the process shoots its CPU down.
     */
    @Test
    void vasShouldSwitchWhereOthersRemap() {
        Summary vas = run(VAS_SWITCH, "model.name=vas");
        assertThat(vas.counter("faults.demand")).isEqualTo(3 * 64);
        assertThat(vas.counter("vas.switches")).isEqualTo(12);
        assertThat(vas.counter("shootdowns")).isZero();
        assertThat(vas.counter("references")).isEqualTo(12 * 4000);
        for (String model : List.of("conventional", "pcid")) {
            Summary other = run(VAS_SWITCH, "model.name=" + model);
            assertThat(other.counter("faults.demand")).isEqualTo(12 * 64);
            // each set's pages are read into its object once (192); a few page-table pages are zeroed too
            assertThat(other.counter("pages.zeroed")).isBetween(3 * 64L, 3 * 64L + 16);
            assertThat(other.counter("shootdowns")).isPositive();
            assertThat(other.counter("references")).isEqualTo(12 * 4000);
            assertThat(Comparison.totalCycles(other)).isGreaterThan(Comparison.totalCycles(vas));
        }
    }
}
