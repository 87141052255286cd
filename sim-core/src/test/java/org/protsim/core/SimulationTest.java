package org.protsim.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SimulationTest {

    /** An event that reschedules itself every {@code period} cycles, {@code n} times. */
    private static class Repeater extends Event {
        final Simulation sim;
        final long period;
        int left;
        final List<Long> times = new ArrayList<>();

        Repeater(Simulation sim, long period, int n) {
            super(Priority.TIMER, "repeater");
            this.sim = sim;
            this.period = period;
            this.left = n;
        }

        @Override
        public void fire() {
            times.add(sim.now());
            if (--left > 0) {
                sim.schedule(this, period);
            }
        }
    }

    @Test
    void shouldRunUntilTheQueueIsEmpty() {
        Simulation sim = new Simulation(1);
        Repeater r = new Repeater(sim, 100, 5);
        sim.schedule(r, 100);
        assertThat(sim.run(Long.MAX_VALUE)).isEqualTo(Simulation.StopReason.QUEUE_EMPTY);
        assertThat(r.times).containsExactly(100L, 200L, 300L, 400L, 500L);
        assertThat(sim.now()).isEqualTo(500);
        assertThat(sim.eventsFired()).isEqualTo(5);
    }

    @Test
    void shouldStopAtTheCycleLimitWithoutFiringLaterEvents() {
        Simulation sim = new Simulation(1);
        Repeater r = new Repeater(sim, 100, 10);
        sim.schedule(r, 100);
        // events at 100, 200, 300 fire; the one at 400 lies beyond 350
        assertThat(sim.run(350)).isEqualTo(Simulation.StopReason.CYCLE_LIMIT);
        assertThat(r.times).containsExactly(100L, 200L, 300L);
        assertThat(sim.now()).isEqualTo(350);
        assertThat(r.isScheduled()).isTrue();
    }

    @Test
    void shouldFireAnEventExactlyAtTheLimit() {
        Simulation sim = new Simulation(1);
        Repeater r = new Repeater(sim, 100, 10);
        sim.schedule(r, 100);
        sim.run(300);
        assertThat(r.times).containsExactly(100L, 200L, 300L);
    }

    @Test
    void shouldStopWhenAComponentAsks() {
        Simulation sim = new Simulation(1);
        Repeater r = new Repeater(sim, 10, 1000) {
            @Override
            public void fire() {
                super.fire();
                if (times.size() == 7) {
                    sim.stop("seven is enough");
                }
            }
        };
        sim.schedule(r, 10);
        assertThat(sim.run(Long.MAX_VALUE)).isEqualTo(Simulation.StopReason.STOPPED);
        assertThat(r.times).hasSize(7);
        assertThat(sim.stopRequest()).isEqualTo("seven is enough");
    }

    @Test
    void shouldRejectNegativeDelays() {
        Simulation sim = new Simulation(1);
        assertThatThrownBy(() -> sim.schedule(Event.of(Priority.CPU, "neg", () -> { }), -1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
