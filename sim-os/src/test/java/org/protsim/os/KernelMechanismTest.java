package org.protsim.os;

import org.junit.jupiter.api.Test;
import org.protsim.core.InputError;
import org.protsim.core.config.ModelName;
import org.protsim.hw.Pte;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.protsim.os.Harness.data;

/** The mechanism seam: system calls a mechanism adds, blocking and waking, its pager role, the page-table reports. */
class KernelMechanismTest {

    @Test
    void shouldBlockTheCallerUntilTheDeviceEventAndRunAnotherTaskMeanwhile() {
        DeviceCall device = new DeviceCall();
        Harness h = Harness.of(ModelName.PCID, 1, device);
        Image img = h.image("io");
        long delay = 2_000_000;
        long[] at = new long[4]; // A issues, B runs, A resumes
        Harness.Script a = new Harness.Script()
                .check(() -> at[0] = h.machine.cpu(0).clock())
                .op(new DeviceCall.Ping(delay))
                .check(() -> at[2] = h.machine.cpu(0).clock());
        Harness.Script b = new Harness.Script()
                .write(data(img, 0))
                .check(() -> at[1] = h.machine.cpu(0).clock());
        h.kernel.spawn(img, a);
        h.kernel.spawn(img, b);
        h.run();
        assertThat(device.answered).isEqualTo(1);
        assertThat(a.returns).contains(DeviceCall.ANSWER);
        // A waited at least the device's 2,000,000 cycles; B ran on the one CPU in between
        assertThat(at[2] - at[0]).isGreaterThanOrEqualTo(delay);
        assertThat(at[1]).isBetween(at[0], at[2]);
    }

    @Test
    void shouldKillTheProcessWhenItsPagerRefusesAFault() {
        Pager pager = new Pager();
        Harness h = Harness.of(ModelName.CONVENTIONAL, 1, pager);
        long addr = 0x6000_0000L;
        Harness.Script s = new Harness.Script()
                .op(new Pager.MapPaged(addr, 4, 1))
                .read(addr)
                .read(addr + 4096); // the pager serves one page only
        Process p = h.kernel.spawn(h.image("paged"), s);
        h.run();
        assertThat(pager.served).isEqualTo(1);
        assertThat(pager.refused).isEqualTo(1);
        assertThat(h.kernel.exitStatusOf(p)).isEqualTo(128 + 11);
        assertThat(h.counter("faults.segv")).isEqualTo(1);
        // the pager's faults are its own: no demand fault of the kernel's for them
        assertThat(h.counter("faults.demand")).isZero();
    }

    @Test
    void shouldFailClearlyOnASystemCallNoActiveMechanismProvides() {
        Harness h = Harness.of(ModelName.CONVENTIONAL, 1);
        h.kernel.spawn(h.image("lost"), new Harness.Script().op(new DeviceCall.Ping(1)));
        assertThatThrownBy(h::run).isInstanceOf(InputError.class)
                .hasMessageContaining("Ping").hasMessageContaining("no active kernel mechanism");
    }

    @Test
    void shouldRefuseTwoMechanismsClaimingOneSystemCall() {
        assertThatThrownBy(() -> Harness.of(ModelName.CONVENTIONAL, 1, new DeviceCall(), new DeviceCall()))
                .hasMessageContaining("Ping is claimed by both test/device and test/device");
    }

    @Test
    void shouldWakeAVforkParentOnlyAfterTheChildExecs() {
        Harness h = Harness.of(ModelName.CONVENTIONAL, 1);
        Image img = h.image("shell");
        Image other = h.kernel.newImage("cc", 4, 8, 4);
        List<String> order = new ArrayList<>();
        Harness.Script child = new Harness.Script()
                .check(() -> order.add("child runs"))
                .op(new Op.Yield()) // a runnable parent would get the CPU here; a blocked one cannot
                .op(new Op.Exec(other, new Harness.Script().check(() -> order.add("child execed"))));
        Harness.Script parent = new Harness.Script()
                .op(new Op.Fork(child, true, true))
                .check(() -> order.add("parent resumes"));
        h.kernel.spawn(img, parent);
        h.run();
        // one CPU: the parent stays blocked through the child's yield, and is woken by the exec; the
        // exec'd child keeps the CPU until it exits, then the parent resumes
        assertThat(order).containsExactly("child runs", "child execed", "parent resumes");
    }

    @Test
    void shouldSetTheCacheAttributeInOnePlaceAndHaveTheCachesReadIt() {
        ShadowTables shadow = new ShadowTables();
        Harness h = Harness.of(ModelName.CONVENTIONAL, 1, shadow);
        Image img = h.image("wc");
        long page = data(img, 0);
        List<Long> seen = new ArrayList<>();
        h.kernel.pageTables().addObserver((mm, va, oldPte, newPte, change) -> {
            if (change == PteChange.ATTRIBUTE) {
                seen.add(oldPte);
                seen.add(newPte);
            }
        });
        long[] uncachedBefore = new long[1];
        Harness.Script s = new Harness.Script()
                .write(page)
                .check(() -> {
                    Process p = h.kernel.processes().iterator().next();
                    h.kernel.pageTables().setAttribute(p.mm(), page, Pte.UNCACHED);
                    h.machine.cpu(0).flushAll(); // what set_memory_uc's TLB flush does
                    uncachedBefore[0] = h.counter("memory.uncached");
                })
                .read(page, page + 64, page + 128);
        h.kernel.spawn(img, s);
        h.run();
        assertThat(seen).hasSize(2);
        assertThat(Pte.attribute(seen.get(0))).isEqualTo(Pte.WRITE_BACK);
        assertThat(Pte.attribute(seen.get(1))).isEqualTo(Pte.UNCACHED);
        assertThat(Pte.frame(seen.get(1))).isEqualTo(Pte.frame(seen.get(0)));
        assertThat(shadow.count(PteChange.ATTRIBUTE)).isEqualTo(1);
        // three 8-byte reads after the change, each within one line: three uncached accesses
        assertThat(h.counter("memory.uncached") - uncachedBefore[0]).isEqualTo(3);
    }
}
