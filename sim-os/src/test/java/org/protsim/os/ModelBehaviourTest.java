package org.protsim.os;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.protsim.core.config.AsidPolicy;
import org.protsim.core.config.ForkCopy;
import org.protsim.core.config.KernelConfig;
import org.protsim.core.config.ModelConfig;
import org.protsim.core.config.ModelName;
import org.protsim.hw.Cpu;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.protsim.os.Harness.data;

/** The behaviour each model's source thread (docs/sources.md) argues about, with expectations computed by hand. */
class ModelBehaviourTest {
    private static final long QUANTUM = KernelConfig.DEFAULT.quantumCycles();

    private static Harness harness(ModelConfig model, int cpus) {
        return new Harness(model, cpus, QUANTUM, true);
    }

    private static ModelConfig model(ModelName name) {
        return ModelConfig.DEFAULT.withName(name);
    }

    /**
     * {@code n} tasks on one CPU, each running 5 rounds of (touch a page, yield) and then exiting:
     * round robin, so there are 6 runs per task and 6n picks (context switches).
     */
    private static void roundRobin(Harness h, int n, boolean threads) {
        Image img = h.image("rr");
        Harness.Script first = null;
        for (int t = 0; t < n; t++) {
            Harness.Script s = new Harness.Script();
            for (int round = 0; round < 5; round++) {
                s.write(data(img, t)).op(new Op.Yield());
            }
            if (!threads) {
                h.kernel.spawn(img, s);
            } else if (first == null) {
                first = s;
            }
        }
        if (threads) {
            // one process: the first task creates the others as threads before its rounds
            Harness.Script main = new Harness.Script();
            for (int t = 1; t < n; t++) {
                Harness.Script s = new Harness.Script();
                for (int round = 0; round < 5; round++) {
                    s.write(data(img, t)).op(new Op.Yield());
                }
                main.op(new Op.Clone(s));
            }
            for (int round = 0; round < 5; round++) {
                main.write(data(img, 0)).op(new Op.Yield());
            }
            h.kernel.spawn(img, main);
        }
        h.run();
    }

    @Test
    void conventionalShouldFlushOnEveryCrossMmSwitchAndNotBetweenThreads() {
        Harness procs = harness(model(ModelName.CONVENTIONAL), 1);
        roundRobin(procs, 3, false);
        // 3 tasks x 6 runs = 18 picks, each loading a different mm than the last: 18 flushes
        assertThat(procs.counter("contextSwitches")).isEqualTo(18);
        assertThat(procs.counter("flush.nonglobal")).isEqualTo(18);

        Harness threads = harness(model(ModelName.CONVENTIONAL), 1);
        roundRobin(threads, 3, true);
        // 3 threads of one mm: only the first load writes the root and flushes
        assertThat(threads.counter("contextSwitches")).isGreaterThanOrEqualTo(18);
        assertThat(threads.counter("flush.nonglobal")).isEqualTo(1);
    }

    /**
     * Six ASID slots. Six address spaces in round robin: each takes a free slot once (6 flushes
     * of that slot's ASID), then every switch finds its slot: 36 switches, 6 flushes. Seven: the
     * least recently used slot always belongs to the very address space that runs next, so all
     * 35 switches of rounds 1 to 5 flush, as without PCID; in the last round (the exits) A takes
     * B's slot (a flush), A's exit frees a slot B takes (a flush), and C to G find theirs: 37.
     */
    @ParameterizedTest
    @CsvSource({"6, 36, 6", "7, 42, 37", "2, 12, 2"})
    void pcidShouldDegradeToConventionalWithMoreAddressSpacesThanSlots(int spaces, long switches, long flushes) {
        Harness h = harness(new ModelConfig(ModelName.PCID, AsidPolicy.PERCPU_SLOTS, 6, 8, 32, ForkCopy.EAGER), 1);
        roundRobin(h, spaces, false);
        assertThat(h.counter("contextSwitches")).isEqualTo(switches);
        assertThat(h.counter("flush.asid")).isEqualTo(flushes);
        assertThat(h.counter("flush.nonglobal")).isZero();
    }

    /** Three usable ASIDs (asidBits 2) for four address spaces: generations roll over, the audit stays clean. */
    @Test
    void pcidGenerationsShouldRollOverWhenAsidsRunOut() {
        Harness h = harness(new ModelConfig(ModelName.PCID, AsidPolicy.GENERATION, 3, 2, 32, ForkCopy.EAGER), 1);
        roundRobin(h, 4, false);
        assertThat(h.counter("asid.rollovers")).isGreaterThan(0);
        assertThat(h.counter("flush.all")).isGreaterThan(0);
        Harness roomy = harness(new ModelConfig(ModelName.PCID, AsidPolicy.GENERATION, 6, 8, 32, ForkCopy.EAGER), 1);
        roundRobin(roomy, 4, false);
        assertThat(roomy.counter("asid.rollovers")).isZero();
        assertThat(roomy.counter("flush.all") + roomy.counter("flush.asid") + roomy.counter("flush.nonglobal")).isZero();
    }

    @Test
    void sasosShouldSwitchWithoutAnyFlush() {
        Harness h = harness(model(ModelName.SASOS), 1);
        roundRobin(h, 7, false);
        assertThat(h.counter("contextSwitches")).isEqualTo(42);
        assertThat(h.counter("flush.all") + h.counter("flush.nonglobal") + h.counter("flush.asid")
                + h.counter("flush.page") + h.counter("flush.shared")).isZero();
    }

    /**
     * A parent writes 10 data pages and forks a child that keeps running (no exec). Eager: the fork
     * copies all 10 writable pages into the child's range at once. On touch: only the 3 pages the
     * child reads are copied, when it reads them. Conventional fork copies no page, only entries.
     */
    @ParameterizedTest
    @CsvSource({"SASOS, EAGER, 10", "SASOS, ON_TOUCH, 3", "CONVENTIONAL, EAGER, 0"})
    void forkWithoutExecShouldCopyTheParentsWritablePagesUnderSasos(ModelName name, ForkCopy copy, long copies) {
        Harness h = harness(new ModelConfig(name, AsidPolicy.PERCPU_SLOTS, 6, 8, 32, copy), 1);
        Image img = h.image("server");
        AtomicLong atFork = new AtomicLong(-1);
        Harness.Script child = new Harness.Script().read(data(img, 0), data(img, 4), data(img, 9));
        Harness.Script parent = new Harness.Script();
        for (int i = 0; i < 10; i++) {
            parent.write(data(img, i));
        }
        parent.op(new Op.Fork(child, false)).check(() -> atFork.set(h.counter("pages.copied")));
        h.kernel.spawn(img, parent);
        h.run();
        assertThat(h.counter("pages.copied")).isEqualTo(copies);
        assertThat(atFork.get()).isEqualTo(copy == ForkCopy.EAGER ? copies : 0);
        assertThat(h.counter("faults.segv")).isZero();
    }

    /**
     * Process A maps an 8-page library and runs each page; then process B maps it and runs each
     * page. Under shared-asid B finds A's entries, tagged with the library's shared space, and
     * takes no fault: 8 faults in all. Under conventional each process faults each page: 16.
     */
    @ParameterizedTest
    @CsvSource({"SHARED_ASID, 8", "CONVENTIONAL, 16", "PCID, 16"})
    void sharedAsidLibraryEntriesShouldHitAcrossProcesses(ModelName name, long faults) {
        Harness h = harness(model(name), 1);
        Image img = h.image("app");
        MemObject lib = h.kernel.newObject("libc", 8, true);
        AtomicBoolean aDone = new AtomicBoolean();
        AtomicLong base = new AtomicLong();
        long[] pages = new long[8];
        Harness.Script a = new Harness.Script();
        a.op(new Op.Mmap(0, 8 * 4096, Vma.READ | Vma.EXEC, Vma.PRIVATE, lib, 0))
                .check(() -> base.set(a.lastReturn()))
                .then(b -> {
                    for (int i = 0; i < 8; i++) {
                        b.add(base.get() + i * 4096L, 4, Cpu.EXECUTE);
                    }
                    return Op.REFS;
                })
                .check(() -> aDone.set(true));
        Harness.Script bs = new Harness.Script();
        bs.await(aDone::get)
                .op(new Op.Mmap(0, 8 * 4096, Vma.READ | Vma.EXEC, Vma.PRIVATE, lib, 0))
                .then(b -> {
                    assertThat(bs.lastReturn()).isEqualTo(base.get()); // the same address in both
                    for (int i = 0; i < 8; i++) {
                        b.add(bs.lastReturn() + i * 4096L, 4, Cpu.EXECUTE);
                    }
                    return Op.REFS;
                });
        h.kernel.spawn(img, a);
        h.kernel.spawn(img, bs);
        h.run();
        assertThat(h.counter("faults.demand")).isEqualTo(faults);
        assertThat(pages).hasSize(8);
    }

    /**
     * A process attaches two first-class address spaces of 4 pages each and visits them in
     * turn, three rounds. Only the first round faults (4 + 4 pages); the later rounds switch
     * without remapping anything and without a walk or a flush.
     */
    @Test
    void vasShouldSwitchBetweenAddressSpacesWithoutRemapping() {
        Harness h = harness(model(ModelName.VAS), 1);
        Image img = h.image("jmp");
        long base1 = 1L << 41;
        long base2 = 2L << 41;
        AtomicLong walksAfterFirstRound = new AtomicLong();
        AtomicLong faultsAfterFirstRound = new AtomicLong();
        Harness.Script s = new Harness.Script()
                .op(new Op.VasCreate(base1, 4, false))
                .op(new Op.VasCreate(base2, 4, false))
                .op(new Op.VasAttach(1))
                .op(new Op.VasAttach(2));
        for (int round = 0; round < 3; round++) {
            if (round == 1) {
                s.check(() -> {
                    walksAfterFirstRound.set(h.counter("walks"));
                    faultsAfterFirstRound.set(h.counter("faults.demand"));
                });
            }
            s.op(new Op.VasSwitch(1)).write(base1, base1 + 4096, base1 + 2 * 4096, base1 + 3 * 4096)
                    .op(new Op.VasSwitch(2)).write(base2, base2 + 4096, base2 + 2 * 4096, base2 + 3 * 4096);
        }
        s.op(new Op.VasSwitch(0));
        h.kernel.spawn(img, s);
        h.run();
        assertThat(faultsAfterFirstRound.get()).isEqualTo(8);
        assertThat(h.counter("faults.demand")).isEqualTo(8);
        assertThat(h.counter("walks")).isEqualTo(walksAfterFirstRound.get());
        assertThat(h.counter("vas.switches")).isEqualTo(7);
        assertThat(h.counter("flush.all") + h.counter("flush.nonglobal") + h.counter("flush.asid")).isZero();
        assertThat(h.counter("faults.segv")).isZero();
    }
}
