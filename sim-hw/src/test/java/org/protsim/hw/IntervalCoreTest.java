package org.protsim.hw;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.protsim.core.Simulation;
import org.protsim.core.config.CoreConfig;
import org.protsim.core.config.CoreModel;
import org.protsim.core.config.MachineConfig;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The interval core on hand-derived cases, default (Skylake) machine: window S = 224 / 4 = 56
 * dispatch cycles, DRAM 195, L1 hit 4, STLB 9, a cold 4-level walk 4 x 195 = 780, 1 useful cycle
 * a reference. Lines at VA + 64k are cold in every cache level (never touched), so each is one
 * 195-cycle miss with the translation already in the L1 dTLB (0 cycles).
 */
class IntervalCoreTest {
    private static final long VA = 0x0040_0000L;
    private Machine m;
    private Cpu cpu;
    private long root;

    static MachineConfig config(CoreModel model) {
        return HwFixture.config(1).withCore(new CoreConfig(model, 224, 4));
    }

    @BeforeEach
    void setUp() {
        m = new Machine(config(CoreModel.INTERVAL), new Simulation(1));
        cpu = m.cpu(0);
        root = m.pageTable().newRoot(1);
        cpu.context().set(root, 0, 0, 0, 0, false);
        HwFixture.map(m, root, VA, Pte.USER | Pte.WRITABLE);
    }

    /** Warms the page's translation and line 0, then drains the window; returns the clock after. */
    private long warm() {
        cpu.reference(VA, 8, Cpu.READ);
        cpu.charge(CycleCategory.SYSCALL, 0);
        return cpu.clock();
    }

    @Test
    void shouldHideTheWindowOnceInADependentChainOfStlbMissWalkAndDataMiss() {
        assertThat(cpu.reference(VA, 8, Cpu.READ)).isEqualTo(Cpu.OK);
        // one chain: STLB lookup 9 -> walk 780 -> data 195 = 984, less one window of 56 = 928, + 1 useful.
        // Were the walk and the data access independent they would overlap; they do not.
        assertThat(cpu.clock()).isEqualTo(929);
        // the hidden 56 come from the start of the chain: all 9 TLB cycles, then 47 of the walk
        assertThat(cpu.cycles(CycleCategory.TLB)).isZero();
        assertThat(cpu.cycles(CycleCategory.WALK)).isEqualTo(780 - 47);
        assertThat(cpu.cycles(CycleCategory.CACHE)).isEqualTo(195);
        assertThat(cpu.cycles(CycleCategory.USEFUL)).isEqualTo(1);
    }

    @Test
    void shouldChargeAnIsolatedMissItsLatencyLessTheWindow() {
        long start = warm();
        cpu.reference(VA + 64, 8, Cpu.READ);
        // 195 - 56 = 139 stall + 1 useful
        assertThat(cpu.clock() - start).isEqualTo(140);
    }

    @Test
    void shouldOverlapTwoIndependentMissesWithinTheWindow() {
        long start = warm();
        cpu.reference(VA + 64, 8, Cpu.READ);
        cpu.reference(VA + 128, 8, Cpu.READ);
        // first: 139 + 1; the second dispatches 1 cycle later, inside the window, and its own 139
        // is already covered: + 1 useful. Serially it would be 2 x 196 = 392.
        assertThat(cpu.clock() - start).isEqualTo(141);
        // line 0, the 4 levels of its walk (the walker reads through the L1d), two lines
        assertThat(cpu.caches().l1d().misses()).isEqualTo(1 + 4 + 2);
    }

    @Test
    void shouldOverlapAMissOnTheLastCycleOfTheWindowButNotOneCycleLater() {
        long start = warm();
        cpu.reference(VA + 64, 8, Cpu.READ);
        for (int i = 0; i < 54; i++) {
            cpu.reference(VA, 8, Cpu.READ); // L1 hits: 4 cycles, hidden; 1 useful each
        }
        // 1 + 54 dispatch cycles used, 1 left: the miss overlaps, + 1 useful
        cpu.reference(VA + 128, 8, Cpu.READ);
        assertThat(cpu.clock() - start).isEqualTo(140 + 54 + 1);

        long again = warmAgain();
        cpu.reference(VA + 192, 8, Cpu.READ);
        for (int i = 0; i < 55; i++) {
            cpu.reference(VA, 8, Cpu.READ);
        }
        // the window's 56 dispatch cycles are used up: the next miss opens a window of its own
        cpu.reference(VA + 256, 8, Cpu.READ);
        assertThat(cpu.clock() - again).isEqualTo(140 + 55 + 140);
    }

    private long warmAgain() {
        cpu.charge(CycleCategory.SYSCALL, 0);
        return cpu.clock();
    }

    @Test
    void shouldChargeTheLongerOfTwoOverlappingMissesOnlyTheExcess() {
        long start = warm();
        long far = 0x7f00_0000_0000L; // another top-level entry: every walk level cold, as in the first test
        HwFixture.map(m, root, far, Pte.USER | Pte.WRITABLE);
        cpu.reference(VA + 64, 8, Cpu.READ); // 195 - 56 = 139 stall + 1
        cpu.reference(far, 8, Cpu.READ);
        // own cost 9 + 780 + 195 - 56 = 928, of which 139 is already covered: + 789 + 1;
        // 930 in all, against 140 + 929 = 1,069 for the two apart and 196 + 985 = 1,181 serially
        assertThat(cpu.clock() - start).isEqualTo(140 + 789 + 1);
    }

    @Test
    void shouldChargeFetchMissesInFullBeyondAnL1HitWithoutOverlap() {
        cpu.reference(VA, 8, Cpu.EXECUTE); // warm the iTLB
        cpu.charge(CycleCategory.SYSCALL, 0);
        long start = cpu.clock();
        cpu.reference(VA + 64, 8, Cpu.EXECUTE);
        cpu.reference(VA + 128, 8, Cpu.EXECUTE);
        // each: 195 - 4 (the pipelined L1i hit) + 1 useful; a front-end stall, so no overlap
        assertThat(cpu.clock() - start).isEqualTo(2 * 192);
        cpu.reference(VA + 64, 8, Cpu.EXECUTE);
        // an L1i hit: hidden by the fetch pipeline, 1 useful
        assertThat(cpu.clock() - start).isEqualTo(2 * 192 + 1);
    }

    @Test
    void shouldMakeASerialisingEventWaitForTheOutstandingMiss() {
        long start = warm();
        cpu.reference(VA + 64, 8, Cpu.READ);
        cpu.charge(CycleCategory.SYSCALL, 300);
        // 140 for the miss; the miss has 195 - 139 - 1 = 55 cycles still to go, which the syscall
        // waits for (charged to cache), then its 300: 495, one cycle less than serial 196 + 300
        // (the useful cycle ran under the miss)
        assertThat(cpu.clock() - start).isEqualTo(140 + 55 + 300);
        assertThat(cpu.cycles(CycleCategory.SYSCALL)).isEqualTo(300);
    }

    @Test
    void shouldNotWaitAtASerialisingEventForAMissThatCompletedWhileIdle() {
        long start = warm();
        cpu.reference(VA + 64, 8, Cpu.READ);
        cpu.advanceTo(cpu.clock() + 100); // idle 100 > the 55 still outstanding
        cpu.charge(CycleCategory.FLUSH, 0);
        assertThat(cpu.clock() - start).isEqualTo(140 + 100);
    }

    @Test
    void shouldCountExactlyWhatTheSerialCoreCountsAndChargeAtMostItsCycles() {
        Machine serial = new Machine(config(CoreModel.SERIAL), new Simulation(1));
        Cpu s = serial.cpu(0);
        long sroot = serial.pageTable().newRoot(1);
        s.context().set(sroot, 0, 0, 0, 0, false);
        HwFixture.map(serial, sroot, VA, Pte.USER | Pte.WRITABLE); // as setUp mapped it here: the same frames
        java.util.SplittableRandom pick = new java.util.SplittableRandom(7);
        for (int p = 0; p < 64; p++) {
            long va = VA + 0x1000L * (p + 1);
            HwFixture.map(m, root, va, Pte.USER | Pte.WRITABLE);
            HwFixture.map(serial, sroot, va, Pte.USER | Pte.WRITABLE);
        }
        for (int i = 0; i < 20_000; i++) {
            long va = VA + 0x1000L * (1 + pick.nextInt(64)) + 8L * pick.nextInt(512);
            int access = pick.nextInt(3);
            assertThat(cpu.reference(va, 8, access)).isEqualTo(s.reference(va, 8, access));
            if (i % 1000 == 999) {
                cpu.flushNonGlobal();
                s.flushNonGlobal();
            }
        }
        Cpu a = cpu;
        Cpu b = s;
        assertThat(a.references()).isEqualTo(b.references());
        assertThat(a.walker().walks()).isEqualTo(b.walker().walks());
        assertThat(a.walker().walkCycles()).isEqualTo(b.walker().walkCycles());
        for (Tlb[] t : new Tlb[][]{{a.tlbs().l1d(), b.tlbs().l1d()}, {a.tlbs().l1i(), b.tlbs().l1i()},
                {a.tlbs().l2(), b.tlbs().l2()}}) {
            assertThat(t[0].hits()).isEqualTo(t[1].hits());
            assertThat(t[0].misses()).isEqualTo(t[1].misses());
        }
        assertThat(a.caches().l1d().misses()).isEqualTo(b.caches().l1d().misses());
        assertThat(a.caches().l1i().misses()).isEqualTo(b.caches().l1i().misses());
        assertThat(a.caches().memoryAccesses()).isEqualTo(b.caches().memoryAccesses());
        assertThat(a.tlbs().flushNonGlobalOps).isEqualTo(b.tlbs().flushNonGlobalOps);
        // the same flushes cost the same; the useful cycles are the same; only latency is hidden
        assertThat(a.cycles(CycleCategory.USEFUL)).isEqualTo(b.cycles(CycleCategory.USEFUL));
        assertThat(a.clock()).isLessThan(b.clock());
        assertThat(a.cycles(CycleCategory.CACHE)).isLessThan(b.cycles(CycleCategory.CACHE));
    }
}
