package org.protsim.os;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.protsim.core.config.DiskConfig;
import org.protsim.core.config.IrqRouting;
import org.protsim.core.config.KernelConfig;
import org.protsim.core.config.ModelConfig;
import org.protsim.core.config.ModelName;
import org.protsim.core.config.UkvaConfig;
import org.protsim.os.mechanism.ukva.AioOps;
import org.protsim.os.mechanism.ukva.Ring;
import org.protsim.os.mechanism.ukva.Ukva;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** kernel.ukva's modes as the aio-core thread (docs/sources.md [003]) argues them, with hand-derived counts. */
class UkvaTest {
    /** Mode none and every mode the switch's provider registers. */
    private static final List<String> MODES = java.util.stream.Stream.concat(java.util.stream.Stream.of("none"),
            new org.protsim.os.mechanism.ukva.UkvaProvider().modes().stream()).toList();

    private static final long CTX = Ukva.AREA_BASE; // the first context's id: its area's address

    private static Harness harness(ModelName model, String mode, IrqRouting irq, int irqCpu, boolean audit) {
        DiskConfig d = DiskConfig.DEFAULT;
        DiskConfig disk = new DiskConfig(d.latency(), d.parallelRequests(), irq, irqCpu, d.interruptCycles());
        KernelConfig k = KernelConfig.DEFAULT.withAudit(audit).withMechanism("ukva", UkvaConfig.DEFAULT.withMode(mode));
        return new Harness(ModelConfig.DEFAULT.withName(model), 2, k, disk);
    }

    private static Ukva ukva(Harness h) {
        for (KernelMechanism m : h.kernel.mechanisms()) {
            if (m instanceof Ukva u) {
                return u;
            }
        }
        throw new AssertionError("no ukva mechanism");
    }

    @Test
    void shouldMakeTwoSyscallsAndCopy104BytesPerIoUnderNone() {
        Harness h = harness(ModelName.CONVENTIONAL, UkvaConfig.NONE, IrqRouting.SUBMITTER, 0, true);
        Ukva u = ukva(h);
        Harness.Script main = new Harness.Script().op(new AioOps.Setup(1));
        for (int i = 0; i < 4; i++) {
            main.op(new AioOps.Submit(CTX, 1)).op(new AioOps.Reap(CTX, 1, 1))
                    .check(() -> u.ring(CTX).consume(1));
        }
        main.op(new AioOps.Destroy(CTX));
        h.kernel.spawn(h.image("app"), main);
        h.run();
        // one io_submit and one io_getevents per I/O at queue depth 1: 4 x 2 = 8 calls
        assertThat(h.counter("aio.syscalls")).isEqualTo(8);
        // 4 x (64-byte iocb + 8-byte pointer in, 32-byte io_event out) = 4 x 104 = 416 bytes
        assertThat(h.counter("aio.bytesCopied")).isEqualTo(416);
        assertThat(h.counter("aio.submitted")).isEqualTo(4);
        assertThat(h.counter("aio.completed")).isEqualTo(4);
        assertThat(h.counter("ukva.ringUpdates")).isZero();
    }

    @Test
    void shouldNeedNoSyscallPerCompletionWhenPollingThePerMmRing() {
        Harness h = harness(ModelName.PCID, UkvaConfig.PER_MM, IrqRouting.SUBMITTER, 0, true);
        Ukva u = ukva(h);
        Harness.Script main = new Harness.Script().op(new AioOps.Setup(4))
                .op(new AioOps.Submit(CTX, 4))
                .await(() -> u.ring(CTX).ready() == 4)
                .check(() -> u.ring(CTX).consume(4))
                .op(new AioOps.Destroy(CTX));
        h.kernel.spawn(h.image("app"), main);
        h.run();
        // one io_uring_enter for the batch of 4, no call to reap
        assertThat(h.counter("aio.syscalls")).isEqualTo(1);
        assertThat(h.counter("aio.completed")).isEqualTo(4);
        assertThat(h.counter("aio.bytesCopied")).isZero();
        // SQ tail (program) + SQ head (kernel) + 4 CQ tails (kernel) + 1 CQ head (program) = 7
        assertThat(h.counter("ukva.ringUpdates")).isEqualTo(7);
    }

    /** The coherence misses of a program reading 4 completions, the interrupt taken on {@code irqCpu}. */
    private static long missesReadingRing(int irqCpu) {
        Harness h = harness(ModelName.CONVENTIONAL, UkvaConfig.PER_MM, IrqRouting.FIXED, irqCpu, false);
        Ukva u = ukva(h);
        long[] before = new long[1];
        long[] after = new long[1];
        Harness.Script main = new Harness.Script().op(new AioOps.Setup(4))
                .op(new AioOps.Submit(CTX, 4))
                .await(() -> u.ring(CTX).ready() == 4)
                .check(() -> before[0] = h.counter("coherence.misses"))
                .then(b -> {
                    Ring r = u.ring(CTX);
                    b.clear();
                    b.add(r.cqTailAddress(), 4, org.protsim.hw.Cpu.READ);
                    for (int i = 0; i < 4; i++) {
                        b.add(r.cqeAddress(i), Ukva.CQE_BYTES, org.protsim.hw.Cpu.READ);
                    }
                    return Op.REFS;
                })
                .check(() -> after[0] = h.counter("coherence.misses"))
                .check(() -> u.ring(CTX).consume(4))
                .op(new AioOps.Destroy(CTX));
        h.kernel.spawn(h.image("app"), main); // the first process runs on CPU 0
        h.run();
        return after[0] - before[0];
    }

    @Test
    void shouldMissOnTheRingLinesWhenTheCompletingCpuIsNotTheReadingOne() {
        // CPU 1 wrote the tail line and two lines of 32-byte entries (4 x 32 = 128 bytes): CPU 0 misses on all 3
        assertThat(missesReadingRing(1)).isEqualTo(3);
        // the same CPU wrote them: its own lines, no coherence miss
        assertThat(missesReadingRing(0)).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void shouldShootDownTheCpuRunningTheMmWhenTheAreaIsTornDown(ModelName model) {
        Harness h = harness(model, UkvaConfig.PER_MM, IrqRouting.SUBMITTER, 0, true);
        Ukva u = ukva(h);
        AtomicBoolean started = new AtomicBoolean();
        AtomicBoolean destroyed = new AtomicBoolean();
        // the thread reads the ring on CPU 1 (its translation cached there), then spins until the teardown
        Harness.Script thread = new Harness.Script()
                .then(b -> {
                    b.clear();
                    b.add(u.ring(CTX).cqTailAddress(), 4, org.protsim.hw.Cpu.READ);
                    return Op.REFS;
                })
                .check(() -> started.set(true))
                .await(destroyed::get);
        long[] shot = new long[2];
        Harness.Script main = new Harness.Script().op(new AioOps.Setup(4))
                .op(new Op.Clone(thread))
                .await(started::get)
                .check(() -> shot[0] = h.counter("shootdowns"))
                .op(new AioOps.Destroy(CTX))
                .check(() -> shot[1] = h.counter("shootdowns"))
                .check(() -> destroyed.set(true));
        h.kernel.spawn(h.image("app"), main);
        h.run();
        // the one other CPU that runs the mm is interrupted once
        assertThat(shot[1] - shot[0]).isEqualTo(1);
    }

    /** Counts, independently of the mechanism, the switches between two distinct tasks of one mm. */
    static final class SameMmSwitches implements KernelMechanism {
        long count;

        @Override
        public String name() {
            return "test/same-mm-switches";
        }

        @Override
        public void taskSwitched(org.protsim.hw.Cpu cpu, Task previous, Task next) {
            if (previous != null && previous != next && previous.process().mm() == next.process().mm()) {
                count++;
            }
        }
    }

    static Stream<Arguments> modelsAndRingModes() {
        List<Arguments> out = new ArrayList<>();
        for (ModelName m : ModelName.values()) {
            if (m != ModelName.SASOS) {
                out.add(Arguments.of(m, UkvaConfig.PER_TASK));
            }
            out.add(Arguments.of(m, UkvaConfig.PER_MM));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} with ukva {1}")
    @MethodSource("modelsAndRingModes")
    void shouldWriteTheRootOnEverySwitchBetweenTwoTasksOfOneMmOnlyPerTask(ModelName model, String mode) {
        SameMmSwitches switches = new SameMmSwitches();
        DiskConfig d = DiskConfig.DEFAULT;
        KernelConfig k = KernelConfig.DEFAULT.withAudit(true).withMechanism("ukva", UkvaConfig.DEFAULT.withMode(mode));
        Harness h = new Harness(ModelConfig.DEFAULT.withName(model), 1, k, d, List.of(switches));
        Ukva u = ukva(h);
        // two tasks of one process on one CPU, each with a ring it reads, yielding to each other
        long[] ids = new long[2];
        Harness.Script thread = new Harness.Script().op(new AioOps.Setup(4));
        thread.check(() -> ids[1] = thread.lastReturn());
        Harness.Script main = new Harness.Script().op(new AioOps.Setup(4));
        main.check(() -> ids[0] = main.lastReturn()).op(new Op.Clone(thread));
        for (int i = 0; i < 3; i++) {
            main.then(b -> {
                b.clear();
                Ring r = u.ring(ids[0]);
                b.add(r.cqTailAddress(), 4, org.protsim.hw.Cpu.READ);
                return Op.REFS;
            }).op(new Op.Yield());
            thread.then(b -> {
                b.clear();
                Ring r = u.ring(ids[1]);
                b.add(r.cqTailAddress(), 4, org.protsim.hw.Cpu.READ);
                return Op.REFS;
            }).op(new Op.Yield());
        }
        Process p = h.kernel.spawn(h.image("app"), main);
        h.run();
        assertThat(h.kernel.exitStatusOf(p)).isZero();
        assertThat(h.counter("faults.segv")).isZero();
        // each of the two yields three times to the other: at least 6 switches within the mm
        assertThat(switches.count).isGreaterThanOrEqualTo(6);
        if (UkvaConfig.PER_TASK.equals(mode)) {
            assertThat(h.counter("ukva.rootSwitches")).isEqualTo(switches.count);
            // per task: the copied root, and under it the area's PDPT, PD and PT (4-level paging) = 4; two tasks: 8
            assertThat(h.counter("ukva.taskTablePages")).isEqualTo(8);
        } else {
            assertThat(h.counter("ukva.rootSwitches")).isZero();
            assertThat(h.counter("ukva.taskTablePages")).isZero();
        }
    }

    @Test
    void shouldRefusePerTaskUnderSasosNamingTheSwitch() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> harness(ModelName.SASOS, UkvaConfig.PER_TASK, IrqRouting.SUBMITTER, 0, true))
                .isInstanceOf(org.protsim.core.InputError.class)
                .hasMessageStartingWith("kernel.ukva.mode: per-task needs a page table per process");
    }

    static Stream<ModelName> models() {
        return Stream.of(ModelName.values());
    }

    static Stream<Arguments> pairs() {
        List<Arguments> out = new ArrayList<>();
        for (ModelName m : ModelName.values()) {
            for (String mode : MODES) {
                if (!(m == ModelName.SASOS && UkvaConfig.PER_TASK.equals(mode))) { // refused: see below
                    out.add(Arguments.of(m, mode));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} with ukva {1}")
    @MethodSource("pairs")
    void shouldKeepTheAuditUnderEveryModelAndMode(ModelName model, String mode) {
        Harness h = harness(model, mode, IrqRouting.FIXED, 1, true);
        Ukva u = ukva(h);
        AtomicBoolean done = new AtomicBoolean();
        Harness.Script thread = new Harness.Script().await(done::get).write(Harness.data(h.image("x"), 0));
        long[] ctx = new long[1];
        Harness.Script main = new Harness.Script().op(new AioOps.Setup(8));
        main.check(() -> ctx[0] = main.lastReturn()).op(new Op.Clone(thread));
        for (int i = 0; i < 3; i++) {
            main.then(b -> new AioOps.Submit(ctx[0], 2)).then(b -> new AioOps.Reap(ctx[0], 2, 2)).then(b -> {
                Ring r = u.ring(ctx[0]);
                b.clear();
                if (r.shared()) {
                    b.add(r.cqTailAddress(), 4, org.protsim.hw.Cpu.READ);
                    b.add(r.cqeAddress(0), Ukva.CQE_BYTES, org.protsim.hw.Cpu.READ);
                    b.add(r.cqHeadAddress(), 4, org.protsim.hw.Cpu.WRITE);
                    return Op.REFS;
                }
                return new Op.Yield(); // under none the events were copied out by the reap
            }).check(() -> u.ring(ctx[0]).consume(2));
        }
        main.then(b -> new AioOps.Destroy(ctx[0])).check(() -> done.set(true));
        Process p = h.kernel.spawn(h.image("app"), main);
        h.run();
        assertThat(h.kernel.exitStatusOf(p)).isZero();
        assertThat(h.counter("faults.segv")).isZero();
        assertThat(h.counter("aio.completed")).isEqualTo(6);
    }
}
