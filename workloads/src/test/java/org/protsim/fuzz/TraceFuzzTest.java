package org.protsim.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.protsim.os.RefBuffer;
import org.protsim.workloads.trace.LackeyReader;
import org.protsim.workloads.trace.StraceParser;

import java.nio.file.Path;

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
        }
    }
}
