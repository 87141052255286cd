package org.protsim.hw;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.protsim.core.Simulation;
import org.protsim.core.config.CacheConfig;
import org.protsim.core.config.CachesConfig;
import org.protsim.core.config.CoherenceProtocol;
import org.protsim.core.config.Indexing;
import org.protsim.core.config.WalkerConfig;
import org.protsim.core.config.MachineConfig;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MESI between private caches, reference by reference on the default (Skylake) hierarchy:
 * L1d 4 cycles, L2 12, LLC 42, DRAM 195. Addresses are physical (VIPT with the index inside the
 * page offset behaves as PIPT), so a line is its address / 64.
 */
class CoherenceTest {
    private static final int L1 = 4;
    private static final int LLC = 42;
    private static final int DRAM = 195;
    private static final long X = 0x10_0000L;

    private static Machine machine(int cpus, CoherenceProtocol protocol) {
        return machine(cpus, protocol, new Simulation(1));
    }

    private static Machine machine(int cpus, CoherenceProtocol protocol, Simulation sim) {
        MachineConfig d = HwFixture.config(cpus);
        return new Machine(new MachineConfig(cpus, d.cyclesPerNs(), d.cyclesPerReference(), d.tlb(), d.walker(),
                d.caches(), d.memory(), d.plb(), d.costs(), protocol, d.disk(), d.iommu(), d.core()), sim);
    }

    private static int read(Machine m, int cpu, long pa) {
        return m.cpu(cpu).caches().access(pa, pa, false, false, Pte.WRITE_BACK);
    }

    private static int write(Machine m, int cpu, long pa) {
        return m.cpu(cpu).caches().access(pa, pa, false, true, Pte.WRITE_BACK);
    }

    @Test
    void shouldCountOneCoherenceMissWhenAReadFindsTheLineModifiedByAnotherCpu() {
        Machine m = machine(2, CoherenceProtocol.MESI);
        CoherenceDirectory d = m.coherence();
        assertThat(write(m, 0, X)).isEqualTo(DRAM); // cold write miss: CPU0 holds X modified, nobody else had it
        assertThat(d.invalidations()).isZero();
        // CPU1 misses its private caches; CPU0's dirty copy goes to the LLC (M to S), where CPU1 finds it
        assertThat(read(m, 1, X)).isEqualTo(LLC);
        assertThat(d.misses()).isEqualTo(1);
        assertThat(d.invalidations()).isZero(); // a read downgrades, it does not invalidate
        assertThat(read(m, 0, X)).isEqualTo(L1); // CPU0 kept a clean shared copy
        assertThat(read(m, 1, X)).isEqualTo(L1);
        // CPU0 writes its shared copy: an upgrade at the shared level invalidates CPU1's copy
        assertThat(write(m, 0, X)).isEqualTo(LLC);
        assertThat(d.invalidations()).isEqualTo(1);
        // and CPU1's next read is the second coherence miss
        assertThat(read(m, 1, X)).isEqualTo(LLC);
        assertThat(d.misses()).isEqualTo(2);
    }

    @Test
    void shouldInvalidateAReadersCopyOnAWriteAndMissOnItsNextRead() {
        Machine m = machine(2, CoherenceProtocol.MESI);
        read(m, 1, X);                           // CPU1: E
        assertThat(write(m, 0, X)).isEqualTo(LLC); // CPU0 write miss: fetched via the LLC, CPU1 invalidated
        assertThat(m.coherence().invalidations()).isEqualTo(1);
        assertThat(m.coherence().misses()).isZero(); // CPU1's copy was clean
        assertThat(read(m, 1, X)).isEqualTo(LLC);    // not an L1 hit on a stale copy
        assertThat(m.coherence().misses()).isEqualTo(1);
    }

    @Test
    void shouldInvalidateOncePerWriteWhenTwoCpusPingPongWritesToOneLine() {
        Machine m = machine(2, CoherenceProtocol.MESI);
        int n = 10;
        int[] latencies = new int[n];
        for (int i = 0; i < n; i++) {
            latencies[i] = write(m, i % 2, X + 8 * (i % 8)); // words of one line: false sharing is sharing
        }
        // the first write finds no other copy; each of the other 9 finds the other CPU's modified copy:
        // it invalidates it (1 invalidation) and gets the data through the LLC (1 coherence miss)
        assertThat(m.coherence().invalidations()).isEqualTo(n - 1);
        assertThat(m.coherence().misses()).isEqualTo(n - 1);
        assertThat(latencies[0]).isEqualTo(DRAM);
        for (int i = 1; i < n; i++) {
            assertThat(latencies[i]).isEqualTo(LLC);
        }
    }

    @Test
    void shouldNeitherInvalidateNorMissWhenCpusOnlyRead() {
        Machine m = machine(4, CoherenceProtocol.MESI);
        for (int round = 0; round < 5; round++) {
            for (int cpu = 0; cpu < 4; cpu++) {
                read(m, cpu, X);
                read(m, cpu, X + 4096);
            }
        }
        assertThat(m.coherence().invalidations()).isZero();
        assertThat(m.coherence().misses()).isZero();
        for (int cpu = 0; cpu < 4; cpu++) {
            assertThat(read(m, cpu, X)).isEqualTo(L1); // every CPU keeps its shared copy
        }
    }

    @Test
    void shouldLeaveDifferentLinesOfOneSetAlone() {
        Machine m = machine(2, CoherenceProtocol.MESI);
        // L1d: 64 sets of 64-byte lines, so X and X + 4 KiB share a set (and the LLC's tag differs)
        for (int i = 0; i < 6; i++) {
            write(m, 0, X);
            write(m, 1, X + 4096);
        }
        assertThat(m.coherence().invalidations()).isZero();
        assertThat(m.coherence().misses()).isZero();
        assertThat(write(m, 0, X)).isEqualTo(L1);
        assertThat(write(m, 1, X + 4096)).isEqualTo(L1);
    }

    @Test
    void shouldWriteAnExclusiveCleanLineSilently() {
        Machine m = machine(2, CoherenceProtocol.MESI);
        read(m, 0, X);                            // E: no other CPU holds it
        assertThat(write(m, 0, X)).isEqualTo(L1); // E to M needs no trip to the shared level
        assertThat(m.coherence().invalidations()).isZero();
    }

    @Test
    void shouldForgetALineEvictedFromEveryPrivateCache() {
        Machine m = machine(2, CoherenceProtocol.MESI);
        write(m, 0, X);
        // L1d has 8 ways per set, L2 (256 KiB, 4 ways) 1,024 sets: lines 64 KiB apart share both sets,
        // so 12 more lines there push X out of CPU0's L1d and then out of its L2, into the LLC
        for (int i = 1; i <= 12; i++) {
            read(m, 0, X + i * 0x1_0000L);
        }
        assertThat(m.cpu(0).caches().l1d().copies(X >>> 6, false)).isZero();
        assertThat(m.cpu(0).caches().l2().copies(X >>> 6, false)).isZero();
        // CPU1 now finds X in the LLC like any other line: no other CPU holds it, so no coherence miss
        assertThat(read(m, 1, X)).isEqualTo(LLC);
        assertThat(m.coherence().misses()).isZero();
        // entries only for lines some private cache holds: CPU0 holds at most 13 lines, CPU1 one
        assertThat(m.coherence().trackedLines()).isLessThanOrEqualTo(14);
    }

    @Test
    void shouldKeepStaleCopiesWithoutCoherence() {
        Simulation sim = new Simulation(1);
        Machine m = machine(2, CoherenceProtocol.NONE, sim);
        assertThat(m.coherence()).isNull();
        read(m, 1, X);
        write(m, 0, X);
        assertThat(read(m, 1, X)).isEqualTo(L1); // what protsim did before coherence: a stale hit
        assertThat(sim.stats().value("coherence.invalidations")).isZero();
    }

    @Test
    void shouldNotTrackLinesOnAOneCpuMachine() {
        Machine m = machine(1, CoherenceProtocol.MESI);
        assertThat(m.coherence()).isNull();
        assertThat(write(m, 0, X)).isEqualTo(DRAM);
        assertThat(write(m, 0, X)).isEqualTo(L1);
    }

    @Test
    void shouldCountInvalidationsPerCpuThatLostTheLine() {
        Simulation sim = new Simulation(1);
        Machine m = machine(4, CoherenceProtocol.MESI, sim);
        read(m, 1, X);
        read(m, 2, X);
        read(m, 3, X);
        write(m, 0, X); // three shared copies go
        assertThat(m.coherence().invalidations()).isEqualTo(3);
        assertThat(sim.stats().value("coherence.invalidations")).isEqualTo(3);
    }

    @Test
    void shouldInvalidateEveryAliasInAVirtuallyTaggedL1EvenAfterOneWasEvicted() {
        CachesConfig d = CachesConfig.DEFAULT;
        // 32 KiB 2-way VIVT: 256 sets, so virtual lines 0x1000 and 0x2000 (sets 64 and 128) can both
        // hold physical line X; a physical line's candidate sets are 0, 64, 128 and 192
        CachesConfig vivt = new CachesConfig(new CacheConfig(32, 2, 64, 4, Indexing.VIVT), d.l1i(), d.l2(), d.llc());
        Machine m = new Machine(HwFixture.config(2, WalkerConfig.DEFAULT, vivt), new Simulation(1));
        CacheHierarchy cpu0 = m.cpu(0).caches();
        cpu0.access(0x1000, X, false, false, Pte.WRITE_BACK);
        cpu0.access(0x2000, X, false, false, Pte.WRITE_BACK);
        assertThat(cpu0.l1d().copies(X >>> 6, false)).isEqualTo(2);
        // two other lines of set 64 evict the alias at 0x1000; the one at 0x2000 stays
        cpu0.access(0x5000, 0x20_0000L, false, false, Pte.WRITE_BACK);
        cpu0.access(0x9000, 0x30_0000L, false, false, Pte.WRITE_BACK);
        assertThat(cpu0.l1d().copies(X >>> 6, false)).isEqualTo(1);
        write(m, 1, X); // CPU0 still holds X (at 0x2000, and in its L2): one invalidation
        assertThat(m.coherence().invalidations()).isEqualTo(1);
        assertThat(cpu0.l1d().copies(X >>> 6, false)).isZero();
        assertThat(cpu0.access(0x2000, X, false, false, Pte.WRITE_BACK)).isEqualTo(LLC); // CPU1's data
        assertThat(m.coherence().misses()).isEqualTo(1);
    }

    /**
     * The single-writer / multiple-reader invariant after any interleaving of reads and writes by
     * three CPUs over eight lines of two sets: a CPU holding a line dirty is the only CPU holding
     * it, and after a CPU writes a line no other CPU hits it in its L1.
     */
    @Property(tries = 200)
    void shouldKeepOneWriterOrManyReadersPerLine(
            @ForAll @Size(min = 1, max = 300) List<@IntRange(min = 0, max = 47) Integer> ops) {
        Machine m = machine(3, CoherenceProtocol.MESI);
        long[] lines = new long[8];
        for (int i = 0; i < 8; i++) {
            lines[i] = X + (i % 2) * 64 + (i / 2) * 0x1_0000L; // two L1 sets, four lines each
        }
        int lastWriter = -1;
        int lastLine = -1;
        for (int op : ops) {
            int cpu = op % 3;
            boolean isWrite = (op / 3) % 2 == 1;
            int line = op / 6;
            int latency = isWrite ? write(m, cpu, lines[line]) : read(m, cpu, lines[line]);
            if (line == lastLine && lastWriter >= 0 && cpu != lastWriter) {
                assertThat(latency).as("cpu%d right after cpu%d wrote", cpu, lastWriter).isGreaterThan(L1);
            }
            lastLine = line;
            lastWriter = isWrite ? cpu : -1;
            for (long pa : lines) {
                long l = pa >>> 6;
                int holders = 0;
                int dirtyHolders = 0;
                for (int c = 0; c < 3; c++) {
                    CacheHierarchy h = m.cpu(c).caches();
                    if (h.l1d().copies(l, false) + h.l2().copies(l, false) + h.l1i().copies(l, false) > 0) {
                        holders++;
                    }
                    if (h.l1d().copies(l, true) + h.l2().copies(l, true) > 0) {
                        dirtyHolders++;
                    }
                }
                assertThat(dirtyHolders).isLessThanOrEqualTo(1);
                if (dirtyHolders == 1) {
                    assertThat(holders).isEqualTo(1);
                }
            }
        }
    }

    /**
     * The directory sleeps while one CPU alone holds private lines and wakes at another CPU's first
     * fill. That must be invisible: the same references cost the same cycles, hit and miss the same
     * way and count the same coherence events as under a directory awake from the start. Each run
     * is CPU0 alone for {@code alone} references (writes among them, so the second CPU meets dirty
     * lines), then three CPUs interleaved; 24 lines 64 KiB apart share one L1d and one L2 set (8
     * and 4 ways), so lines are evicted and written back before and after the wake.
     */
    @Property(tries = 300)
    void shouldCostTheSameWhetherTheDirectoryWokeLateOrWasAwakeFromTheStart(
            @ForAll @IntRange(min = 0, max = 200) int alone,
            @ForAll @Size(min = 1, max = 400) List<@IntRange(min = 0, max = 143) Integer> ops) {
        Machine late = machine(3, CoherenceProtocol.MESI);
        Machine early = machine(3, CoherenceProtocol.MESI);
        early.coherence().wake();
        int used = 0; // bit c: CPU c referenced memory
        for (int i = 0; i < ops.size(); i++) {
            int op = ops.get(i);
            int cpu = i < alone ? 0 : op % 3;
            boolean isWrite = (op / 3) % 2 == 1;
            long pa = X + (op / 6) * 0x1_0000L;
            used |= 1 << cpu;
            int a = isWrite ? write(late, cpu, pa) : read(late, cpu, pa);
            int b = isWrite ? write(early, cpu, pa) : read(early, cpu, pa);
            assertThat(a).as("reference %d (cpu%d, %s 0x%x)", i, cpu, isWrite ? "write" : "read", pa).isEqualTo(b);
        }
        assertThat(late.coherence().invalidations()).isEqualTo(early.coherence().invalidations());
        assertThat(late.coherence().misses()).isEqualTo(early.coherence().misses());
        for (int c = 0; c < 3; c++) {
            CacheHierarchy x = late.cpu(c).caches();
            CacheHierarchy y = early.cpu(c).caches();
            for (Cache[] pair : new Cache[][]{{x.l1d(), y.l1d()}, {x.l2(), y.l2()}}) {
                assertThat(pair[0].writebacks()).as("cpu%d %s write-backs", c, pair[0].name())
                        .isEqualTo(pair[1].writebacks());
            }
        }
        assertThat(late.cpu(0).caches().llc().writebacks()).isEqualTo(early.cpu(0).caches().llc().writebacks());
        // once awake (a second CPU referenced memory), it tracks the same lines as one kept from the start
        if (Integer.bitCount(used) > 1) {
            assertThat(late.coherence().trackedLines()).isEqualTo(early.coherence().trackedLines());
        } else {
            assertThat(late.coherence().trackedLines()).isZero();
        }
    }

    @Test
    void shouldSleepWhileOneCpuAloneHoldsPrivateLines() {
        Machine m = machine(2, CoherenceProtocol.MESI);
        for (int i = 0; i < 20; i++) {
            write(m, 0, X + i * 64L);
        }
        assertThat(m.coherence().trackedLines()).isZero();
        // CPU1's first fill wakes it: CPU0's 20 lines (each in its L1d and L2), plus CPU1's line
        read(m, 1, X + 0x10_0000L);
        assertThat(m.coherence().trackedLines()).isEqualTo(21);
        // and it knows CPU0 holds X modified: CPU1's read of it is a coherence miss served by the LLC
        assertThat(read(m, 1, X)).isEqualTo(LLC);
        assertThat(m.coherence().misses()).isEqualTo(1);
    }
}
