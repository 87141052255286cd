package org.protsim.hw;

import org.junit.jupiter.api.Test;
import org.protsim.core.Simulation;
import org.protsim.core.config.CachesConfig;
import org.protsim.core.config.PwcConfig;
import org.protsim.core.config.WalkerConfig;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Walk latencies by hand, default machine: page-walk-cache hit 1 cycle, L1d hit 4, memory 195
 * (every line cold at first).
 */
class PageWalkerTest {
    private static final long VA = 0x7f12_3440_0000L; // 2 MiB aligned

    @Test
    void shouldWalkFourLevelsThroughTheCachesAndThenUseTheWalkCaches() {
        Machine m = HwFixture.machine(1);
        long root = m.pageTable().newRoot(1);
        int f0 = HwFixture.map(m, root, VA, Pte.USER);
        HwFixture.map(m, root, VA + 0x1000, Pte.USER);
        HwFixture.map(m, root, VA + 0x8000, Pte.USER);
        PageWalker w = m.cpu(0).walker();

        // cold: 3 walk-cache probes miss, then 4 entry reads from memory = 4 x 195
        assertThat(Pte.frame(w.walk(VA, root, 0))).isEqualTo(f0);
        assertThat(w.lastLatency()).isEqualTo(780);
        assertThat(w.lastShift()).isEqualTo(12);
        assertThat(w.pwcMisses()).isEqualTo(3);
        // next page: the PDE cache hit (1) skips to the PT, whose entry shares the 64-byte line (L1d hit, 4)
        w.walk(VA + 0x1000, root, 0);
        assertThat(w.lastLatency()).isEqualTo(1 + 4);
        // 8 pages on: the entry is in the next line of the PT page, which is cold: 1 + 195
        w.walk(VA + 0x8000, root, 0);
        assertThat(w.lastLatency()).isEqualTo(1 + 195);
        assertThat(w.pwcHits()).isEqualTo(2);
        assertThat(w.walks()).isEqualTo(3);
        assertThat(w.walkCycles()).isEqualTo(780 + 5 + 196);
    }

    @Test
    void shouldReportAFaultWhereALevelIsNotPresent() {
        Machine m = HwFixture.machine(1);
        long root = m.pageTable().newRoot(1);
        HwFixture.map(m, root, VA, Pte.USER);
        PageWalker w = m.cpu(0).walker();
        w.walk(VA, root, 0);
        // 2 MiB on: PDE-cache miss, PDPTE-cache hit (1), then the PD entry (same line as VA's: 4) is not present
        assertThat(w.walk(VA + 0x20_0000L, root, 0)).isZero();
        assertThat(w.lastLatency()).isEqualTo(1 + 4);
        assertThat(w.faults).isEqualTo(1);
    }

    /**
     * Bare hardware: a walk that finds the page unmapped has the mapper map it and completes.
     * Every line is cold: 3 walk-cache probes miss, then the
     * root's entry and the three tables the mapper made are read from memory, 4 x 195 = 780,
     * one walk, no fault. The next page shares every table: PDE-cache hit (1), and its PT entry
     * shares the line just read (L1d hit, 4); the mapper maps it from inside that walk too.
     */
    @Test
    void shouldMapAnUnmappedPageAndCompleteTheWalkWhenAMapperIsAttached() {
        Machine m = HwFixture.machine(1);
        DemandMapper mapper = new DemandMapper(m.memory(), m.pageTable());
        PageWalker w = m.cpu(0).walker();
        w.mapOnFirstTouch(mapper);

        long pte = w.walk(VA, mapper.root(), 0);
        assertThat(Pte.present(pte)).isTrue();
        assertThat(pte).isEqualTo(m.pageTable().lookup(mapper.root(), VA));
        assertThat(w.lastLatency()).isEqualTo(4 * 195);
        assertThat(w.lastShift()).isEqualTo(12);
        assertThat(mapper.pagesMapped()).isEqualTo(1);
        assertThat(w.faults).isZero();

        w.walk(VA + 0x1000, mapper.root(), 0);
        assertThat(w.lastLatency()).isEqualTo(1 + 4);
        assertThat(mapper.pagesMapped()).isEqualTo(2);
        assertThat(w.walks()).isEqualTo(2);
        assertThat(w.faults).isZero();
        // a mapped page is not mapped again: same frame on a third walk
        assertThat(w.walk(VA, mapper.root(), 0)).isEqualTo(pte);
        assertThat(mapper.pagesMapped()).isEqualTo(2);
    }

    @Test
    void shouldStillFaultUnderAnotherRootWhenAMapperIsAttached() {
        Machine m = HwFixture.machine(1);
        DemandMapper mapper = new DemandMapper(m.memory(), m.pageTable());
        long other = m.pageTable().newRoot(1);
        PageWalker w = m.cpu(0).walker();
        w.mapOnFirstTouch(mapper);
        assertThat(w.walk(VA, other, 0)).isZero();
        assertThat(w.faults).isEqualTo(1);
        assertThat(mapper.pagesMapped()).isZero();
    }

    @Test
    void shouldNotShareWalkCacheEntriesAcrossAsids() {
        Machine m = HwFixture.machine(1);
        long root = m.pageTable().newRoot(1);
        HwFixture.map(m, root, VA, Pte.USER);
        PageWalker w = m.cpu(0).walker();
        w.walk(VA, root, 1);
        w.walk(VA, root, 2); // all caches warm, but the walk caches are tagged with ASID 1: 4 L1d hits
        assertThat(w.lastLatency()).isEqualTo(4 * 4);
    }

    @Test
    void shouldWalkFiveLevelsWhenConfigured() {
        Machine m = new Machine(HwFixture.config(1, new WalkerConfig(5, new PwcConfig(0, 1, 0)), CachesConfig.DEFAULT),
                new Simulation(1));
        long root = m.pageTable().newRoot(1);
        long va = 0x00AB_CDEF_1234_5000L; // uses bits above 47
        int f = HwFixture.map(m, root, va, Pte.USER);
        PageWalker w = m.cpu(0).walker();
        assertThat(Pte.frame(w.walk(va, root, 0))).isEqualTo(f);
        assertThat(w.lastLatency()).isEqualTo(5 * 195); // no walk caches: five cold reads
        w.walk(va, root, 0);
        assertThat(w.lastLatency()).isEqualTo(5 * 4);
    }

    @Test
    void shouldStopAtAHugeLeaf() {
        Machine m = HwFixture.machine(1);
        long root = m.pageTable().newRoot(1);
        m.pageTable().map(root, VA, Pte.of(0x4000, Pte.USER), 2, 1, null);
        PageWalker w = m.cpu(0).walker();
        long pte = w.walk(VA + 0x12_3456L, root, 0);
        assertThat(Pte.huge(pte)).isTrue();
        assertThat(w.lastShift()).isEqualTo(21);
        assertThat(w.lastLatency()).isEqualTo(3 * 195);
    }
}
