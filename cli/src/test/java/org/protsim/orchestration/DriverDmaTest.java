package org.protsim.orchestration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.protsim.core.InputError;
import org.protsim.core.config.RunConfig;
import org.protsim.core.results.RunFolder;
import org.protsim.core.stats.Summary;
import org.protsim.workloads.Workloads;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The driver-dma workload as a config user sees it. */
class DriverDmaTest {
    /** One NIC-like device, 3 clients of 40 requests of 1 page, 5 of 100 requests misbehaving on average. */
    static final String SMALL = "{\"workload\": {\"type\": \"driver-dma\", \"devices\": [{\"name\": \"nic\", "
            + "\"requestBytes\": 4096, \"bandwidthMBps\": 1250, \"latencyNs\": 2000, \"ringEntries\": 2, "
            + "\"registerPages\": 2, \"aperturePages\": 2, \"toDeviceFraction\": 0.5}], \"clientsPerDevice\": 3, "
            + "\"requestsPerClient\": 40, \"refsPerRequest\": 64, \"wildWritesPerMillion\": 50000, "
            + "\"lateWriteMaxCycles\": 10000, \"aliasFraction\": 0.5, \"extraMappings\": 0}}";

    static Summary run(String json, String... sets) {
        RunConfig c = Workloads.loader().fromTree(ConfigFixtures.tree(json), List.of(sets));
        return Runner.run(c).summary();
    }

    @ParameterizedTest
    @ValueSource(strings = {"shared-pool", "iommu-strict", "iommu-deferred", "owned-pages"})
    void shouldCompleteEveryRequestAndAccountForEveryWildWrite(String mode) {
        Summary s = run(SMALL, "kernel.dma.mode=" + mode);
        // 3 clients x 40 requests
        assertThat(s.counter("dma.requests")).isEqualTo(120);
        assertThat(s.counter("dma.bytes")).isEqualTo(120 * 4096L);
        long landed = 0;
        for (String v : List.of("kernel", "pageTable", "otherProcess", "own", "free", "device")) {
            landed += s.counter("dma.wildWrites.landed." + v);
        }
        // every wild write ends one way or the other
        assertThat(s.counter("dma.wildWrites")).isPositive()
                .isEqualTo(s.counter("dma.wildWrites.caught") + landed)
                .isEqualTo(s.counter("dma.wildWrites.randomAddress") + s.counter("dma.wildWrites.useAfterUnmap")
                        + s.counter("dma.wildWrites.driverOutside"));
        if (mode.equals("shared-pool")) {
            assertThat(s.counter("dma.wildWrites.caught")).isZero();
        }
        if (mode.startsWith("iommu")) {
            // every request translates its page, the descriptor and the status through the IOMMU
            assertThat(s.counter("iotlb.hits") + s.counter("iotlb.misses")).isGreaterThanOrEqualTo(3 * 120);
        }
        assertThat(s.derived("dma.requestsPerSecond")).isPositive();
        // the ring holds 2 requests and 3 clients share it
        assertThat(s.counter("dma.ringFullWaits")).isPositive();
    }

    @Test
    void shouldRefuseTheWriteBackRegisterMappingsUnderMemtypeTrackingAndCountThemUnderNone() {
        Summary none = run(SMALL, "kernel.dma.mode=shared-pool");
        Summary tree = run(SMALL, "kernel.dma.mode=shared-pool", "kernel.pat.mode=memtype-tree");
        Summary walk = run(SMALL, "kernel.dma.mode=shared-pool", "kernel.pat.mode=vma-walk");
        // the same seed picks the same faulty clients: the two trackers refuse the same mappings
        assertThat(tree.counter("pat.conflictsRefused")).isEqualTo(walk.counter("pat.conflictsRefused"));
        assertThat(tree.counter("pat.aliasesUndetected")).isZero();
        // what the trackers refuse, none lets through and counts (each refused page an alias made)
        assertThat(none.counter("pat.aliasesUndetected")).isPositive();
        assertThat(none.counters()).doesNotContainKey("pat.conflictsRefused");
    }

    @Test
    void shouldGiveAByteIdenticalSummaryForTheSameConfigAndSeed() {
        String a = RunFolder.summaryJson(run(SMALL, "kernel.dma.mode=iommu-deferred"));
        String b = RunFolder.summaryJson(run(SMALL, "kernel.dma.mode=iommu-deferred"));
        assertThat(a).isEqualTo(b);
    }

    @Test
    void shouldSayWhatIsMissingWhenNoDmaModeIsChosen() {
        assertThatThrownBy(() -> run(SMALL)).isInstanceOf(InputError.class)
                .hasMessage("workload driver-dma needs a kernel.dma.mode (shared-pool, iommu-strict, iommu-deferred or "
                        + "owned-pages); it is none");
    }
}
