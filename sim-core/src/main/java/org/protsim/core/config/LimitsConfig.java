package org.protsim.core.config;

/**
 * When a run stops if the workload has not finished.
 *
 * @param maxCycles simulated cycles at most (default: no limit)
 */
public record LimitsConfig(long maxCycles) {
    public static final LimitsConfig DEFAULT = new LimitsConfig(Long.MAX_VALUE);

    public LimitsConfig {
        Check.positive("maxCycles", maxCycles);
    }
}
