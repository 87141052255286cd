package org.protsim.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Replay of a trace with no locality: {@link RandomTrace}'s uniformly random references over
 * 1 GiB (seed 17), against the limit loop ({@link TraceLimitBenchmark.LimitLoop}) on the same
 * file, so that the ratio of the two says what protsim's TLBs, walker and caches cost when every
 * level misses. Bare (pages mapped on first touch) and under the kernel (conventional model,
 * demand-zero faults); the score is references per second, parse included.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
@State(Scope.Benchmark)
public class RandomTraceBenchmark {
    /** References in the trace: about a second of replay at the 1.5 M references/s. */
    static final int REFERENCES = 2_000_000;
    static final long SEED = 17;

    private Path trace;
    private final TraceLimitBenchmark.LimitLoop loop = new TraceLimitBenchmark.LimitLoop();

    @Setup(Level.Trial)
    public void writeTrace() throws IOException {
        trace = Files.createTempFile("protsim-random-", ".lackey.gz");
        RandomTrace.write(trace, REFERENCES, RandomTrace.GIB, SEED);
    }

    @TearDown(Level.Trial)
    public void deleteTrace() throws IOException {
        Files.deleteIfExists(trace); // written by this benchmark, in the temporary folder
    }

    @Benchmark
    @OperationsPerInvocation(REFERENCES)
    public long limit() throws IOException {
        try (InputStream in = Files.newInputStream(trace)) {
            return loop.run(in, REFERENCES);
        }
    }

    @Benchmark
    @OperationsPerInvocation(REFERENCES)
    public long bare() throws Exception {
        return replay(true);
    }

    @Benchmark
    @OperationsPerInvocation(REFERENCES)
    public long kernel() throws Exception {
        return replay(false);
    }

    private long replay(boolean bare) throws Exception {
        return LackeyReplayBenchmark.replay(trace.toString(), bare, REFERENCES);
    }
}
