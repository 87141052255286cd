package org.protsim.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import org.protsim.core.InputError;
import org.protsim.core.config.ConfigLoader;
import org.protsim.core.config.RunConfig;
import org.protsim.core.stats.HistogramSummary;
import org.protsim.core.stats.Summary;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The proxy-share workload under the three {@code kernel.proxy} modes side by side (docs/sources.md
 * [002]), for compare: the mode table. It runs where the answer differs: under conventional a
 * pager round trip that blocks the client switches address spaces and flushes the TLB; under
 * sasos a switch only changes the protection domain, and a proxy's cap is the domain's rights in
 * the PLB. The map-time run is the compare's own proxy-share run; the others are planned here.
 */
final class ProxyModesTable {
    static final String WORKLOAD = "proxy-share";
    static final List<String> MODELS = List.of("conventional", "sasos");

    /** A mode as the table names it, and the settings that make it. */
    record Mode(String name, List<String> sets) {
    }

    static final List<Mode> MODES = List.of(
            new Mode("none", List.of("kernel.proxy.mode=none")),
            new Mode("map-time", List.of()),
            new Mode("pager-copy", List.of("kernel.proxy.mode=pager", "kernel.proxy.shareFrames=false")),
            new Mode("pager-shared", List.of("kernel.proxy.mode=pager", "kernel.proxy.shareFrames=true")));

    private ProxyModesTable() {
    }

    /** The runs the table needs beyond the compare's own: empty unless proxy-share and a model of {@link #MODELS} are run. */
    static List<Comparison.Plan> plans(JsonNode tree, List<String> models, List<String> overrides, ConfigLoader loader) {
        List<Comparison.Plan> out = new ArrayList<>();
        for (String model : MODELS) {
            if (!models.contains(model)) {
                continue;
            }
            for (Mode mode : MODES) {
                if (mode.sets().isEmpty()) {
                    continue; // map-time: the compare's own run of proxy-share
                }
                List<String> sets = new ArrayList<>();
                sets.add("model.name=" + model);
                sets.addAll(overrides);
                sets.addAll(mode.sets());
                RunConfig rc;
                try {
                    rc = loader.fromTree(tree, sets);
                } catch (InputError e) {
                    throw new InputError("workload " + WORKLOAD + " (" + mode.name() + "), model " + model + ": "
                            + e.getMessage());
                }
                out.add(new Comparison.Plan(WORKLOAD + "-" + mode.name(), model, rc, loader.toJson(rc)));
            }
        }
        return out;
    }

    /** The summary of {@code model} in {@code mode}, by run id. */
    private static Summary summary(Map<String, Summary> byId, String mode, String model) {
        return byId.get((mode.equals("map-time") ? WORKLOAD : WORKLOAD + "-" + mode) + "-" + model);
    }

    private static long counter(Summary s, String name) {
        return s.counters().getOrDefault(name, 0L); // the mechanism's figures are absent under none: zero
    }

    private static final List<String> COLUMNS = List.of("model", "mode", "cycles", "TLB misses/1k refs",
            "faults", "forwarded", "frames held twice", "violations refused", "allowed", "p99 proxy fault (cycles)");

    private static List<List<String>> rows(Map<String, Summary> byId, List<String> models) {
        List<List<String>> rows = new ArrayList<>();
        for (String model : MODELS) {
            if (!models.contains(model) || summary(byId, "map-time", model) == null) {
                continue;
            }
            for (Mode mode : MODES) {
                Summary s = summary(byId, mode.name(), model);
                HistogramSummary latency = s.histograms().get("proxy.faultLatency");
                rows.add(List.of(model, mode.name(), String.format(Locale.ROOT, "%,d", Comparison.totalCycles(s)),
                        String.format(Locale.ROOT, "%.2f", s.derived("tlbMissesPerKiloRef")),
                        String.format(Locale.ROOT, "%,d", counter(s, "faults.demand") + counter(s, "proxy.forwardedRequests")),
                        String.format(Locale.ROOT, "%,d", counter(s, "proxy.forwardedRequests")),
                        String.format(Locale.ROOT, "%,d", counter(s, "proxy.framesHeldTwice")),
                        String.valueOf(counter(s, "proxy.violationsRefused")),
                        String.valueOf(counter(s, "proxy.violationsAllowed")),
                        latency == null || latency.count() == 0 ? "-" : String.format(Locale.ROOT, "%,d", latency.p99())));
            }
        }
        return rows;
    }

    static final String TITLE = "proxy-share under each kernel.proxy mode";

    /**
     * The table as figures: cycles, TLB misses per 1,000 references and the p99 proxy fault
     * latency, a bar per model (conventional, sasos) for each mode; empty if it was not run.
     */
    static List<BarFigure> figures(Map<String, Summary> byId, List<String> models) {
        List<String> run = MODELS.stream().filter(m -> models.contains(m) && summary(byId, "map-time", m) != null).toList();
        if (run.isEmpty()) {
            return List.of();
        }
        List<String> modes = MODES.stream().map(Mode::name).toList();
        Map<String, List<Double>> cycles = new java.util.LinkedHashMap<>();
        Map<String, List<Double>> misses = new java.util.LinkedHashMap<>();
        Map<String, List<Double>> p99 = new java.util.LinkedHashMap<>();
        for (String model : run) {
            List<Double> c = new ArrayList<>();
            List<Double> t = new ArrayList<>();
            List<Double> l = new ArrayList<>();
            for (String mode : modes) {
                Summary s = summary(byId, mode, model);
                c.add(Comparison.totalCycles(s) / 1e6);
                double m = s.derived("tlbMissesPerKiloRef");
                t.add(Double.isNaN(m) ? null : m);
                HistogramSummary latency = s.histograms().get("proxy.faultLatency");
                l.add(latency == null || latency.count() == 0 ? null : (double) latency.p99());
            }
            cycles.put(model, c);
            misses.put(model, t);
            p99.put(model, l);
        }
        return List.of(
                new BarFigure("proxy-modes-cycles.png", TITLE, "proxy-share: CPU cycles by kernel.proxy mode",
                        "kernel.proxy mode", "million cycles", modes, cycles, false,
                        "Every CPU's cycles of proxy-share in each kernel.proxy mode, a bar per model: what a pager "
                                + "round trip per fault costs against checking the rights once at map time."),
                new BarFigure("proxy-modes-tlb-misses.png", TITLE, "proxy-share: TLB misses per 1,000 references by "
                                + "kernel.proxy mode", "kernel.proxy mode", "misses / 1,000 refs", modes, misses, false,
                        "TLB misses per 1,000 references in each mode: under conventional a blocking pager round "
                                + "trip switches address spaces and flushes the TLB; under sasos it changes only the "
                                + "protection domain."),
                new BarFigure("proxy-modes-p99-fault.png", TITLE, "proxy-share: p99 proxy fault latency by "
                                + "kernel.proxy mode", "kernel.proxy mode", "cycles", modes, p99, false,
                        "99th percentile of proxy.faultLatency (cycles), the fault forwarded to the pager and back; "
                                + "none and map-time forward no fault."));
    }

    /** The table as markdown (a section of compare.md), or "" if it was not run. */
    static String markdown(Map<String, Summary> byId, List<String> models) {
        List<List<String>> rows = rows(byId, models);
        if (rows.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("\n## ").append(TITLE).append("\n\n|");
        COLUMNS.forEach(c -> sb.append(' ').append(c).append(" |"));
        sb.append("\n|---|---|").append("---:|".repeat(COLUMNS.size() - 2)).append('\n');
        for (List<String> r : rows) {
            sb.append('|');
            r.forEach(v -> sb.append(' ').append(v).append(" |"));
            sb.append('\n');
        }
        return sb.toString();
    }

    /** The table as plain text (after compare's tables), or "" if it was not run. */
    static String text(Map<String, Summary> byId, List<String> models) {
        List<List<String>> rows = rows(byId, models);
        if (rows.isEmpty()) {
            return "";
        }
        int[] width = new int[COLUMNS.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = COLUMNS.get(i).length();
            for (List<String> r : rows) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder(TITLE).append('\n');
        for (List<String> r : prepend(COLUMNS, rows)) {
            sb.append(' ');
            for (int i = 0; i < r.size(); i++) {
                sb.append(' ').append(String.format(Locale.ROOT, i < 2 ? "%-" + width[i] + "s" : "%" + width[i] + "s",
                        r.get(i)));
            }
            sb.append('\n');
        }
        return sb.append('\n').toString();
    }

    private static List<List<String>> prepend(List<String> head, List<List<String>> rows) {
        List<List<String>> all = new ArrayList<>();
        all.add(head);
        all.addAll(rows);
        return all;
    }
}
