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
 * Steady-state simulation speed on synthetic references: shared-libc (16 processes, ld.so +
 * libc, Zipf 1.0) under a protection model, every TLB, the walker and every cache on, two
 * CPUs simulated on one host thread. Set up once; each invocation advances the simulation by
 * 20 million simulated cycles. The {@code references} counter is workload references per
 * second (JMH reports it next to the invocation time); {@code -prof gc} shows allocation per
 * invocation, i.e. on the reference path. The interval core simulates the same references (a
 * different number per 20 million cycles, being faster in simulated time).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
@State(Scope.Thread)
public class SyntheticRefsBenchmark {
    @Param({"pcid"})
    String model;

    /** machine.core.model; {@code -p core=serial,interval} compares the two timing models. */
    @Param({"serial"})
    String core;

    private SteadyState state;

    /** Operations counted by JMH: workload references simulated. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Counts {
        public long references;
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        state = new SteadyState(
                "{\"workload\": {\"type\": \"shared-libc\", \"refsPerProcess\": 9000000000000000000}}",
                List.of("model.name=" + model, "machine.core.model=" + core),
                200_000_000L, false); // warm: every library page faulted in, caches warm
    }

    @Benchmark
    public long advance(Counts counts) {
        long done = state.advance(20_000_000L);
        counts.references += done;
        return done;
    }
}
