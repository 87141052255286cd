package org.protsim.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.protsim.core.InputError;
import org.protsim.core.config.RunConfig;
import org.protsim.core.stats.Summary;
import org.protsim.os.RefBuffer;
import org.protsim.orchestration.Runner;
import org.protsim.workloads.Workloads;
import org.protsim.workloads.trace.LackeyReader;
import org.protsim.workloads.trace.StraceParser;

import java.nio.file.Path;
import java.util.List;

/**
 * Fuzz targets for the two trace readers (valgrind lackey, plain and gzip; strace -f -tt),
 * fed what a user's file could hold. Regression inputs (real excerpts and every finding) are
 * in {@code src/test/resources/org/protsim/fuzz/TraceFuzzTestInputs/}.
 */
class TraceFuzzTest {

    /** Reads a plain lackey trace to its end, and replays what it accepts in the kernel. */
    @FuzzTest(maxDuration = "10m")
    void lackeyPlain(byte[] data) {
        if (data.length > FuzzInput.MAX_BYTES) {
            return;
        }
        Path p = FuzzInput.file("trace.lackey", data);
        FuzzInput.acceptedOrInputError(() -> readAll(p));
    }

    /**
     * Replays a plain lackey trace as a process of the kernel: a trace it accepts is replayed to
     * its last line, every reference either performed or counted as unreachable, and the run
     * says it finished. (A replay that stopped early without saying so is what this guards.)
     */
    @FuzzTest(maxDuration = "10m")
    void lackeyKernelReplay(byte[] data) {
        if (data.length > MAX_REPLAY_BYTES) {
            return;
        }
        Path p = FuzzInput.file("replay.lackey", data);
        long[] read = new long[2];
        try {
            readAll(p, read);
        } catch (InputError e) {
            return; // refused before anything runs: the reader's target covers what it says
        }
        if (read[1] == 0) {
            return;
        }
        RunConfig c = Workloads.loader().fromTree(REPLAY, List.of("workload.path=" + p));
        Summary s = Runner.run(c).summary();
        if (!s.stopReason().equals("finished") || s.counter("trace.lines") != read[0]
                || s.counter("references") + s.counter("trace.unreachable") != read[1]) {
            throw new AssertionError("replay stopped at line " + s.counter("trace.lines") + " of " + read[0] + " ("
                    + s.stopReason() + "), " + s.counter("references") + " references + "
                    + s.counter("trace.unreachable") + " unreachable of " + read[1]);
        }
    }

    /** A replay sets up a kernel and runs every reference: smaller inputs keep executions fast. */
    private static final int MAX_REPLAY_BYTES = 8 * 1024;
    private static final JsonNode REPLAY = tree("{\"workload\": {\"type\": \"lackey\", \"bare\": false}}");

    private static JsonNode tree(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Reads a gzip lackey trace: the fuzzer mutates the compressed stream (corrupt, truncated, concatenated members). */
    @FuzzTest(maxDuration = "10m")
    void lackeyGzip(byte[] data) {
        if (data.length > FuzzInput.MAX_BYTES) {
            return;
        }
        Path p = FuzzInput.file("trace.lackey.gz", data);
        FuzzInput.acceptedOrInputError(() -> readAll(p));
    }

    /** Parses an strace recording (plain, or gzip when it starts with gzip's magic bytes). */
    @FuzzTest(maxDuration = "10m")
    void straceRecording(byte[] data) {
        if (data.length > FuzzInput.MAX_BYTES) {
            return;
        }
        Path p = FuzzInput.file("recording.strace", data);
        FuzzInput.acceptedOrInputError(() -> StraceParser.parse(p.toString()));
    }

    private static void readAll(Path p) {
        readAll(p, new long[2]);
    }

    /** Reads {@code p}, leaving its lines and references in {@code read[0]} and {@code read[1]}. */
    private static void readAll(Path p, long[] read) {
        RefBuffer refs = new RefBuffer(256);
        // a gzip bomb inflates 64 KiB into gigabytes: stop after a bounded number of references (the
        // reader streams, so what matters is that every prefix is read without another exception)
        long budget = 1_000_000;
        try (LackeyReader r = LackeyReader.open(p)) {
            while (r.fill(refs) && (budget -= refs.count) > 0) {
                for (int i = 0; i < refs.count; i++) {
                    if (refs.sizes[i] < 1 || refs.sizes[i] > 4096) {
                        throw new AssertionError("reference size " + refs.sizes[i] + " accepted at line " + r.line());
                    }
                }
            }
            read[0] = r.line();
            read[1] = r.references();
        }
    }
}
