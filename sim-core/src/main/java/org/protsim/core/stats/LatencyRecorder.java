package org.protsim.core.stats;

import org.HdrHistogram.Histogram;

/**
 * A latency distribution in a fixed unit (cycles unless said otherwise), kept in an
 * HdrHistogram with three significant digits so that it merges exactly across runs.
 */
public final class LatencyRecorder {
    private final Histogram histogram = new Histogram(3);

    /** Records one value; negative values are a bug in the caller. */
    public void record(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("negative latency " + value);
        }
        histogram.recordValue(value);
    }

    public Histogram histogram() {
        return histogram;
    }

    public long count() {
        return histogram.getTotalCount();
    }
}
