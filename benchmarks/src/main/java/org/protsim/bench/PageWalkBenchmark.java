package org.protsim.bench;

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
import org.protsim.core.Simulation;
import org.protsim.core.config.MachineConfig;
import org.protsim.hw.Machine;
import org.protsim.hw.PageWalker;
import org.protsim.hw.PhysicalMemory;
import org.protsim.hw.Pte;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One hardware page walk (walk caches, four or five cache-hierarchy references, histogram
 * recording) over a table of {@code pages} mapped 4 KiB pages spread over 64 GiB, visited
 * in random order.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class PageWalkBenchmark {
    @Param({"1024", "65536"})
    int pages;

    private PageWalker walker;
    private long root;
    private long[] addresses;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        Machine m = new Machine(MachineConfig.DEFAULT, new Simulation(1));
        root = m.pageTable().newRoot(1);
        SplittableRandom r = new SplittableRandom(3);
        addresses = new long[pages];
        for (int i = 0; i < pages; i++) {
            long va = (r.nextLong(1L << 24)) << 12; // 64 GiB of virtual space
            if (m.pageTable().lookup(root, va) != 0) {
                i--;
                continue;
            }
            int f = m.memory().allocate(PhysicalMemory.DATA, 1);
            m.pageTable().map(root, va, Pte.of(f, Pte.USER), 1, 1, null);
            addresses[i] = va;
        }
        walker = m.cpu(0).walker();
    }

    @Benchmark
    public long walk() {
        long va = addresses[next];
        next = next + 1 == addresses.length ? 0 : next + 1;
        return walker.walk(va, root, 0);
    }
}
