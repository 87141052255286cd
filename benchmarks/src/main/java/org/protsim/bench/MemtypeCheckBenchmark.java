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
import org.protsim.hw.Pte;
import org.protsim.os.pat.MemtypeCosts;
import org.protsim.os.pat.MemtypeTracker;
import org.protsim.os.pat.MemtypeTreeTracker;
import org.protsim.os.pat.VmaWalkTracker;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A PAT check with {@code mappings} uncached one-page reservations already held (at even pfns,
 * reserved in random order), under both trackers side by side:
 * <ul>
 *   <li>{@code refusedAlias}: a write-combining request over the page reserved last, refused
 *       (a pure check: nothing changes);</li>
 *   <li>{@code reserveAndRelease}: an uncached request for a free page, accepted, then released
 *       (the map and unmap a driver does).</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class MemtypeCheckBenchmark {
    @Param({"vma-walk", "memtype-tree"})
    String tracker;

    @Param({"10", "1000", "100000"})
    int mappings;

    private MemtypeTracker t;
    private long lastPfn;
    private long freePfn;

    @Setup(Level.Trial)
    public void setUp() {
        t = tracker.equals("vma-walk") ? new VmaWalkTracker(MemtypeCosts.DEFAULT)
                : new MemtypeTreeTracker(MemtypeCosts.DEFAULT);
        long[] pfns = new long[mappings];
        for (int i = 0; i < mappings; i++) {
            pfns[i] = 2L * i;
        }
        SplittableRandom r = new SplittableRandom(9);
        for (int i = mappings - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            long x = pfns[i];
            pfns[i] = pfns[j];
            pfns[j] = x;
        }
        for (long p : pfns) {
            t.reserve(p, p + 1, Pte.UNCACHED, false);
        }
        lastPfn = pfns[mappings - 1];
        freePfn = 2L * mappings + 1;
    }

    @Benchmark
    public MemtypeTracker.Outcome refusedAlias() {
        return t.reserve(lastPfn, lastPfn + 1, Pte.WRITE_COMBINING, false);
    }

    @Benchmark
    public MemtypeTracker.Outcome reserveAndRelease() {
        t.reserve(freePfn, freePfn + 1, Pte.UNCACHED, false);
        return t.free(freePfn, freePfn + 1, false);
    }
}
