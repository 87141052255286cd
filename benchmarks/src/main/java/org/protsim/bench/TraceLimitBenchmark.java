package org.protsim.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * The physical limit of a lackey replay on this machine: a minimal loop that only gunzips and
 * parses the shipped {@code ls} trace and looks each reference's page up in one LRU TLB array
 * (64 entries, 4 ways, as an L1 dTLB). Everything a replay must do at the least; protsim's full
 * replay ({@link LackeyReplayBenchmark}) is measured against it as a ratio.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
@State(Scope.Benchmark)
public class TraceLimitBenchmark {
    private final LimitLoop loop = new LimitLoop();

    @Benchmark
    @OperationsPerInvocation(LackeyReplayBenchmark.LS_REFERENCES)
    public long parseAndLookUp() throws IOException {
        try (InputStream in = TraceLimitBenchmark.class.getResourceAsStream("/traces/ls.lackey.gz")) {
            return loop.run(in, LackeyReplayBenchmark.LS_REFERENCES);
        }
    }

    /**
     * The loop itself, for any gzip lackey trace (the random-reference trace of
     * {@link RandomTraceBenchmark} is measured against it too). Returns the TLB misses.
     */
    static final class LimitLoop {
        private final long[] tags = new long[64];
        private final long[] stamps = new long[64];
        private final byte[] buf = new byte[1 << 16];
        private long tick;

        long run(InputStream gzip, long expectedReferences) throws IOException {
            java.util.Arrays.fill(tags, -1);
            long misses = 0;
            long refs = 0;
            InputStream in = new GZIPInputStream(gzip, 1 << 16);
            int state = 0; // 0: line start, 1: address, 2: skip to the end of the line
            long address = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    byte c = buf[i];
                    if (state == 0) {
                        if (c == 'I' || c == 'L' || c == 'S' || c == 'M') {
                            state = 1;
                            address = 0;
                        } else if (c != ' ') {
                            state = 2;
                        }
                    } else if (state == 1) {
                        if (c == ',') {
                            refs++;
                            misses += lookUp(address >>> 12);
                            state = 2;
                        } else if (c != ' ') {
                            address = (address << 4) | (c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
                        }
                    }
                    if (c == '\n') {
                        state = 0;
                    }
                }
            }
            if (refs != expectedReferences) {
                throw new IllegalStateException("parsed " + refs + " references, expected " + expectedReferences);
            }
            return misses;
        }

        private int lookUp(long page) {
            int base = ((int) page & 15) * 4;
            for (int i = base; i < base + 4; i++) {
                if (tags[i] == page) {
                    stamps[i] = ++tick;
                    return 0;
                }
            }
            int victim = base;
            for (int i = base + 1; i < base + 4; i++) {
                if (stamps[i] < stamps[victim]) {
                    victim = i;
                }
            }
            tags[victim] = page;
            stamps[victim] = ++tick;
            return 1;
        }
    }
}
