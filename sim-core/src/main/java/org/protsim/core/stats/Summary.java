package org.protsim.core.stats;

import java.util.SortedMap;

/**
 * What a run measured, as written to {@code summary.json}: why the run stopped,
 * counters (name → count),
 * cycles (category → cycles spent), derived figures (name → number, null where undefined)
 * and histogram summaries. Every map is sorted by name, so the file is byte-identical for
 * identical runs.
 */
public record Summary(String stopReason,
                      SortedMap<String, Long> counters,
                      SortedMap<String, Long> cycles,
                      SortedMap<String, Double> derived,
                      SortedMap<String, HistogramSummary> histograms) {

    public long counter(String name) {
        Long v = counters.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no counter " + name);
        }
        return v;
    }

    public double derived(String name) {
        Double v = derived.get(name);
        return v == null ? Double.NaN : v;
    }
}
