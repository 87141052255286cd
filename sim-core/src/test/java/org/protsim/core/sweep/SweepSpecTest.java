package org.protsim.core.sweep;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protsim.core.InputError;
import org.protsim.core.RandomStreams;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SweepSpecTest {
    @TempDir
    Path dir;

    private SweepSpec load(String json) throws IOException {
        Path f = dir.resolve("spec.json");
        Files.writeString(f, json);
        return SweepSpec.load(f);
    }

    private static final String SPEC = "{\"base\": {\"seed\": 7}, \"axes\": {\"model.name\": [\"conventional\", \"pcid\"],"
            + " \"workload.processes\": [4, 8, 16]}, \"replications\": 2}";

    @Test
    void shouldExpandTheCartesianProductWithTheFirstAxisOutermost() throws IOException {
        SweepSpec s = load(SPEC);
        assertThat(s.points()).hasSize(6);
        assertThat(s.runCount()).isEqualTo(12);
        assertThat(s.points().get(0).values().toString()).isEqualTo("{model.name=\"conventional\", workload.processes=4}");
        assertThat(s.points().get(2).values().toString()).isEqualTo("{model.name=\"conventional\", workload.processes=16}");
        assertThat(s.points().get(3).values().toString()).isEqualTo("{model.name=\"pcid\", workload.processes=4}");
        assertThat(s.points().get(5).id(6)).isEqualTo("p0005");
        // runs: point by point, replications innermost
        assertThat(s.runs().get(3).point().index()).isEqualTo(1);
        assertThat(s.runs().get(3).replication()).isEqualTo(1);
    }

    @Test
    void shouldDeriveSeedsFromTheBaseSeedAndTheReplication() throws IOException {
        SweepSpec s = load(SPEC);
        assertThat(s.baseSeed()).isEqualTo(7);
        List<String> o = s.overrides(s.runs().get(3), s.baseSeed());
        assertThat(o).containsExactly("model.name=\"conventional\"", "workload.processes=8",
                "seed=" + RandomStreams.replicationSeed(7, 1));
        assertThat(s.overrides(s.runs().get(0), 7)).contains("seed=7"); // replication 0 keeps the base seed
    }

    @Test
    void shouldSliceRunsIntoDisjointShardsThatCoverEverything() throws IOException {
        SweepSpec s = load(SPEC);
        Set<Integer> seen = new HashSet<>();
        int total = 0;
        for (int k = 0; k < 5; k++) {
            for (SweepSpec.Run r : s.shard(k, 5)) {
                assertThat(seen.add(r.index())).as("run %d in one shard only", r.index()).isTrue();
                assertThat(r.index() % 5).isEqualTo(k);
                total++;
            }
        }
        assertThat(total).isEqualTo(12);
        assertThat(s.shard(1, 5)).isEqualTo(s.shard(1, 5)); // deterministic
    }

    @Test
    void shouldReadTheBaseFromAFileBesideTheSpec() throws IOException {
        Files.writeString(dir.resolve("base.json"), "{\"seed\": 3, \"machine\": {\"cpus\": 4}}");
        SweepSpec s = load("{\"baseConfig\": \"base.json\", \"axes\": {\"model.name\": [\"pcid\"]}}");
        assertThat(s.baseSeed()).isEqualTo(3);
        assertThat(s.base().at("/machine/cpus").asInt()).isEqualTo(4);
        assertThat(s.replications()).isEqualTo(1);
        assertThat(s.canonicalJson()).contains("\"cpus\" : 4").doesNotContain("baseConfig");
    }

    @Test
    void shouldRefuseBadSpecsNamingWhatIsWrong() {
        String[][] cases = {
                {"{\"axes\": {\"model.name\": []}}", "axis model.name: expected a non-empty list"},
                {"{\"axes\": {}}", "axes: expected an object with at least one axis"},
                {"{\"axes\": {\"a\": [1]}, \"replicas\": 3}", "replicas: unknown key"},
                {"{\"axes\": {\"a\": [1]}, \"replications\": 0}", "replications: 0 must be an integer in 1..100000"},
                {"{\"axes\": {\"a\": [1]}, \"replications\": 1.5}", "replications"},
                {"{\"base\": {}, \"baseConfig\": \"x.json\", \"axes\": {\"a\": [1]}}", "give one or the other"},
                {"{\"axes\": {\"a\": [1, 1]}}", "axis a: value 1 appears twice"},
                {"{\"axes\": {\"seed\": [1, 2]}}", "axis seed"},
                {"{\"baseConfig\": \"absent.json\", \"axes\": {\"a\": [1]}}", "absent.json: no such file"},
        };
        for (String[] c : cases) {
            assertThatThrownBy(() -> load(c[0])).as(c[0]).isInstanceOf(InputError.class).hasMessageContaining(c[1]);
        }
    }
}
