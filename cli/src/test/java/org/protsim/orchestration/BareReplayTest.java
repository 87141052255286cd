package org.protsim.orchestration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.protsim.core.config.RunConfig;
import org.protsim.core.stats.Summary;
import org.protsim.workloads.Workloads;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real traces recorded with valgrind lackey (see src/main/resources/traces/README.md),
 * replayed on the bare hardware and checked count for count against {@link ReferenceReplay}.
 */
class BareReplayTest {

    /** The traces ship inside the workloads jar on this module's class path: read their source files. */
    static Path trace(String name) {
        return Path.of("..", "workloads", "src", "main", "resources", "traces", name).toAbsolutePath().normalize();
    }

    static Summary run(Path trace, String... sets) {
        List<String> overrides = new java.util.ArrayList<>(List.of(sets));
        overrides.add("workload.path=" + trace);
        RunConfig c = Workloads.loader().fromTree(
                ConfigFixtures.tree("{\"workload\": {\"type\": \"lackey\", \"bare\": true}}"), overrides);
        return Runner.run(c).summary();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ls.lackey.gz", "matwalk-shuffle250k.lackey.gz"})
    void shouldMatchAnIndependentReferenceImplementationCountForCount(String name) throws IOException {
        Path t = trace(name);
        Map<String, Long> expected = ReferenceReplay.replay(t).expected();
        Summary s = run(t);
        Map<String, Long> actual = new TreeMap<>();
        for (String k : expected.keySet()) {
            actual.put(k, k.startsWith("cycles.") ? s.cycles().get(k.substring(7)) : s.counter(k));
        }
        assertThat(actual).isEqualTo(expected);
        assertThat(expected.get("references")).isGreaterThan(100_000);
    }

    /**
     * Four references on three pages, written so the counts can be done by hand: an instruction
     * fetch on page 0x400, a load on 0x10000, a store that spans 0x10000 and 0x10001 (its last
     * 4 bytes cross the boundary), and the first load again. First touches: 0x400 (iTLB), 0x10000
     * and 0x10001 (dTLB), so 3 misses in the L1s (1 iTLB + 2 dTLB), 3 in the STLB, 3 walks and
     * 3 pages mapped; the second part of the store and the last load hit the dTLB: 2 hits.
     * Under the kernel a first touch is a page fault, and the retried access misses again, as on
     * real hardware: twice the misses and walks for the same 3 pages.
     */
    @Test
    void shouldCountOneMissPerLevelAndOneWalkPerFirstTouchInABareReplay(@TempDir Path dir) throws IOException {
        Path t = dir.resolve("tiny.lackey");
        Files.writeString(t, "I  00400000,4\n L 10000ff0,8\n S 10000ffc,8\n L 10000ff0,8\n");
        Summary bare = run(t);
        assertThat(bare.counter("references")).isEqualTo(4);
        assertThat(bare.counter("tlb.l1i.misses")).isEqualTo(1);
        assertThat(bare.counter("tlb.l1i.hits")).isZero();
        assertThat(bare.counter("tlb.l1d.misses")).isEqualTo(2);
        assertThat(bare.counter("tlb.l1d.hits")).isEqualTo(2);
        assertThat(bare.counter("tlb.l2.misses")).isEqualTo(3);
        assertThat(bare.counter("walks")).isEqualTo(3);
        assertThat(bare.counter("walk.faults")).isZero();
        assertThat(bare.counter("faults.demand")).isEqualTo(3);

        // kernel: no kernel references of its own (refsPerEntry 0), so only the trace's lookups count
        Summary kernel = run(t, "workload.bare=false", "kernel.refsPerEntry=0");
        assertThat(kernel.counter("references")).isEqualTo(4);
        assertThat(kernel.counter("faults.demand")).isEqualTo(3);
        assertThat(kernel.counter("tlb.l1i.misses")).isEqualTo(2 * 1);
        assertThat(kernel.counter("tlb.l1d.misses")).isEqualTo(2 * 2);
        assertThat(kernel.counter("tlb.l2.misses")).isEqualTo(2 * 3);
        assertThat(kernel.counter("walks")).isEqualTo(2 * 3);
    }

    @Test
    void shouldKeepTheHierarchyConsistentOnARealTrace() {
        Summary s = run(trace("matwalk-shuffle250k.lackey.gz"));
        // L2 TLB lookups are exactly the L1 misses; every L2 miss walks
        assertThat(s.counter("tlb.l2.hits") + s.counter("tlb.l2.misses"))
                .isEqualTo(s.counter("tlb.l1i.misses") + s.counter("tlb.l1d.misses"));
        assertThat(s.counter("walks")).isEqualTo(s.counter("tlb.l2.misses"));
        // each cache level is looked up exactly by the misses of the level above; memory by the LLC's misses
        assertThat(s.counter("cache.l2.hits") + s.counter("cache.l2.misses"))
                .isEqualTo(s.counter("cache.l1d.misses") + s.counter("cache.l1i.misses"));
        assertThat(s.counter("cache.llc.hits") + s.counter("cache.llc.misses")).isEqualTo(s.counter("cache.l2.misses"));
        assertThat(s.counter("memory.accesses")).isEqualTo(s.counter("cache.llc.misses"));
        // time: one CPU, so simulated time is the sum of its cycles
        long sum = s.cycles().values().stream().mapToLong(Long::longValue).sum();
        assertThat(s.counter("simulatedCycles")).isEqualTo(sum);
    }

    @Test
    void shouldGiveMoreTlbMissesWithASmallerStlb() {
        Summary big = run(trace("matwalk-shuffle250k.lackey.gz"));
        Summary small = run(trace("matwalk-shuffle250k.lackey.gz"), "machine.tlb.l2.entries=64", "machine.tlb.l2.ways=4");
        assertThat(small.counter("tlb.l2.misses")).isGreaterThan(big.counter("tlb.l2.misses"));
        assertThat(small.derived("tlbMissesPerKiloRef")).isGreaterThan(big.derived("tlbMissesPerKiloRef"));
    }
}
