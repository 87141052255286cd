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
import org.protsim.core.config.IommuConfig;
import org.protsim.core.config.MachineConfig;
import org.protsim.hw.Iommu;
import org.protsim.hw.Machine;
import org.protsim.hw.PhysicalMemory;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One DMA translation through the IOMMU, in random order over {@code pages} mapped I/O pages:
 * 1,024 pages fit the 2,048-entry IOTLB (after the first pass every access hits: {@code hit}),
 * 262,144 do not (almost every access misses and walks the I/O page table through the LLC:
 * {@code miss}). Consecutive accesses are to different pages, so the IOTLB's same-page shortcut
 * does not apply.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class IommuTranslationBenchmark {
    @Param({"hit", "miss"})
    String iotlb;

    private Iommu iommu;
    private long[] iovas;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        int pages = iotlb.equals("hit") ? 1024 : 262_144;
        Simulation sim = new Simulation(1);
        Machine m = new Machine(MachineConfig.DEFAULT, sim);
        MachineConfig c = MachineConfig.DEFAULT;
        iommu = new Iommu(IommuConfig.DEFAULT, sim, m.memory(), m.llc(), c.caches().llc().lineBytes(),
                c.memory().latencyCycles(), c.cpus());
        int domain = iommu.attachToNewDomain(0, 1);
        iovas = new long[pages];
        for (int i = 0; i < pages; i++) {
            long pfn = iommu.iova(domain).alloc(0, 1);
            iommu.map(domain, pfn << 12, m.memory().allocate(PhysicalMemory.DATA, 1), true, 1);
            iovas[i] = pfn << 12;
        }
        SplittableRandom r = new SplittableRandom(5);
        for (int i = pages - 1; i > 0; i--) { // a fixed shuffle: random order, every page once per pass
            int j = r.nextInt(i + 1);
            long t = iovas[i];
            iovas[i] = iovas[j];
            iovas[j] = t;
        }
        for (long iova : iovas) {
            iommu.dma(0, iova, true, 0);
        }
    }

    @Benchmark
    public long translate() {
        long iova = iovas[next];
        next = next + 1 == iovas.length ? 0 : next + 1;
        return iommu.dma(0, iova, true, 0);
    }
}
