package org.protsim.os;

import org.junit.jupiter.api.Test;
import org.protsim.core.config.ModelName;
import org.protsim.hw.Cpu;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The kernel's own references: each kind of entry runs one path, the same lines every time. */
class KernelTextTest {
    @Test
    void shouldRunTheSamePathAtEverySystemCallSoALoopOfThemKeepsItInTheL1i() {
        Harness h = Harness.of(ModelName.PCID, 1);
        Cpu cpu = h.machine.cpu(0);
        AtomicLong missesAfterFirst = new AtomicLong();
        AtomicLong refsAfterFirst = new AtomicLong();
        Harness.Script s = new Harness.Script().op(new Op.Yield()).check(() -> {
            missesAfterFirst.set(cpu.caches().l1i().misses());
            refsAfterFirst.set(cpu.kernelReferences());
        });
        for (int i = 0; i < 10; i++) {
            s.op(new Op.Yield());
        }
        AtomicLong missesAtEnd = new AtomicLong();
        AtomicLong refsAtEnd = new AtomicLong();
        s.check(() -> {
            missesAtEnd.set(cpu.caches().l1i().misses());
            refsAtEnd.set(cpu.kernelReferences());
        });
        h.kernel.spawn(h.image("loop"), s);
        h.run();
        // ten more calls at least (the window may also hold the first call's return path), kernel.refsPerEntry
        // (16) references each, over the 16 lines the first call brought in: not one L1i miss
        assertThat(refsAtEnd.get() - refsAfterFirst.get()).isGreaterThanOrEqualTo(10 * 16);
        assertThat(missesAtEnd.get() - missesAfterFirst.get()).isZero();
    }
}
