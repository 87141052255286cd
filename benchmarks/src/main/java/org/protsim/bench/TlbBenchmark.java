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
import org.protsim.hw.Tlb;
import org.protsim.hw.replacement.ReplacementPolicies;
import org.protsim.hw.replacement.ReplacementPolicy;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * TLB lookup cost by geometry: the hit path (every address resident) and the miss + fill
 * path (a cyclic sweep over more pages than entries, so every lookup misses and refills).
 * Geometries: Skylake's L1 dTLB (64 x 4), STLB (1536 x 12), a fully associative 64-entry
 * TLB (Zen 2's L1 dTLB), and ARC's 256-entry 4-way JTLB.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class TlbBenchmark {
    @Param({"64x4", "1536x12", "64x64", "256x4"})
    String geometry;

    @Param({"lru", "plru"})
    String replacement;

    private Tlb tlb;
    private long[] hitAddresses;
    private long[] missAddresses;
    private int h;
    private int m;

    @Setup(Level.Trial)
    public void setUp() {
        String[] g = geometry.split("x");
        int entries = Integer.parseInt(g[0]);
        int ways = Integer.parseInt(g[1]);
        ReplacementPolicy policy = ReplacementPolicies.builtin().get(replacement);
        if (policy.unsupportedWays(ways) != null) {
            policy = ReplacementPolicies.builtin().get("lru"); // 12 ways: tree-PLRU needs a power of two
        }
        tlb = new Tlb("bench", entries, ways, 0, policy, new int[]{12, 21, 30}, new SplittableRandom(1));
        SplittableRandom r = new SplittableRandom(7);
        // hits: exactly one page per way of every set, then looked up in a shuffled order
        hitAddresses = new long[entries];
        for (int i = 0; i < entries; i++) {
            long va = (long) i << 12;
            tlb.fill(va, 0, 1, Pte.of(i + 1, Pte.USER));
            hitAddresses[i] = va + r.nextInt(4096);
        }
        for (int i = entries - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            long t = hitAddresses[i];
            hitAddresses[i] = hitAddresses[j];
            hitAddresses[j] = t;
        }
        // misses: a cyclic sweep over twice as many pages, far from the resident ones
        missAddresses = new long[entries * 2];
        for (int i = 0; i < missAddresses.length; i++) {
            missAddresses[i] = (1L << 32) + ((long) i << 12);
        }
    }

    @Benchmark
    public long hit() {
        long va = hitAddresses[h];
        h = h + 1 == hitAddresses.length ? 0 : h + 1;
        return tlb.pte(tlb.lookup(va, 1, 0));
    }

    @Benchmark
    public int missAndFill() {
        long va = missAddresses[m];
        m = m + 1 == missAddresses.length ? 0 : m + 1;
        int slot = tlb.lookup(va, 1, 0);
        if (slot < 0) {
            tlb.fill(va, 0, 1, Pte.of(va >>> 12, Pte.USER));
        }
        return slot;
    }
}
