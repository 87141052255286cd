package org.protsim.os;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.protsim.core.config.DmaConfig;
import org.protsim.core.config.ModelName;
import org.protsim.core.config.PatConfig;
import org.protsim.hw.Pte;
import org.protsim.os.dma.DmaDevice;
import org.protsim.os.dma.DmaMechanism;
import org.protsim.os.dma.DmaOps;
import org.protsim.os.pat.PatMechanism;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.protsim.os.Harness.data;

/**
 * Every protection model with every kernel mechanism (STYLE.md practice 10), with the audit on
 * (kernel.audit = true): none, each test mechanism alone, and all of them at once. One scenario
 * goes through every funnel - fork with copy-on-write, a thread on the other CPU, mprotect,
 * madvise, munmap with a shootdown, exec, exit - plus each mechanism's own system call, and the
 * shadow mechanism checks after each stage that the reports of the page-table part add up to
 * the tables themselves.
 */
class MechanismContractTest {
    private static final long REGION = 0x5000_0000L;
    private static final long PAGED = 0x6000_0000L;
    private static final DmaDevice DEV = new DmaDevice(0, "dev", 2_000, 4.0, 4, 1, 2);

    static Stream<Arguments> pairs() {
        List<Arguments> out = new ArrayList<>();
        for (ModelName m : ModelName.values()) {
            for (String set : List.of("none", "shadow", "device", "pager", "all", "dma/shared-pool", "dma/iommu-strict",
                    "dma/iommu-deferred", "dma/owned-pages", "pat/vma-walk", "pat/memtype-tree")) {
                out.add(Arguments.of(m, set));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("pairs")
    void shouldKeepEveryModelCorrectUnderEveryMechanism(ModelName model, String set) {
        boolean all = set.equals("all");
        ShadowTables shadow = all || set.equals("shadow") ? new ShadowTables() : null;
        DeviceCall device = all || set.equals("device") ? new DeviceCall() : null;
        Pager pager = all || set.equals("pager") ? new Pager() : null;
        List<KernelMechanism> active = new ArrayList<>();
        for (KernelMechanism k : new KernelMechanism[] {shadow, device, pager}) {
            if (k != null) {
                active.add(k);
            }
        }
        DmaMechanism dma = null;
        if (set.startsWith("dma/") || set.startsWith("pat/")) {
            String mode = set.startsWith("dma/") ? set.substring(4) : "shared-pool";
            dma = new DmaMechanism(mode);
            active.add(dma);
            if (set.startsWith("pat/")) {
                active.add(new PatMechanism(PatConfig.DEFAULT.withMode(set.endsWith("tree")
                        ? PatConfig.MEMTYPE_TREE : PatConfig.VMA_WALK)));
            }
        }
        Harness h = Harness.of(model, 2, active.toArray(new KernelMechanism[0]));
        Image img = h.image("app");
        Image other = h.kernel.newImage("other", 4, 8, 4);
        Runnable verify = () -> {
            if (shadow != null) {
                shadow.verify(h.kernel);
            }
        };
        AtomicBoolean readerStarted = new AtomicBoolean();
        AtomicBoolean unmapped = new AtomicBoolean();
        Harness.Script reader = new Harness.Script()
                .read(REGION, REGION + 4096)
                .check(() -> readerStarted.set(true))
                .await(unmapped::get);
        Harness.Script child = new Harness.Script()
                .write(data(img, 0), REGION + 2 * 4096)
                .op(new Op.Exec(other, new Harness.Script().write(data(other, 0)).check(verify)));
        Harness.Script main = new Harness.Script()
                .op(Op.Mmap.anonymous(REGION, 8 * 4096, Vma.READ | Vma.WRITE))
                .write(REGION, REGION + 4096, REGION + 2 * 4096, data(img, 0), data(img, 1))
                .op(new Op.Fork(child, false))
                .write(data(img, 1))
                .check(verify)
                .op(new Op.Clone(reader))
                .await(readerStarted::get)
                .op(new Op.Mprotect(REGION + 4096, 4096, Vma.READ))
                .op(new Op.Discard(REGION + 2 * 4096, 4096))
                .check(verify)
                .op(new Op.Munmap(REGION, 8 * 4096))
                .check(() -> unmapped.set(true))
                .check(verify);
        long[] answer = {-1};
        if (device != null) {
            main.op(new DeviceCall.Ping(50_000)).check(() -> answer[0] = main.lastReturn());
        }
        if (dma != null) {
            // a request (map, transfer, a use after unmap, unmap), I/O memory mapped uncached and write-combining,
            // and a conflicting alias (refused under the PAT modes), with the shadow's checks after
            long buf = REGION + 16 * 4096;
            long[] handle = new long[1];
            main.op(Op.Mmap.anonymous(buf, 2 * 4096, Vma.READ | Vma.WRITE)).write(buf, buf + 4096)
                    .op(new DmaOps.DmaMap(DEV, buf, 2 * 4096, false))
                    .then(b -> {
                        handle[0] = main.lastReturn();
                        return new DmaOps.DmaTransfer(DEV, handle[0], DmaOps.WILD_RANDOM_ADDRESS, 12345);
                    })
                    .then(b -> new DmaOps.DmaUnmap(DEV, handle[0], 500))
                    .op(new DmaOps.MapRegion(DEV, DmaOps.REGISTERS, 0, 1, Pte.UNCACHED))
                    .op(new DmaOps.MapRegion(DEV, DmaOps.APERTURE, 0, 2, Pte.WRITE_COMBINING))
                    .op(new DmaOps.MapRegion(DEV, DmaOps.APERTURE, 1, 1, Pte.UNCACHED))
                    .op(new Op.Munmap(buf, 2 * 4096))
                    .check(verify);
        }
        if (pager != null) {
            main.op(new Pager.MapPaged(PAGED, 4, 3)).write(PAGED, PAGED + 4096).read(PAGED + 2 * 4096).check(verify);
        }
        Process p = h.kernel.spawn(img, main);
        h.run();

        assertThat(h.kernel.exitStatusOf(p)).isZero();
        assertThat(h.counter("faults.segv")).isZero();
        assertThat(h.counter("forks")).isEqualTo(1);
        assertThat(h.counter("execs")).isEqualTo(1);
        if (shadow != null) {
            // every mm that was made is gone but the first-class address spaces (none here): all processes ended
            assertThat(shadow.mmsDestroyed).isEqualTo(shadow.mmsCreated);
            // main, its thread, the child: each created once and ended once
            assertThat(shadow.tasksCreated).isEqualTo(3).isEqualTo(shadow.tasksExited);
            assertThat(shadow.switches).isEqualTo(h.counter("contextSwitches"));
            assertThat(shadow.count(PteChange.MAP)).isPositive();
            assertThat(shadow.count(PteChange.UNMAP)).isPositive();
            // the mprotect of one written page, and the fork's write protection of the parent's pages
            assertThat(shadow.count(PteChange.PROTECT)).isPositive();
            // munmap removes the whole 8-page region: at least one unmapped VMA part
            assertThat(shadow.vmasUnmapped).isPositive();
        }
        if (device != null) {
            assertThat(device.answered).isEqualTo(1);
            assertThat(answer[0]).isEqualTo(DeviceCall.ANSWER);
        }
        if (dma != null) {
            assertThat(h.counter("dma.requests")).isEqualTo(1);
            assertThat(h.counter("dma.wildWrites")).isEqualTo(2);
            if (set.startsWith("pat/")) {
                // the uncached map of an aperture page mapped write-combining: refused
                assertThat(h.counter("pat.conflictsRefused")).isEqualTo(1);
                assertThat(h.counter("pat.aliasesUndetected")).isZero();
            } else {
                assertThat(h.counter("pat.aliasesUndetected")).isEqualTo(1);
            }
        }
        if (pager != null) {
            // three pages touched, three served, none refused
            assertThat(pager.served).isEqualTo(3);
            assertThat(pager.refused).isZero();
        }
    }
}
