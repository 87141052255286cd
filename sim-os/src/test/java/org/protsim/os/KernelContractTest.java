package org.protsim.os;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.protsim.core.config.ModelName;
import org.protsim.hw.Cpu;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.protsim.os.Harness.data;

/**
 * One contract, every protection model (STYLE.md practice 10). Every scenario runs with the
 * kernel's audit on (kernel.audit = true): after every operation no TLB entry may map a page
 * its context can no longer reach, and every reference must use the frame its own address
 * space maps, so a process can never read another's private page. Two CPUs, so that
 * invalidations must shoot the other CPU down.
 */
class KernelContractTest {

    @ParameterizedTest
    @EnumSource(ModelName.class)
    void shouldGiveEachSideItsOwnCopyAfterFork(ModelName model) {
        Harness h = Harness.of(model, 2);
        Image img = h.image("app");
        AtomicReference<Process> child = new AtomicReference<>();
        AtomicBoolean childWrote = new AtomicBoolean();
        AtomicBoolean checked = new AtomicBoolean();
        Harness.Script childScript = new Harness.Script()
                .read(data(img, 0), data(img, 1), data(img, 2), data(img, 3))
                .write(data(img, 0), data(img, 1))
                .check(() -> childWrote.set(true))
                .await(checked::get);
        Harness.Script parent = new Harness.Script()
                .write(data(img, 0), data(img, 1), data(img, 2), data(img, 3))
                .op(new Op.Fork(childScript, false));
        Process p = h.kernel.spawn(img, parent);
        parent.check(() -> child.set(h.kernel.process((int) parent.lastReturn())))
                .write(data(img, 2))
                .await(childWrote::get)
                .check(() -> {
                    Process c = child.get();
                    // the child wrote pages 0 and 1, the parent page 2: each has its own copy of those
                    for (int i = 0; i < 3; i++) {
                        assertThat(h.frame(c, data(img, i))).as("page %d", i).isNotEqualTo(h.frame(p, data(img, i)));
                    }
                    if (model == ModelName.SASOS) {
                        // one address never names two pages: even page 3 was copied into the child's range
                        assertThat(h.frame(c, data(img, 3))).isNotEqualTo(h.frame(p, data(img, 3)));
                    } else {
                        // copy-on-write: page 3, written by nobody since the fork, is still one shared frame
                        assertThat(h.frame(c, data(img, 3))).isEqualTo(h.frame(p, data(img, 3)));
                    }
                    checked.set(true);
                });
        h.run();
        assertThat(checked).isTrue();
        assertThat(h.counter("forks")).isEqualTo(1);
        assertThat(h.counter("exits")).isEqualTo(2);
        assertThat(h.counter("faults.segv")).isZero();
    }

    @ParameterizedTest
    @EnumSource(ModelName.class)
    void shouldTranslateTheNewImageAfterExecAndLeaveTheParentAlone(ModelName model) {
        Harness h = Harness.of(model, 2);
        Image img = h.image("parent");
        Image other = h.kernel.newImage("other", 4, 8, 4);
        AtomicReference<Process> child = new AtomicReference<>();
        AtomicBoolean childRan = new AtomicBoolean();
        AtomicBoolean checked = new AtomicBoolean();
        Harness.Script execed = new Harness.Script()
                .refs(Cpu.EXECUTE, Image.TEXT_BASE, Image.TEXT_BASE + 4096)
                .write(data(other, 0), data(other, 7))
                .check(() -> childRan.set(true))
                .await(checked::get);
        Harness.Script childScript = new Harness.Script().op(new Op.Exec(other, execed));
        Harness.Script parent = new Harness.Script()
                .write(data(img, 0), data(img, 1))
                .op(new Op.Fork(childScript, true));
        Process p = h.kernel.spawn(img, parent);
        parent.check(() -> child.set(h.kernel.process((int) parent.lastReturn())))
                .write(data(img, 0))
                .await(childRan::get)
                .check(() -> {
                    Process c = child.get();
                    assertThat(c.image()).isSameAs(other);
                    assertThat(c.mm()).isNotSameAs(p.mm());
                    // both images put their data at the same address: two different frames
                    assertThat(h.frame(c, data(img, 0))).isNotZero().isNotEqualTo(h.frame(p, data(img, 0)));
                    // the child's text is the new image's page-cache page
                    assertThat(h.frame(c, Image.TEXT_BASE)).isEqualTo(other.text().frame(0));
                    // the parent's second data page is beyond the new image's data: unmapped in the child
                    assertThat(c.mm().find(data(img, 15))).isNull();
                    checked.set(true);
                });
        h.run();
        assertThat(checked).isTrue();
        assertThat(h.counter("execs")).isEqualTo(1);
        assertThat(h.counter("faults.segv")).isZero();
    }

    /**
     * Two threads on two CPUs; one unmaps a region the other is reading. The other CPU is shot
     * down (or, for sasos, every CPU that ran the space); once it has acknowledged, its next read
     * of the region faults and the process dies of it.
     */
    @ParameterizedTest
    @EnumSource(ModelName.class)
    void shouldShootDownTheOtherCpuOnMunmapSoItsNextReadFaults(ModelName model) {
        Harness h = Harness.of(model, 2);
        Image img = h.image("threads");
        long region = 0x5000_0000L;
        AtomicBoolean readerStarted = new AtomicBoolean();
        AtomicBoolean unmapped = new AtomicBoolean();
        Harness.Script reader = new Harness.Script()
                .read(region, region + 4096)
                .check(() -> readerStarted.set(true))
                .await(unmapped::get)
                .read(region); // faults: the mapping is gone
        Harness.Script main = new Harness.Script()
                .op(Op.Mmap.anonymous(region, 8 * 4096, Vma.READ | Vma.WRITE))
                .write(region, region + 4096, region + 7 * 4096)
                .op(new Op.Clone(reader))
                .await(readerStarted::get)
                .op(new Op.Munmap(region, 8 * 4096))
                .check(() -> unmapped.set(true))
                .await(() -> false); // until the reader's fault ends the process
        Process p = h.kernel.spawn(img, main);
        h.run();
        assertThat(p.alive()).isFalse();
        assertThat(h.kernel.exitStatusOf(p)).isEqualTo(128 + 11);
        assertThat(h.counter("faults.segv")).isEqualTo(1);
        assertThat(h.counter("threads")).isEqualTo(1);
        assertThat(h.counter("shootdowns")).isGreaterThanOrEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(ModelName.class)
    void shouldKeepUnrelatedProcessesApartAtTheSameAddresses(ModelName model) {
        Harness h = Harness.of(model, 1);
        Image img = h.image("same");
        AtomicReference<Process> a = new AtomicReference<>();
        AtomicReference<Process> b = new AtomicReference<>();
        AtomicBoolean done = new AtomicBoolean();
        Harness.Script sa = new Harness.Script().write(data(img, 0), data(img, 1)).op(new Op.Yield())
                .read(data(img, 0), data(img, 1)).op(new Op.Yield()).read(data(img, 0))
                .await(done::get);
        Harness.Script sb = new Harness.Script().write(data(img, 0), data(img, 1)).op(new Op.Yield())
                .read(data(img, 0), data(img, 1)).op(new Op.Yield())
                .check(() -> {
                    assertThat(h.frame(a.get(), data(img, 0))).isNotEqualTo(h.frame(b.get(), data(img, 0)));
                    assertThat(h.frame(a.get(), data(img, 1))).isNotEqualTo(h.frame(b.get(), data(img, 1)));
                    done.set(true);
                });
        a.set(h.kernel.spawn(img, sa));
        b.set(h.kernel.spawn(img, sb));
        h.run();
        assertThat(done).isTrue();
        assertThat(h.counter("contextSwitches")).isGreaterThanOrEqualTo(4);
        assertThat(h.counter("faults.segv")).isZero();
    }

    @ParameterizedTest
    @EnumSource(ModelName.class)
    void shouldKillAWriteToAPageMadeReadOnly(ModelName model) {
        Harness h = Harness.of(model, 2);
        Image img = h.image("ro");
        Harness.Script s = new Harness.Script()
                .write(data(img, 0), data(img, 1))
                .op(new Op.Mprotect(data(img, 0), 4096, Vma.READ))
                .read(data(img, 0))
                .write(data(img, 1))
                .write(data(img, 0)); // forbidden now
        Process p = h.kernel.spawn(img, s);
        h.run();
        assertThat(h.kernel.exitStatusOf(p)).isEqualTo(128 + 11);
        assertThat(h.counter("faults.segv")).isEqualTo(1);
        assertThat(h.counter("references")).isEqualTo(4);
    }
}
