package org.protsim.core.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

/**
 * The statistics of one run, registered by the components that keep them, each with a
 * unit and a description (as gem5's stat groups). Four kinds:
 * <ul>
 *   <li>counters: a name whose value is the sum of every source registered under it, so the
 *       TLBs of all CPUs can feed one {@code tlb.l1d.hits} while keeping their own primitive
 *       fields on the hot path;</li>
 *   <li>cycles: counters of simulated cycles by category (useful, tlb, walk, ...);</li>
 *   <li>histograms: latency distributions ({@link LatencyRecorder});</li>
 *   <li>derived figures: computed from the final counter values, never kept twice.</li>
 * </ul>
 */
public final class Stats {
    /** Unit, description and value sources of one registered name. */
    public record Descriptor(String name, String unit, String description) {
    }

    private final Map<String, Descriptor> descriptors = new TreeMap<>();
    private final Map<String, List<LongSupplier>> counterSources = new TreeMap<>();
    private final Map<String, List<LongSupplier>> cycleSources = new TreeMap<>();
    private final Map<String, LatencyRecorder> histograms = new TreeMap<>();
    private final Map<String, ToDoubleFunction<Summary>> derived = new TreeMap<>();

    /** A counter owned by the registry; registering the same name again returns the same counter. */
    public Counter counter(String name, String unit, String description) {
        describe(name, unit, description);
        List<LongSupplier> sources = counterSources.computeIfAbsent(name, n -> new ArrayList<>());
        for (LongSupplier s : sources) {
            if (s instanceof Counter c) {
                return c;
            }
        }
        Counter c = new Counter();
        sources.add(c);
        return c;
    }

    /** Adds a value source to counter {@code name}; the counter reports the sum of its sources. */
    public void counter(String name, String unit, String description, LongSupplier source) {
        describe(name, unit, description);
        counterSources.computeIfAbsent(name, n -> new ArrayList<>()).add(source);
    }

    /** Adds a source of cycles spent in {@code category}; the category reports the sum of its sources. */
    public void cycles(String category, String description, LongSupplier source) {
        describe("cycles." + category, "cycles", description);
        cycleSources.computeIfAbsent(category, n -> new ArrayList<>()).add(source);
    }

    /** A latency histogram; the same recorder for the same name. */
    public LatencyRecorder histogram(String name, String unit, String description) {
        describe(name, unit, description);
        return histograms.computeIfAbsent(name, n -> new LatencyRecorder());
    }

    /** A figure computed from the other statistics at the end of the run; NaN means "undefined". */
    public void derived(String name, String unit, String description, ToDoubleFunction<Summary> formula) {
        describe(name, unit, description);
        derived.put(name, formula);
    }

    public boolean hasCounter(String name) {
        return counterSources.containsKey(name);
    }

    /** Current value of counter {@code name} (the sum of its sources). */
    public long value(String name) {
        List<LongSupplier> sources = counterSources.get(name);
        if (sources == null) {
            throw new IllegalArgumentException("no counter " + name);
        }
        return sum(sources);
    }

    public LatencyRecorder histogram(String name) {
        LatencyRecorder r = histograms.get(name);
        if (r == null) {
            throw new IllegalArgumentException("no histogram " + name);
        }
        return r;
    }

    public SortedMap<String, LatencyRecorder> histograms() {
        return new TreeMap<>(histograms);
    }

    public Descriptor descriptor(String name) {
        return descriptors.get(name);
    }

    /** Every registered name with its unit and description, sorted by name. */
    public List<Descriptor> descriptors() {
        return List.copyOf(descriptors.values());
    }

    /** The values as they stand now, derived figures computed from them. */
    public Summary summary(String stopReason) {
        SortedMap<String, Long> counters = new TreeMap<>();
        counterSources.forEach((name, sources) -> counters.put(name, sum(sources)));
        SortedMap<String, Long> cycles = new TreeMap<>();
        cycleSources.forEach((name, sources) -> cycles.put(name, sum(sources)));
        SortedMap<String, HistogramSummary> hs = new TreeMap<>();
        histograms.forEach((name, r) -> hs.put(name, HistogramSummary.of(descriptors.get(name).unit(), r.histogram())));
        Summary base = new Summary(stopReason, counters, cycles, new TreeMap<>(), hs);
        SortedMap<String, Double> values = new TreeMap<>();
        derived.forEach((name, f) -> {
            double v = f.applyAsDouble(base);
            values.put(name, Double.isFinite(v) ? v : null);
        });
        return new Summary(stopReason, counters, cycles, values, hs);
    }

    private void describe(String name, String unit, String description) {
        Descriptor d = new Descriptor(name, unit, description);
        Descriptor old = descriptors.putIfAbsent(name, d);
        if (old != null && !old.unit().equals(unit)) {
            throw new IllegalArgumentException("statistic " + name + " registered in " + old.unit() + " and in " + unit);
        }
    }

    private static long sum(List<LongSupplier> sources) {
        long total = 0;
        for (LongSupplier s : sources) {
            total += s.getAsLong();
        }
        return total;
    }

    /** {@code numerator / denominator * scale}, NaN when the denominator is zero. */
    public static double ratio(long numerator, long denominator, double scale) {
        return denominator == 0 ? Double.NaN : numerator * scale / denominator;
    }
}
