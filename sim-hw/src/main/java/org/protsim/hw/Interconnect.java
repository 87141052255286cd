package org.protsim.hw;

import org.protsim.core.Event;
import org.protsim.core.Pool;
import org.protsim.core.Priority;
import org.protsim.core.Simulation;
import org.protsim.core.config.CostsConfig;
import org.protsim.core.stats.LatencyRecorder;
import org.protsim.core.stats.Stats;

import java.util.function.LongConsumer;

/**
 * Inter-processor interrupts with latency, and the TLB shootdown built on them: the
 * initiator sends an IPI to every target CPU; each target, when the IPI arrives, takes the
 * interrupt, flushes, and sends an acknowledgement; the initiator waits for the last one.
 * The initiator's latency (send to last acknowledgement) goes into {@code shootdown.latency}.
 * As in Linux's flush_tlb_multi (x86 tlb.c), the targets' flushes run in parallel, but the
 * initiator asks them one after the other: smp_call_function_many_cond (kernel/smp.c) queues the
 * call on each target and the x2APIC sends one IPI per target (an ICR write each, x2apic_phys.c),
 * so the k-th target's IPI leaves {@code k * ipiSendCycles} after the start.
 */
public final class Interconnect {
    /** What a target does when the IPI arrives; returns the cycles its flush cost. */
    @FunctionalInterface
    public interface RemoteFlush {
        long apply(Cpu target);
    }

    private final Simulation sim;
    private final CostsConfig costs;
    private final LatencyRecorder latency;
    private long ipis;
    private long shootdowns;
    /** Rounds and per-target visits not in use (free lists, linked through {@code next}). */
    private final Pool<Round> freeRounds = new Pool<>(Round::new);
    /** Per target CPU: a visit's events are named after its CPU. */
    private final Pool<Visit>[] freeVisits;

    public Interconnect(Simulation sim, Cpu[] cpus, CostsConfig costs, Stats stats) {
        this.sim = sim;
        this.costs = costs;
        @SuppressWarnings("unchecked")
        Pool<Visit>[] visits = new Pool[cpus.length];
        for (int id = 0; id < cpus.length; id++) {
            Cpu target = cpus[id];
            visits[id] = new Pool<>(() -> new Visit(target));
        }
        this.freeVisits = visits;
        this.latency = stats.histogram("shootdown.latency", "cycles",
                "initiator's wait from sending shootdown IPIs to the last acknowledgement");
        stats.counter("ipis", "interrupts", "inter-processor interrupts sent (acknowledgements not counted)", () -> ipis);
        stats.counter("shootdowns", "shootdowns", "TLB shootdowns that interrupted at least one remote CPU",
                () -> shootdowns);
    }

    /**
     * Shoots down {@code targets} (a CPU bitmask; the initiator's own bit is ignored) at cycle
     * {@code start}. Each target applies {@code flush} when its IPI arrives. {@code done}
     * receives the cycle at which the initiator has every acknowledgement; with no remote
     * target it is called at once with {@code start}.
     */
    public void shootdown(Cpu initiator, long targets, long start, RemoteFlush flush, LongConsumer done) {
        long remote = targets & ~(1L << initiator.id());
        int n = Long.bitCount(remote);
        if (n == 0) {
            done.accept(start);
            return;
        }
        shootdowns++;
        Round round = freeRounds.take();
        round.start = start;
        round.pending = n;
        round.flush = flush;
        round.done = done;
        long sent = start;
        for (long m = remote; m != 0; m &= m - 1) {
            int id = Long.numberOfTrailingZeros(m);
            Visit v = freeVisits[id].take();
            v.round = round;
            ipis++;
            sent += costs.ipiSendCycles();
            sim.scheduleAt(v.arrival, sent + costs.ipiLatencyCycles());
        }
    }

    /**
     * One shootdown's outstanding acknowledgements. Kept on a free list once the last one came, and
     * taken again, every field set, by the next shootdown: a shootdown allocates nothing once the
     * list holds as many as are in flight at once.
     */
    private static final class Round {
        long start;
        RemoteFlush flush;
        LongConsumer done;
        int pending;
    }

    /**
     * One target's part of one round: the IPI's arrival there and its acknowledgement, two events
     * that each fire once per use. Kept per target CPU on a free list (their names say which CPU),
     * back on it when the acknowledgement has fired: rounds in flight at once each have their own.
     */
    private final class Visit {
        final Cpu target;
        final Event arrival;
        final Event ack;
        Round round;

        Visit(Cpu target) {
            this.target = target;
            this.arrival = new Event(Priority.INTERRUPT, "ipi.cpu" + target.id()) {
                @Override
                public void fire() {
                    arrived();
                }
            };
            this.ack = new Event(Priority.INTERRUPT, "ipi.ack.cpu" + target.id()) {
                @Override
                public void fire() {
                    acknowledged();
                }
            };
        }

        private void arrived() {
            long arrival = sim.now();
            // the target takes the interrupt at arrival (or, if it ran ahead, at its own clock)
            target.advanceTo(arrival);
            long before = target.clock();
            target.charge(CycleCategory.SHOOTDOWN, costs.ipiHandlerCycles());
            long flushCycles = round.flush.apply(target); // charges the target's FLUSH cycles itself
            long handled = arrival + costs.ipiHandlerCycles() + flushCycles;
            sim.scheduleAt(ack, handled + costs.ipiLatencyCycles());
            assert target.clock() >= before;
        }

        private void acknowledged() {
            Round r = round;
            round = null;
            freeVisits[target.id()].give(this);
            if (--r.pending == 0) {
                long time = sim.now();
                latency.record(time - r.start);
                LongConsumer done = r.done;
                r.flush = null;
                r.done = null;
                freeRounds.give(r); // free before done runs: it may start the next shootdown
                done.accept(time);
            }
        }
    }
}
