package org.protsim.core.stats;

import org.HdrHistogram.Histogram;

/** The figures of one latency histogram that go into {@code summary.json}. */
public record HistogramSummary(String unit, long count, double mean, long p50, long p90, long p99, long p999, long max) {

    public static HistogramSummary of(String unit, Histogram h) {
        if (h.getTotalCount() == 0) {
            return new HistogramSummary(unit, 0, 0, 0, 0, 0, 0, 0);
        }
        return new HistogramSummary(unit, h.getTotalCount(), h.getMean(),
                h.getValueAtPercentile(50), h.getValueAtPercentile(90), h.getValueAtPercentile(99),
                h.getValueAtPercentile(99.9), h.getMaxValue());
    }
}
