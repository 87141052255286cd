package org.protsim.cli;

import org.protsim.core.stats.HistogramSummary;
import org.protsim.core.stats.Summary;
import org.protsim.orchestration.RunResult;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The short table {@code protsim run} prints: the main counters, derived figures and latency percentiles. */
final class Report {
    /** Counters worth a line when present, in this order. */
    private static final List<String> MAIN_COUNTERS = List.of(
            "references", "trace.unreachable", "tlb.l1d.misses", "tlb.l1i.misses", "tlb.l2.misses", "walks",
            "faults.demand", "faults.cow", "forks", "execs", "contextSwitches", "flush.all", "flush.nonglobal",
            "flush.asid", "flush.page", "flush.shared", "shootdowns", "timer.events", "events", "simulatedCycles");

    private Report() {
    }

    static void print(PrintWriter out, RunResult result) {
        Summary s = result.summary();
        out.printf(Locale.ROOT, "stopped: %s after %,d cycles (%.6f s simulated)%n", s.stopReason(),
                result.simulatedCycles(), result.simulatedSeconds());
        for (String name : MAIN_COUNTERS) {
            Long v = s.counters().get(name);
            if (v != null) {
                out.printf(Locale.ROOT, "  %-28s %,18d%n", name, v);
            }
        }
        long total = s.cycles().values().stream().mapToLong(Long::longValue).sum();
        for (Map.Entry<String, Long> c : s.cycles().entrySet()) {
            out.printf(Locale.ROOT, "  cycles.%-21s %,18d  %5.1f%%%n", c.getKey(), c.getValue(),
                    total == 0 ? 0.0 : 100.0 * c.getValue() / total);
        }
        for (Map.Entry<String, Double> d : s.derived().entrySet()) {
            out.printf(Locale.ROOT, "  %-28s %18s%n", d.getKey(), d.getValue() == null ? "-"
                    : String.format(Locale.ROOT, "%.4f", d.getValue()));
        }
        if (!s.histograms().isEmpty()) {
            out.printf(Locale.ROOT, "  %-28s %10s %10s %10s %10s %10s  %s%n", "histogram", "count", "mean", "p50",
                    "p99", "max", "unit");
            for (Map.Entry<String, HistogramSummary> h : s.histograms().entrySet()) {
                HistogramSummary v = h.getValue();
                out.printf(Locale.ROOT, "  %-28s %,10d %10.1f %,10d %,10d %,10d  %s%n", h.getKey(), v.count(),
                        v.mean(), v.p50(), v.p99(), v.max(), v.unit());
            }
        }
        out.flush();
    }
}
