package org.protsim.workloads;

import org.protsim.core.config.Check;
import org.protsim.core.config.WorkloadConfig;

/**
 * The smallest workload: on each CPU, {@code events} timer interrupts, each
 * {@code periodCycles} after the previous one plus a uniform jitter in
 * [-jitterCycles, +jitterCycles]. It exercises the event kernel end to end.
 */
public record TimerConfig(int events, long periodCycles, long jitterCycles) implements WorkloadConfig {
    public static final String TYPE = "timer";
    public static final TimerConfig DEFAULT = new TimerConfig(1000, 10_000, 1_000);

    public TimerConfig {
        Check.positive("events", events);
        Check.positive("periodCycles", periodCycles);
        Check.nonNegative("jitterCycles", jitterCycles);
        Check.that(jitterCycles < periodCycles, "jitterCycles",
                jitterCycles + " must be less than periodCycles " + periodCycles + " so ticks stay in order");
    }

    /** This record's workload type ({@link #TYPE}), registered in {@code META-INF/services} as a plugin's is. */
    public static final class Type implements WorkloadProvider {
        @Override
        public String name() {
            return TYPE;
        }

        @Override
        public String description() {
            return "periodic jittered timer interrupts on every CPU: the event kernel alone";
        }

        @Override
        public WorkloadConfig defaults() {
            return DEFAULT;
        }

        @Override
        public Workload create(WorkloadConfig config) {
            TimerConfig c = (TimerConfig) config;
            return new TimerWorkload(c);
        }
    }
}
