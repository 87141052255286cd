package org.protsim.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.protsim.core.Simulation;
import org.protsim.core.config.CoreConfig;
import org.protsim.core.config.MachineConfig;
import org.protsim.hw.Cpu;
import org.protsim.hw.Machine;
import org.protsim.hw.PhysicalMemory;
import org.protsim.hw.Pte;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The CPU's reference path alone (TLBs, walker, caches; no kernel, no generator): 4,096
 * prepared references over {@code pages} mapped pages, random pages and lines. With 4 pages
 * every reference hits the L1 TLB and L1 cache; with 256 most miss the L1 cache and the L1
 * TLB and hit the L2s.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class ReferencePathBenchmark {
    private static final int N = 4096;

    @Param({"4", "256"})
    int pages;

    /** machine.core.model; {@code -p core=serial,interval} compares the two timing models. */
    @Param({"serial"})
    String core;

    private Cpu cpu;
    private final long[] addresses = new long[N];
    private final byte[] accesses = new byte[N];

    @Setup(Level.Trial)
    public void setUp() {
        CoreConfig c = "interval".equals(core) ? CoreConfig.INTERVAL : CoreConfig.SERIAL;
        Machine m = new Machine(MachineConfig.DEFAULT.withCore(c), new Simulation(1));
        long root = m.pageTable().newRoot(1);
        for (int p = 0; p < pages; p++) {
            int f = m.memory().allocate(PhysicalMemory.DATA, 1);
            m.pageTable().map(root, 0x10_0000L + p * 4096L, Pte.of(f, Pte.USER | Pte.WRITABLE), 1, 1, null);
        }
        cpu = m.cpu(0);
        cpu.context().set(root, 0, 0, 0, 0, false);
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < N; i++) {
            addresses[i] = 0x10_0000L + r.nextInt(pages) * 4096L + (r.nextInt(512) << 3);
            accesses[i] = (byte) (r.nextInt(10) < 3 ? Cpu.WRITE : Cpu.READ);
        }
        for (int i = 0; i < N; i++) {
            cpu.reference(addresses[i], 8, accesses[i]);
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public long references() {
        long ok = 0;
        for (int i = 0; i < N; i++) {
            ok += cpu.reference(addresses[i], 8, accesses[i]);
        }
        return ok;
    }
}
