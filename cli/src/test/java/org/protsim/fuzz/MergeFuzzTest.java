package org.protsim.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.protsim.core.sweep.SweepResults;

import java.nio.file.Path;

/**
 * Fuzz target for what {@code protsim merge} reads of a shard it did not check: a run's
 * HdrHistogram {@code .hlog} files. Regression inputs are in
 * {@code src/test/resources/org/protsim/fuzz/MergeFuzzTestInputs/}.
 */
class MergeFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void hlog(byte[] data) {
        if (data.length > FuzzInput.MAX_BYTES) {
            return;
        }
        Path p = FuzzInput.file("fork.latency.hlog", data);
        FuzzInput.acceptedOrInputError(() -> SweepResults.readHistogram(p));
    }
}
