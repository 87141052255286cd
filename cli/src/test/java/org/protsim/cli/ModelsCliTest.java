package org.protsim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.protsim.cli.CliTest.protsim;

/** Both kernel workloads under every model, from the command line, with the kernel's audit on. */
class ModelsCliTest {
    @TempDir
    Path dir;

    static final String FORK_STORM = "{\"kernel\": {\"audit\": true}, \"workload\": {\"type\": \"fork-storm\", "
            + "\"parents\": 2, \"residentPages\": 128, \"forks\": 12, \"execFraction\": 0.5, "
            + "\"childWriteFraction\": 0.25, \"childRefs\": 1500, \"imagePages\": 16, \"parentRefsPerFork\": 200}}";
    static final String SHARED_LIBC = "{\"kernel\": {\"audit\": true, \"quantumCycles\": 100000}, \"workload\": "
            + "{\"type\": \"shared-libc\", \"processes\": 4, \"libraries\": [{\"name\": \"ld.so\", \"textPages\": 20},"
            + " {\"name\": \"libc\", \"textPages\": 60}], \"privatePages\": 16, \"refsPerProcess\": 20000}}";

    private JsonNode run(String json, String model, String out) throws IOException {
        Path c = dir.resolve("c.json");
        Files.writeString(c, json);
        CliTest.Outcome o = protsim("run", c.toString(), "--set", "model.name=" + model, "--out",
                dir.resolve(out).toString());
        assertThat(o.code()).as(o.err()).isZero();
        return new ObjectMapper().readTree(dir.resolve(out).resolve("summary.json").toFile());
    }

    @ParameterizedTest
    @CsvSource({"conventional", "pcid", "sasos", "shared-asid", "vas"})
    void shouldRunTheForkStormUnderEveryModel(String model) throws IOException {
        JsonNode s = run(FORK_STORM, model, "fs-" + model);
        JsonNode c = s.get("counters");
        assertThat(s.get("stopReason").asText()).isEqualTo("finished");
        assertThat(c.get("forks").asLong()).isEqualTo(12);
        assertThat(c.get("exits").asLong()).isEqualTo(2 + 12); // every parent and child ended
        assertThat(c.get("execs").asLong()).isBetween(1L, 11L);  // about half of 12, drawn per fork
        assertThat(c.get("faults.segv").asLong()).isZero();
        // 2 parents x (128 touches + 6 x 200 work) + children: execs x 1500 + workers x 1500
        long expected = 2 * (128 + 6 * 200) + 12 * 1500L;
        assertThat(c.get("references").asLong()).isEqualTo(expected);
        assertThat(s.at("/histograms/fork.latency/count").asLong()).isEqualTo(12);
        assertThat(s.at("/histograms/fork.latency/p99").asLong()).isPositive();
    }

    @ParameterizedTest
    @CsvSource({"conventional", "pcid", "sasos", "shared-asid", "vas"})
    void shouldRunSharedLibcUnderEveryModel(String model) throws IOException {
        JsonNode s = run(SHARED_LIBC, model, "sl-" + model);
        JsonNode c = s.get("counters");
        assertThat(c.get("references").asLong()).isEqualTo(4 * 20_000);
        assertThat(c.get("exits").asLong()).isEqualTo(4);
        assertThat(c.get("contextSwitches").asLong()).isGreaterThan(4); // time-sliced: 100k-cycle quanta
        assertThat(s.at("/derived/tlbMissesPerKiloRef").asDouble()).isPositive();
    }

    @Test
    void shouldGiveByteIdenticalSummariesForKernelRunsWithTheSameSeed() throws IOException {
        run(FORK_STORM, "pcid", "a");
        run(FORK_STORM, "pcid", "b");
        assertThat(Files.readAllBytes(dir.resolve("a/summary.json")))
                .isEqualTo(Files.readAllBytes(dir.resolve("b/summary.json")));
        Path c = dir.resolve("c.json");
        Files.writeString(c, FORK_STORM);
        assertThat(protsim("run", c.toString(), "--set", "model.name=pcid", "--set", "seed=2", "--out",
                dir.resolve("s2").toString()).code()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("s2/summary.json")))
                .isNotEqualTo(Files.readAllBytes(dir.resolve("a/summary.json")));
    }

    @Test
    void sharedAsidShouldTakeFewerFaultsAndWalksThanConventionalOnSharedLibraries() throws IOException {
        JsonNode conv = run(SHARED_LIBC, "conventional", "x-conv").get("counters");
        JsonNode shared = run(SHARED_LIBC, "shared-asid", "x-shared").get("counters");
        assertThat(shared.get("faults.demand").asLong()).isLessThan(conv.get("faults.demand").asLong());
        assertThat(shared.get("walks").asLong()).isLessThan(conv.get("walks").asLong());
    }
}
