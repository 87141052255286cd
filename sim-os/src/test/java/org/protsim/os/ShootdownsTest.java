package org.protsim.os;

import org.junit.jupiter.api.Test;
import org.protsim.core.Event;
import org.protsim.core.Priority;
import org.protsim.core.config.ModelName;
import org.protsim.hw.Cpu;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Shootdowns} reuses its pending invalidations: one taken again must behave as a new one,
 * and two in flight at once must not mix. The model is a stand-in that names every CPU as a target
 * and records each flush (CPU, address space, range), so what reached each CPU is seen directly.
 */
class ShootdownsTest {
    private final Harness h = Harness.of(ModelName.CONVENTIONAL, 3);
    private final List<String> flushes = new ArrayList<>();
    private final Shootdowns shootdowns = new Shootdowns(h.kernel.scheduler(), h.machine.interconnect(), recording());

    /** Every CPU a target; each flush recorded as "cpu mm hva pages" and costing 100 cycles. */
    private ProtectionModel recording() {
        return (ProtectionModel) Proxy.newProxyInstance(ProtectionModel.class.getClassLoader(),
                new Class<?>[] {ProtectionModel.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "invalidationTargets" -> 0b111L;
                    case "flushLocal" -> {
                        flushes.add(((Cpu) args[0]).id() + " mm" + ((Mm) args[1]).id() + " 0x"
                                + Long.toHexString((Long) args[2]) + " " + args[3]);
                        yield 100L;
                    }
                    case "runsOver" -> false;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private String pendingNow() {
        List<String> p = new ArrayList<>();
        for (Shootdowns.Pending x : shootdowns.pending()) {
            p.add("mm" + x.mm().id() + " [0x" + Long.toHexString(x.startHva()) + ", 0x" + Long.toHexString(x.endHva()) + ")");
        }
        return String.join(", ", p);
    }

    @Test
    void shouldKeepTwoInvalidationsInFlightOnDifferentCpusApart() {
        Mm a = new Mm(101);
        Mm b = new Mm(102);
        List<String> done = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        h.sim.scheduleAt(Event.of(Priority.CPU, "both", () -> {
            shootdowns.invalidate(h.kernel.scheduler().loop(0), a, 0x1000, 1, () -> done.add("a: " + pendingNow()));
            shootdowns.invalidate(h.kernel.scheduler().loop(1), b, 0x8000, 2, () -> done.add("b: " + pendingNow()));
            seen.add(pendingNow());
        }), 0);
        h.sim.run(Long.MAX_VALUE);
        // both wait at once, each with its own range: 1 page from 0x1000, 2 pages from 0x8000
        assertThat(seen).containsExactly("mm101 [0x1000, 0x2000), mm102 [0x8000, 0xa000)");
        // CPU 0's reaches CPUs 1 and 2 with a's range, CPU 1's CPUs 0 and 2 with b's (nothing runs a or b
        // on the initiators, so neither flushes locally); a ends first and b is still pending then
        assertThat(flushes).containsExactlyInAnyOrder(
                "1 mm101 0x1000 1", "2 mm101 0x1000 1", "0 mm102 0x8000 2", "2 mm102 0x8000 2");
        assertThat(done).containsExactly("a: mm102 [0x8000, 0xa000)", "b: ");
        assertThat(shootdowns.pending()).isEmpty();
    }

    @Test
    void shouldRunAnInvalidationStartedByTheLastOnesContinuationAsANewOne() {
        // the second is made inside the first's continuation, on the first's freed pending record
        Mm a = new Mm(101);
        Mm c = new Mm(103);
        List<String> done = new ArrayList<>();
        h.sim.scheduleAt(Event.of(Priority.CPU, "first", () ->
                shootdowns.invalidate(h.kernel.scheduler().loop(0), a, 0x1000, 1, () -> {
                    done.add("a");
                    shootdowns.invalidate(h.kernel.scheduler().loop(0), c, 0x40000, 3, () -> done.add("c: " + pendingNow()));
                    done.add("c started: " + pendingNow());
                })), 0);
        h.sim.run(Long.MAX_VALUE);
        assertThat(done).containsExactly("a", "c started: mm103 [0x40000, 0x43000)", "c: ");
        // each reached CPUs 1 and 2 once, with its own space and range
        assertThat(flushes).containsExactly("1 mm101 0x1000 1", "2 mm101 0x1000 1", "1 mm103 0x40000 3", "2 mm103 0x40000 3");
        assertThat(shootdowns.pending()).isEmpty();
    }
}
