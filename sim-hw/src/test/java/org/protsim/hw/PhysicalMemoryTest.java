package org.protsim.hw;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PhysicalMemoryTest {

    @Test
    void shouldHandOutFramesFromOneAndReuseFreedOnes() {
        PhysicalMemory mem = new PhysicalMemory(100);
        assertThat(mem.allocate(PhysicalMemory.DATA, 7)).isEqualTo(1);
        assertThat(mem.allocate(PhysicalMemory.DATA, 7)).isEqualTo(2);
        int t = mem.allocate(PhysicalMemory.TABLE, 8);
        assertThat(mem.owner(t)).isEqualTo(8);
        assertThat(mem.release(2)).isZero();
        assertThat(mem.kind(2)).isEqualTo(PhysicalMemory.FREE);
        assertThat(mem.allocate(PhysicalMemory.DATA, 9)).isEqualTo(2);
        assertThat(mem.framesInUse()).isEqualTo(3);
    }

    @Test
    void shouldFreeAFrameOnlyWhenItsLastReferenceGoes() {
        PhysicalMemory mem = new PhysicalMemory(100);
        int f = mem.allocate(PhysicalMemory.DATA, 1);
        assertThat(mem.retain(f)).isEqualTo(2);
        assertThat(mem.release(f)).isEqualTo(1);
        assertThat(mem.kind(f)).isEqualTo(PhysicalMemory.DATA);
        assertThat(mem.release(f)).isZero();
        assertThatThrownBy(() -> mem.release(f)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldGiveAReusedTableFrameEmptyEntries() {
        PhysicalMemory mem = new PhysicalMemory(100);
        int t = mem.allocate(PhysicalMemory.TABLE, 1);
        mem.writePte(t, 3, Pte.of(9, 0));
        mem.release(t);
        int again = mem.allocate(PhysicalMemory.TABLE, 1);
        assertThat(again).isEqualTo(t);
        assertThat(mem.readPte(again, 3)).isZero();
        assertThat(mem.peakTableFrames()).isEqualTo(1);
    }

    @Test
    void shouldRunOutAtTheConfiguredSize() {
        PhysicalMemory mem = new PhysicalMemory(4); // frames 1..3 usable
        for (int i = 0; i < 3; i++) {
            mem.allocate(PhysicalMemory.DATA, 1);
        }
        assertThatThrownBy(() -> mem.allocate(PhysicalMemory.DATA, 1))
                .isInstanceOf(PhysicalMemory.OutOfMemoryException.class).hasMessageContaining("machine.memory.sizeMiB");
    }

    @Test
    void shouldBuildRealTablesAndFindLeavesInAddressOrder() {
        PhysicalMemory mem = new PhysicalMemory(1000);
        RadixPageTable pt = new RadixPageTable(mem, 4);
        long root = pt.newRoot(1);
        int[] created = new int[1];
        pt.map(root, 0x7000_0000_1000L, Pte.of(11, Pte.USER), 1, 1, created);
        assertThat(created[0]).isEqualTo(3); // PDPT, PD, PT
        pt.map(root, 0x7000_0000_2000L, Pte.of(12, Pte.USER), 1, 1, created);
        assertThat(created[0]).isEqualTo(3); // same PT
        pt.map(root, 0x0000_0040_0000L, Pte.of(13, Pte.USER), 1, 1, created);
        assertThat(created[0]).isEqualTo(6);
        assertThat(pt.countTables(root)).isEqualTo(7);
        assertThat(Pte.frame(pt.lookup(root, 0x7000_0000_2FFFL))).isEqualTo(12);
        assertThat(pt.lookup(root, 0x7000_0000_3000L)).isZero();
        List<Long> leaves = new ArrayList<>();
        pt.forEachLeaf(root, (va, pte, level) -> leaves.add(va));
        assertThat(leaves).containsExactly(0x40_0000L, 0x7000_0000_1000L, 0x7000_0000_2000L);
        assertThat(Pte.frame(pt.unmap(root, 0x7000_0000_1000L))).isEqualTo(11);
        assertThat(pt.lookup(root, 0x7000_0000_1000L)).isZero();
        assertThat(pt.freeTables(root)).isEqualTo(7);
        assertThat(mem.tableFramesInUse()).isZero();
    }

    @Test
    void shouldMapHugePagesAtLevelsTwoAndThree() {
        PhysicalMemory mem = new PhysicalMemory(1000);
        RadixPageTable pt = new RadixPageTable(mem, 4);
        long root = pt.newRoot(1);
        pt.map(root, 0x4000_0000L, Pte.of(0x40000, Pte.USER), 3, 1, null);
        pt.map(root, 0x8020_0000L, Pte.of(0x800, Pte.USER), 2, 1, null);
        assertThat(pt.leafLevel(root, 0x4000_0000L + 0x3FFF_FFFFL)).isEqualTo(3);
        assertThat(pt.leafLevel(root, 0x8020_0000L + 0x1F_FFFFL)).isEqualTo(2);
        assertThat(Pte.huge(pt.lookup(root, 0x8020_1234L))).isTrue();
        assertThat(RadixPageTable.span(3)).isEqualTo(1L << 30);
    }
}
