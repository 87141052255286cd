package org.protsim.core.config;

/**
 * A block device's service time for one request: from the moment the device starts serving it
 * to its completion interrupt.
 *
 * @param distribution fixed, lognormal or exponential
 * @param medianCycles the median service time in cycles (the value itself when fixed)
 * @param sigma        lognormal only: the standard deviation of ln(service time); ignored by the others
 */
public record DiskLatencyConfig(Distribution distribution, long medianCycles, double sigma) {
    // Defaults: a low-latency NVMe drive, 10 us median at 3 GHz (COSTS.md "NVMe flash 4 KiB random read",
    // roughly 10 us for low-latency drives). sigma 0.05 from AnandTech's review of the Intel Optane SSD DC
    // P4800X (2017), 4 KiB random reads at queue depth 1: median 9 us, 99th percentile 10 us, so
    // sigma = ln(10 / 9) / 2.326 (the normal 99th percentile) = 0.045.
    public static final DiskLatencyConfig DEFAULT = new DiskLatencyConfig(Distribution.LOGNORMAL, 30_000, 0.05);

    public DiskLatencyConfig {
        Check.that(distribution != null, "distribution", "must be given");
        Check.positive("medianCycles", medianCycles);
        Check.that(Double.isFinite(sigma) && sigma >= 0 && sigma <= 10, "sigma", sigma + " is outside 0..10");
        Check.that(distribution != Distribution.LOGNORMAL || sigma > 0, "sigma", "must be positive for lognormal");
    }
}
