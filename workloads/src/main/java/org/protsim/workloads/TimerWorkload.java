package org.protsim.workloads;

import org.protsim.core.Event;
import org.protsim.core.Priority;
import org.protsim.core.Simulation;
import org.protsim.core.stats.Counter;
import org.protsim.core.stats.LatencyRecorder;

import java.util.SplittableRandom;

/** Periodic, jittered timer interrupts on every CPU, with a histogram of the cycles between ticks. */
final class TimerWorkload implements Workload {
    private final TimerConfig config;

    TimerWorkload(TimerConfig config) {
        this.config = config;
    }

    @Override
    public void start(RunContext run) {
        Simulation sim = run.simulation();
        Counter ticks = sim.stats().counter("timer.events", "events", "timer interrupts delivered");
        LatencyRecorder gaps = sim.stats().histogram("timer.interarrival", "cycles",
                "cycles between consecutive timer interrupts on one CPU");
        SplittableRandom random = sim.streams().get("workload.timer");
        for (int cpu = 0; cpu < run.config().machine().cpus(); cpu++) {
            Tick tick = new Tick(cpu, sim, random, ticks, gaps);
            sim.schedule(tick, tick.nextGap());
        }
    }

    /** One CPU's timer: a single event object rescheduled after every tick. */
    private final class Tick extends Event {
        private final Simulation sim;
        private final SplittableRandom random;
        private final Counter ticks;
        private final LatencyRecorder gaps;
        private long last;
        private int delivered;

        Tick(int cpu, Simulation sim, SplittableRandom random, Counter ticks, LatencyRecorder gaps) {
            super(Priority.TIMER, "timer.cpu" + cpu);
            this.sim = sim;
            this.random = random;
            this.ticks = ticks;
            this.gaps = gaps;
        }

        long nextGap() {
            long j = config.jitterCycles();
            return config.periodCycles() + (j == 0 ? 0 : random.nextLong(-j, j + 1));
        }

        @Override
        public void fire() {
            long now = sim.now();
            gaps.record(now - last);
            last = now;
            ticks.increment();
            if (++delivered < config.events()) {
                sim.schedule(this, nextGap());
            }
        }
    }
}
