package org.protsim.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import org.protsim.core.InputError;
import org.protsim.core.config.ConfigLoader;
import org.protsim.core.config.MechanismConfig;
import org.protsim.core.config.RunConfig;
import org.protsim.core.config.UkvaConfig;
import org.protsim.core.stats.Summary;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The aio workload and the fio replays under the three {@code kernel.ukva} modes side by side
 * (docs/sources.md [003]), for compare: the mode table. It runs under the models where the answer
 * differs: under conventional a per-task root written on a switch between two tasks of one mm
 * flushes the TLB, under pcid it keeps the mm's tag and invalidates the area's pages; sasos has
 * one global table and refuses per-task, shown as "-" with a footnote. The run in the workload's
 * own mode (per-mm in the shipped configs) is the compare's own run; the others are planned here.
 */
final class UkvaModesTable {
    static final List<String> WORKLOADS = List.of("aio", "fio-libaio-thread", "fio-io_uring-thread");
    static final List<String> MODELS = List.of("conventional", "pcid", "sasos");
    /** The table's columns: the built-in modes (a plugin's modes of kernel.ukva are not tabled here). */
    static final List<String> MODES = List.of(MechanismConfig.NONE, UkvaConfig.PER_MM, UkvaConfig.PER_TASK);

    /** The one (model, mode) the mechanism refuses at boot (Ukva.boot), and why, for the footnote. */
    static final String REFUSED_MODEL = "sasos";
    static final String REFUSED_MODE = UkvaConfig.PER_TASK;
    static final String FOOTNOTE = "(1) sasos refuses kernel.ukva per-task (a run of it exits 2): it has one global page "
            + "table for every space, and a top level per task would copy that table and need a PLB domain per task.";

    private UkvaModesTable() {
    }

    private static boolean refused(String model, String mode) {
        return model.equals(REFUSED_MODEL) && mode.equals(REFUSED_MODE);
    }

    /**
     * The runs the table needs for {@code workload} beyond the compare's own: every mode but the one
     * the compare's run already has (its config's, after {@code overrides}), under each model of
     * {@link #MODELS} that is run, except the refused one.
     */
    static List<Comparison.Plan> plans(String workload, JsonNode tree, List<String> models, List<String> overrides,
                                       ConfigLoader loader) {
        List<Comparison.Plan> out = new ArrayList<>();
        for (String model : MODELS) {
            if (!models.contains(model)) {
                continue;
            }
            List<String> sets = new ArrayList<>();
            sets.add("model.name=" + model);
            sets.addAll(overrides);
            String own = loader.fromTree(tree, sets).kernel().mechanism("ukva").mode();
            for (String mode : MODES) {
                if (mode.equals(own) || refused(model, mode)) {
                    continue;
                }
                List<String> withMode = new ArrayList<>(sets);
                withMode.add("kernel.ukva.mode=" + mode);
                RunConfig rc;
                try {
                    rc = loader.fromTree(tree, withMode);
                } catch (InputError e) {
                    throw new InputError("workload " + workload + " (ukva " + mode + "), model " + model + ": "
                            + e.getMessage());
                }
                out.add(new Comparison.Plan(id(workload, mode), model, rc, loader.toJson(rc)));
            }
        }
        return out;
    }

    private static String id(String workload, String mode) {
        return workload + "-" + mode;
    }

    /**
     * The summary of {@code workload} under {@code model} in {@code mode}: a run of this table's,
     * else the compare's own run (the one mode planned nowhere here); null if refused or not run.
     */
    private static Summary summary(Map<String, Summary> byId, String workload, String model, String mode) {
        if (refused(model, mode)) {
            return null;
        }
        Summary s = byId.get(id(workload, mode) + "-" + model);
        return s != null ? s : byId.get(workload + "-" + model);
    }

    private static long counter(Summary s, String name) {
        return s.counters().getOrDefault(name, 0L);
    }

    private static final List<String> COLUMNS = List.of("workload", "model", "mode", "syscalls/I/O",
            "bytes copied/I/O", "coherence misses", "root switches", "TLB flushes", "pages invalidated", "translation cycles/I/O", "cycles/I/O");

    /** The cycles address translation costs: TLB lookups, walks, the PLB, flushes and shootdowns. */
    private static final List<String> TRANSLATION = List.of("tlb", "walk", "plb", "flush", "shootdown");

    private static List<List<String>> rows(Map<String, Summary> byId, List<String> workloads, List<String> models) {
        List<List<String>> rows = new ArrayList<>();
        for (String workload : workloads) {
            if (!WORKLOADS.contains(workload)) {
                continue;
            }
            for (String model : MODELS) {
                if (!models.contains(model) || byId.get(workload + "-" + model) == null) {
                    continue;
                }
                for (String mode : MODES) {
                    Summary s = summary(byId, workload, model, mode);
                    if (s == null) {
                        List<String> r = new ArrayList<>(List.of(workload, model, mode + " (1)"));
                        while (r.size() < COLUMNS.size()) {
                            r.add("-");
                        }
                        rows.add(r);
                        continue;
                    }
                    long ios = counter(s, "aio.completed");
                    // whole flushes, beside single pages: a root write under conventional is the former
                    long whole = counter(s, "flush.all") + counter(s, "flush.nonglobal") + counter(s, "flush.asid")
                            + counter(s, "flush.shared");
                    rows.add(List.of(workload, model, mode, fmt(s.derived("aio.syscallsPerIo"), 3),
                            ios == 0 ? "-" : fmt((double) counter(s, "aio.bytesCopied") / ios, 1),
                            count(counter(s, "coherence.misses")), count(counter(s, "ukva.rootSwitches")), count(whole),
                            count(counter(s, "flush.page")), perIo(TRANSLATION.stream()
                                    .mapToLong(c -> s.cycles().getOrDefault(c, 0L)).sum(), ios),
                            perIo(Comparison.totalCycles(s), ios)));
                }
            }
        }
        return rows;
    }

    private static String perIo(long cycles, long ios) {
        return ios == 0 ? "-" : count(Math.round((double) cycles / ios));
    }

    private static String fmt(double v, int digits) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    private static String count(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    static final String TITLE = "aio and the fio replays under each kernel.ukva mode";

    /**
     * The table as figures, a category per (workload, mode) and a bar per model: cycles per I/O,
     * the part of them address translation costs, and system calls per I/O; the refused (sasos,
     * per-task) runs are missing values. Empty if the table was not run.
     */
    static List<BarFigure> figures(Map<String, Summary> byId, List<String> workloads, List<String> models) {
        List<String> ws = workloads.stream().filter(WORKLOADS::contains).toList();
        List<String> ms = MODELS.stream().filter(m -> models.contains(m)
                && ws.stream().anyMatch(w -> byId.get(w + "-" + m) != null)).toList();
        if (ws.isEmpty() || ms.isEmpty()) {
            return List.of();
        }
        List<String> categories = new ArrayList<>();
        for (String w : ws) {
            for (String mode : MODES) {
                categories.add(w + " " + mode);
            }
        }
        Map<String, List<Double>> cycles = new java.util.LinkedHashMap<>();
        Map<String, List<Double>> translation = new java.util.LinkedHashMap<>();
        Map<String, List<Double>> syscalls = new java.util.LinkedHashMap<>();
        for (String model : ms) {
            List<Double> c = new ArrayList<>();
            List<Double> t = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (String w : ws) {
                for (String mode : MODES) {
                    Summary s = byId.get(w + "-" + model) == null ? null : summary(byId, w, model, mode);
                    long ios = s == null ? 0 : counter(s, "aio.completed");
                    c.add(ios == 0 ? null : (double) Comparison.totalCycles(s) / ios);
                    t.add(ios == 0 ? null : (double) TRANSLATION.stream()
                            .mapToLong(k -> s.cycles().getOrDefault(k, 0L)).sum() / ios);
                    double v = s == null ? Double.NaN : s.derived("aio.syscallsPerIo");
                    y.add(Double.isNaN(v) ? null : v);
                }
            }
            cycles.put(model, c);
            translation.put(model, t);
            syscalls.put(model, y);
        }
        String refused = " sasos refuses per-task (no bar).";
        return List.of(
                new BarFigure("ukva-cycles-per-io.png", TITLE, "CPU cycles per I/O by kernel.ukva mode",
                        "workload and kernel.ukva mode", "cycles / I/O", categories, cycles, false,
                        "Every CPU's cycles per completed I/O of aio and the fio replays in each kernel.ukva mode, a "
                                + "bar per model." + refused),
                new BarFigure("ukva-translation-cycles-per-io.png", TITLE, "Address translation cycles per I/O by "
                                + "kernel.ukva mode", "workload and kernel.ukva mode", "cycles / I/O", categories,
                        translation, false, "The cycles of TLB lookups, walks, the PLB, flushes and shootdowns per "
                                + "I/O: the part of the cost the mode moves (per-task writes a root on a switch "
                                + "between two tasks of one mm)." + refused),
                new BarFigure("ukva-syscalls-per-io.png", TITLE, "System calls per I/O by kernel.ukva mode",
                        "workload and kernel.ukva mode", "system calls / I/O", categories, syscalls, false,
                        "System calls per completed I/O (submit and reap) in each mode, a bar per model." + refused));
    }

    private static boolean anyRefused(List<List<String>> rows) {
        return rows.stream().anyMatch(r -> r.get(2).endsWith("(1)"));
    }

    /** The table as markdown (a section of compare.md), or "" if it was not run. */
    static String markdown(Map<String, Summary> byId, List<String> workloads, List<String> models) {
        List<List<String>> rows = rows(byId, workloads, models);
        if (rows.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("\n## ").append(TITLE).append("\n\n|");
        COLUMNS.forEach(c -> sb.append(' ').append(c).append(" |"));
        sb.append("\n|---|---|---|").append("---:|".repeat(COLUMNS.size() - 3)).append('\n');
        for (List<String> r : rows) {
            sb.append('|');
            r.forEach(v -> sb.append(' ').append(v).append(" |"));
            sb.append('\n');
        }
        if (anyRefused(rows)) {
            sb.append('\n').append(FOOTNOTE).append('\n');
        }
        return sb.toString();
    }

    /** The table as plain text (after compare's tables), or "" if it was not run. */
    static String text(Map<String, Summary> byId, List<String> workloads, List<String> models) {
        List<List<String>> rows = rows(byId, workloads, models);
        if (rows.isEmpty()) {
            return "";
        }
        List<List<String>> all = new ArrayList<>();
        all.add(COLUMNS);
        all.addAll(rows);
        int[] width = new int[COLUMNS.size()];
        for (List<String> r : all) {
            for (int i = 0; i < width.length; i++) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        StringBuilder sb = new StringBuilder(TITLE).append('\n');
        for (List<String> r : all) {
            sb.append(' ');
            for (int i = 0; i < r.size(); i++) {
                sb.append(' ').append(String.format(Locale.ROOT, i < 3 ? "%-" + width[i] + "s" : "%" + width[i] + "s",
                        r.get(i)));
            }
            sb.append('\n');
        }
        if (anyRefused(rows)) {
            sb.append("  ").append(FOOTNOTE).append('\n');
        }
        return sb.append('\n').toString();
    }
}
