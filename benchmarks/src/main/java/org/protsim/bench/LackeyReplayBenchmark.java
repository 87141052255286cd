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
import org.protsim.core.config.RunConfig;
import org.protsim.core.stats.Summary;
import org.protsim.orchestration.RunResult;
import org.protsim.orchestration.Runner;
import org.protsim.workloads.Workloads;

import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Whole replay of the shipped {@code ls /usr/bin} lackey trace (4,670,336 references, gzip
 * parse included), on the bare hardware and as a process of the kernel (conventional model),
 * reported per reference: the throughput score is references per second.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
@State(Scope.Benchmark)
public class LackeyReplayBenchmark {
    static final int LS_REFERENCES = 4_670_336;

    @Benchmark
    @OperationsPerInvocation(LS_REFERENCES)
    public long bareLs() throws Exception {
        return replay(true);
    }

    @Benchmark
    @OperationsPerInvocation(LS_REFERENCES)
    public long kernelLs() throws Exception {
        return replay(false);
    }

    private static long replay(boolean bare) throws Exception {
        return replay("builtin:ls.lackey.gz", bare, LS_REFERENCES);
    }

    /** One whole replay of the lackey trace at {@code path}; returns its simulated cycles. */
    static long replay(String path, boolean bare, long references) throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode workload = json.createObjectNode().put("type", "lackey").put("path", path).put("bare", bare);
        ObjectNode root = json.createObjectNode();
        root.set("workload", workload);
        RunConfig c = Workloads.loader().fromTree(root, List.of());
        RunResult r = Runner.run(c);
        Summary s = r.summary();
        if (s.counter("references") != references) {
            throw new IllegalStateException(path + " replayed " + s.counter("references") + " references, not "
                    + references);
        }
        return r.simulatedCycles();
    }
}
