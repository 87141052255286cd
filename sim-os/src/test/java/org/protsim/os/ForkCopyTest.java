package org.protsim.os;

import org.junit.jupiter.api.Test;
import org.protsim.core.config.ModelName;
import org.protsim.hw.Cache;
import org.protsim.hw.Cpu;
import org.protsim.hw.PhysicalMemory;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.protsim.os.Harness.data;

/** What a copy-on-write fork does to memory: Linux's copy_present_ptes touches every copied page's struct page. */
class ForkCopyTest {
    @Test
    void shouldWriteEachCopiedPagesStructPageThroughTheForkingCpusCaches() {
        Harness h = Harness.of(ModelName.CONVENTIONAL, 1);
        Image img = h.image("app");
        AtomicLong frame = new AtomicLong();
        AtomicLong kernelRefsBefore = new AtomicLong();
        AtomicBoolean before = new AtomicBoolean(true);
        AtomicBoolean after = new AtomicBoolean();
        Cpu cpu = h.machine.cpu(0);
        Harness.Script parent = new Harness.Script()
                .write(data(img, 0), data(img, 1), data(img, 2), data(img, 3))
                .check(() -> {
                    Process p = h.kernel.processes().iterator().next();
                    frame.set(h.frame(p, data(img, 0)));
                    before.set(holds(cpu.caches().l1d(), PhysicalMemory.structPage(frame.get())));
                    kernelRefsBefore.set(cpu.kernelReferences());
                })
                .op(new Op.Fork(new Harness.Script(), false));
        parent.check(() -> after.set(holds(cpu.caches().l1d(), PhysicalMemory.structPage(frame.get()))));
        h.kernel.spawn(img, parent);
        h.run();
        assertThat(before).as("the struct page is not cached before the fork").isFalse();
        assertThat(after).as("the fork wrote it (refcount and mapcount) through the L1d").isTrue();
        // per copied leaf entry at least: the parent's entry read, the struct page and the child's entry
        // written: 3 kernel references per page copied
        assertThat(cpu.kernelReferences() - kernelRefsBefore.get()).isGreaterThanOrEqualTo(3 * h.counter("ptes.copied"));
    }

    @Test
    void shouldPlaceStructPagesAboveEveryFrameSixtyFourBytesApart() {
        // frames are ints, so every frame address lies below 2^31 * 4096 = 2^43; the memmap starts at 2^44
        assertThat(PhysicalMemory.structPage(Integer.MAX_VALUE)).isGreaterThan((long) Integer.MAX_VALUE << 12);
        assertThat(PhysicalMemory.structPage(11) - PhysicalMemory.structPage(10)).isEqualTo(64);
    }

    private static boolean holds(Cache l1d, long pa) {
        long line = pa >>> 6;
        return l1d.holds(line, line);
    }
}
