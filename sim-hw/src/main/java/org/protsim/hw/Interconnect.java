package org.protsim.hw;

import org.protsim.core.Event;
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
    private final Cpu[] cpus;
    private final CostsConfig costs;
    private final LatencyRecorder latency;
    private long ipis;
    private long shootdowns;

    public Interconnect(Simulation sim, Cpu[] cpus, CostsConfig costs, Stats stats) {
        this.sim = sim;
        this.cpus = cpus;
        this.costs = costs;
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
        Round round = new Round(start, n, done);
        long sent = start;
        for (long m = remote; m != 0; m &= m - 1) {
            Cpu target = cpus[Long.numberOfTrailingZeros(m)];
            ipis++;
            sent += costs.ipiSendCycles();
            sim.scheduleAt(new Arrival(target, flush, round), sent + costs.ipiLatencyCycles());
        }
    }

    /** One shootdown's outstanding acknowledgements. */
    private final class Round {
        final long start;
        final LongConsumer done;
        int pending;

        Round(long start, int pending, LongConsumer done) {
            this.start = start;
            this.pending = pending;
            this.done = done;
        }

        void acknowledged(long time) {
            if (--pending == 0) {
                latency.record(time - start);
                done.accept(time);
            }
        }
    }

    private final class Arrival extends Event {
        final Cpu target;
        final RemoteFlush flush;
        final Round round;

        Arrival(Cpu target, RemoteFlush flush, Round round) {
            super(Priority.INTERRUPT, "ipi.cpu" + target.id());
            this.target = target;
            this.flush = flush;
            this.round = round;
        }

        @Override
        public void fire() {
            long arrival = sim.now();
            // the target takes the interrupt at arrival (or, if it ran ahead, at its own clock)
            target.advanceTo(arrival);
            long before = target.clock();
            target.charge(CycleCategory.SHOOTDOWN, costs.ipiHandlerCycles());
            long flushCycles = flush.apply(target); // charges the target's FLUSH cycles itself
            long handled = arrival + costs.ipiHandlerCycles() + flushCycles;
            Event ack = Event.of(Priority.INTERRUPT, "ipi.ack.cpu" + target.id(),
                    () -> round.acknowledged(sim.now()));
            sim.scheduleAt(ack, handled + costs.ipiLatencyCycles());
            assert target.clock() >= before;
        }
    }
}
