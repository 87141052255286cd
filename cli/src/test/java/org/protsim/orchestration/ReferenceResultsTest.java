package org.protsim.orchestration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.protsim.core.results.RunFolder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * results/reference/ holds the committed output of the default comparison. A part of it is run
 * again here and must come out byte for byte the same: any change in a model's behaviour shows
 * up as a failure, and the reference is then regenerated on purpose
 * ({@code ./protsim compare --out results/reference}, see results/README.md).
 */
class ReferenceResultsTest {
    static final Path REFERENCE = Path.of(System.getProperty("protsim.root", "..")).resolve("results/reference/runs");

    @ParameterizedTest
    @CsvSource({"shared-libc, shared-asid", "vas-switch, vas", "strace-build, sasos", "fork-spawn, pcid",
            "proxy-share, sasos"})
    void shouldReproduceTheCommittedReferenceExactly(String workload, String model) throws IOException {
        Comparison.Plan plan = new Comparison(List.of(workload), List.of(model), List.of()).plans().get(0);
        Path dir = REFERENCE.resolve(plan.id());
        assertThat(Files.readString(dir.resolve("config.json"))).isEqualTo(plan.configJson());
        String summary = RunFolder.summaryJson(Runner.run(plan.config()).summary());
        assertThat(summary).isEqualTo(Files.readString(dir.resolve("summary.json")));
    }
}
