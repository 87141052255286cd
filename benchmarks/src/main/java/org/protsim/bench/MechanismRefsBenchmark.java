package org.protsim.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The steady state with the kernel mechanisms on, for {@code -prof gc}: allocation per reference
 * where the mechanisms of issues 12 to 16 sit on the path. {@code aio} (2 processes x 2 threads of
 * asynchronous I/O) and {@code driver-dma} (clients of a NIC and an NVMe drive), both made to run
 * for ever, with {@code kernel.ukva} per-mm, {@code kernel.dma} iommu-strict, {@code kernel.pat}
 * memtype-tree and the interval core. {@code driver-dma:owned-pages:conventional} and
 * {@code driver-dma:owned-pages:sasos} run driver-dma with {@code kernel.dma} owned-pages instead,
 * under those models: every unmap withdraws the driver's mapping with a TLB shootdown (per-process
 * models) or revokes its grant (sasos). Set up once and warmed; each invocation advances 20 million
 * simulated cycles. The {@code references} counter counts workload and kernel references.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
@State(Scope.Thread)
public class MechanismRefsBenchmark {
    /** The workload, then (after a colon) the {@code kernel.dma} mode and the model when not iommu-strict and the default. */
    @Param({"aio", "driver-dma", "driver-dma:owned-pages:conventional", "driver-dma:owned-pages:sasos"})
    String workload;

    private SteadyState state;

    /** Operations counted by JMH: references simulated (workload and kernel). */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Counts {
        public long references;
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        String[] parts = workload.split(":");
        String type = parts[0];
        String forever = type.equals("aio") ? "\"iosPerThread\": 10000000" : "\"requestsPerClient\": 100000000";
        String model = parts.length > 2 ? "\"model\": {\"name\": \"" + parts[2] + "\"}, " : "";
        state = new SteadyState(
                "{" + model + "\"workload\": {\"type\": \"" + type + "\", " + forever + "}}",
                List.of("kernel.ukva.mode=per-mm", "kernel.dma.mode=" + (parts.length > 1 ? parts[1] : "iommu-strict"),
                        "kernel.pat.mode=memtype-tree", "machine.core.model=interval"),
                200_000_000L, true); // past start-up: mappings made, rings and IOMMU tables warm
    }

    @Benchmark
    public long advance(Counts counts) {
        long done = state.advance(20_000_000L);
        if (done == 0) {
            throw new IllegalStateException(workload + " made no references: it ended");
        }
        counts.references += done;
        return done;
    }
}
