package org.protsim.hw;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The reference path, with hand-computed cycles on the default machine. */
class CpuTest {
    private static final long VA = 0x0040_0000L;
    private Machine m;
    private Cpu cpu;
    private long root;

    @BeforeEach
    void setUp() {
        m = HwFixture.machine(1);
        cpu = m.cpu(0);
        root = m.pageTable().newRoot(1);
        cpu.context().set(root, 0, 0, 0, 0, false);
    }

    @Test
    void shouldChargeTlbWalkCacheAndUsefulCyclesOfAColdReference() {
        HwFixture.map(m, root, VA, Pte.USER | Pte.WRITABLE);
        assertThat(cpu.reference(VA, 8, Cpu.READ)).isEqualTo(Cpu.OK);
        // L1 dTLB miss (0) + STLB lookup (9) + cold 4-level walk (4 x 195) + cold data line (195) + 1 useful
        assertThat(cpu.cycles(CycleCategory.TLB)).isEqualTo(9);
        assertThat(cpu.cycles(CycleCategory.WALK)).isEqualTo(780);
        assertThat(cpu.cycles(CycleCategory.CACHE)).isEqualTo(195);
        assertThat(cpu.cycles(CycleCategory.USEFUL)).isEqualTo(1);
        assertThat(cpu.clock()).isEqualTo(985);
        // again: L1 dTLB hit (0) + L1d hit (4) + 1
        assertThat(cpu.reference(VA + 8, 8, Cpu.WRITE)).isEqualTo(Cpu.OK);
        assertThat(cpu.clock()).isEqualTo(985 + 5);
        assertThat(cpu.tlbs().l1d().hits()).isEqualTo(1);
        assertThat(cpu.tlbs().l1d().misses()).isEqualTo(1);
        assertThat(cpu.tlbs().l2().misses()).isEqualTo(1);
    }

    @Test
    void shouldRefillTheL1FromTheL2WithoutAWalk() {
        HwFixture.map(m, root, VA, Pte.USER);
        cpu.reference(VA, 4, Cpu.READ);
        cpu.tlbs().l1d().flushAll(); // the STLB keeps its entry
        long walks = cpu.walker().walks();
        long before = cpu.clock();
        cpu.reference(VA, 4, Cpu.READ);
        assertThat(cpu.walker().walks()).isEqualTo(walks);
        assertThat(cpu.tlbs().l2().hits()).isEqualTo(1);
        assertThat(cpu.clock() - before).isEqualTo(9 + 4 + 1);
        assertThat(cpu.tlbs().l1d().probe(VA, 0, 0)).isNotNegative();
    }

    @Test
    void shouldUseTheInstructionTlbForFetches() {
        HwFixture.map(m, root, VA, Pte.USER);
        cpu.reference(VA, 4, Cpu.EXECUTE);
        assertThat(cpu.tlbs().l1i().misses()).isEqualTo(1);
        assertThat(cpu.tlbs().l1d().misses() + cpu.tlbs().l1d().hits()).isZero();
        assertThat(cpu.caches().l1i().misses()).isEqualTo(1);
    }

    @Test
    void shouldFaultOnAnUnmappedPageAndSucceedOnceMapped() {
        assertThat(cpu.reference(VA + 0x10, 4, Cpu.READ)).isEqualTo(Cpu.FAULT_NOT_PRESENT);
        assertThat(cpu.faultAddress()).isEqualTo(VA + 0x10);
        assertThat(cpu.references()).isZero();
        HwFixture.map(m, root, VA, Pte.USER);
        assertThat(cpu.reference(VA + 0x10, 4, Cpu.READ)).isEqualTo(Cpu.OK);
        assertThat(cpu.references()).isEqualTo(1);
    }

    @Test
    void shouldFaultOnWritesToReadOnlyPagesFetchesFromNoExecutePagesAndKernelPages() {
        HwFixture.map(m, root, VA, Pte.USER);
        HwFixture.map(m, root, VA + 0x1000, Pte.USER | Pte.WRITABLE | Pte.NO_EXECUTE);
        HwFixture.map(m, root, VA + 0x2000, Pte.WRITABLE);
        assertThat(cpu.reference(VA, 4, Cpu.WRITE)).isEqualTo(Cpu.FAULT_PROTECTION);
        assertThat(cpu.faultAccess()).isEqualTo(Cpu.WRITE);
        assertThat(Pte.present(cpu.faultPte())).isTrue();
        assertThat(cpu.reference(VA, 4, Cpu.READ)).isEqualTo(Cpu.OK);
        assertThat(cpu.reference(VA + 0x1000, 4, Cpu.EXECUTE)).isEqualTo(Cpu.FAULT_PROTECTION);
        assertThat(cpu.reference(VA + 0x1000, 4, Cpu.WRITE)).isEqualTo(Cpu.OK);
        assertThat(cpu.reference(VA + 0x2000, 4, Cpu.READ)).isEqualTo(Cpu.FAULT_PROTECTION);
    }

    @Test
    void shouldLookUpBothPagesOfAReferenceThatSpansTwo() {
        HwFixture.map(m, root, VA, Pte.USER);
        HwFixture.map(m, root, VA + 0x1000, Pte.USER);
        assertThat(cpu.reference(VA + 0xFFC, 8, Cpu.READ)).isEqualTo(Cpu.OK);
        assertThat(cpu.tlbs().l1d().misses()).isEqualTo(2);
        assertThat(cpu.references()).isEqualTo(1);
        // L1d: first page's walk reads 4 cold table lines, then its data line (5 misses); the second
        // page's walk hits the PDE cache and reads the neighbouring PT entry in the same line (a hit),
        // then its own data line (a miss): 6 misses, 1 hit
        assertThat(cpu.caches().l1d().misses()).isEqualTo(6);
        assertThat(cpu.caches().l1d().hits()).isEqualTo(1);
    }

    @Test
    void shouldFaultOnTheSecondPageOfASpanningReferenceWhenOnlyTheFirstIsMapped() {
        HwFixture.map(m, root, VA, Pte.USER);
        assertThat(cpu.reference(VA + 0xFFC, 8, Cpu.READ)).isEqualTo(Cpu.FAULT_NOT_PRESENT);
        assertThat(cpu.faultAddress()).isEqualTo(VA + 0x1000);
    }

    @Test
    void shouldAddTheContextBaseToEveryAddress() {
        long base = 5L << 47;
        HwFixture.map(m, root, base + VA, Pte.USER);
        cpu.context().vaBase = base;
        assertThat(cpu.reference(VA, 4, Cpu.READ)).isEqualTo(Cpu.OK);
        assertThat(cpu.reference(VA + 0x1000, 4, Cpu.READ)).isEqualTo(Cpu.FAULT_NOT_PRESENT);
        assertThat(cpu.faultAddress()).isEqualTo(VA + 0x1000); // reported in the process's own addresses
    }

    @Test
    void shouldTagFillsGlobalSharedOrWithTheRunningAsid() {
        assertThat(Cpu.tagFor(Pte.of(1, Pte.GLOBAL), 7)).isEqualTo(Tlb.TAG_GLOBAL);
        assertThat(Cpu.tagFor(Pte.withSharedSpace(Pte.of(1, 0), 9), 7)).isEqualTo(Tlb.TAG_SHARED | 9);
        assertThat(Cpu.tagFor(Pte.of(1, Pte.USER), 7)).isEqualTo(7);
    }

    @Test
    void shouldCheckThePlbWhenTheContextAsks() {
        HwFixture.map(m, root, VA, Pte.USER | Pte.WRITABLE);
        cpu.setProtectionTable((domain, va, out) -> {
            if (domain == 3 && va >= VA && va < VA + 0x1000) {
                out.set(VA, VA + 0x1000, ProtectionTable.READ);
                return true;
            }
            return false;
        });
        cpu.context().set(root, 0, 0, 3, 0, true);
        assertThat(cpu.reference(VA, 4, Cpu.READ)).isEqualTo(Cpu.OK);
        assertThat(cpu.plb().misses()).isEqualTo(1);
        assertThat(cpu.cycles(CycleCategory.PLB)).isEqualTo(24); // default miss cost
        assertThat(cpu.reference(VA, 4, Cpu.WRITE)).isEqualTo(Cpu.FAULT_DOMAIN); // domain 3 may only read
        assertThat(cpu.plb().hits()).isEqualTo(1);
        cpu.context().domain = 4;
        assertThat(cpu.reference(VA, 4, Cpu.READ)).isEqualTo(Cpu.FAULT_DOMAIN);
    }

    @Test
    void shouldChargeAndCountFlushes() {
        assertThat(cpu.flushNonGlobal()).isEqualTo(96);
        assertThat(cpu.flushPage(VA)).isEqualTo(260);
        assertThat(cpu.cycles(CycleCategory.FLUSH)).isEqualTo(96 + 260);
        assertThat(cpu.tlbs().flushNonGlobalOps).isEqualTo(1);
        assertThat(cpu.tlbs().flushPageOps).isEqualTo(1);
    }
}
