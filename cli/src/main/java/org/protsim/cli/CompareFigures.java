package org.protsim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;
import org.protsim.core.results.RunFolder;
import org.protsim.core.sweep.SweepResults;
import org.protsim.orchestration.Comparison;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/**
 * The pictures of a comparison (XChart, PNG, drawn headless) and {@code compare.html}, one
 * self-contained page with the tables, every figure inline, each run's config and protsim's
 * version. Figures: TLB misses per 1,000 references (grouped bars: workloads, a bar per model);
 * per workload, each model's cycles stacked by category; flushes and shootdowns; the p99 of every
 * latency histogram the runs recorded. Values come from each run's {@code summary.json}; with
 * replications, the bars are the mean over them with a 95% Student-t interval as error bars
 * (the sweeps' {@link SweepResults.Stat}), the stacked cycles the mean.
 */
final class CompareFigures {
    /** summary.json's cycle categories, in the order they are stacked. */
    static final List<String> CATEGORIES = List.of("useful", "tlb", "walk", "cache", "plb", "flush", "shootdown",
            "fault", "syscall", "copy", "switch");

    /** A figure drawn: its file and what it shows. */
    record Figure(String file, String caption) {
    }

    private final Path dir;
    private final List<String> workloads;
    private final List<String> models;
    /** Replication 0's summary of each run. */
    private final Map<String, JsonNode> summaries = new LinkedHashMap<>();
    /** Every replication's summary of each run. */
    private final Map<String, List<JsonNode>> replicated = new LinkedHashMap<>();
    private final List<Figure> figures = new ArrayList<>();

    CompareFigures(Path dir, List<Comparison.Row> rows) {
        this(dir, rows, List.of(dir.resolve("runs")));
    }

    /** @param runDirs the runs folder of each replication, replication 0 first */
    CompareFigures(Path dir, List<Comparison.Row> rows, List<Path> runDirs) {
        this.dir = dir;
        this.workloads = rows.stream().map(Comparison.Row::workload).distinct().toList();
        this.models = rows.stream().map(Comparison.Row::model).distinct().toList();
        ObjectMapper m = new ObjectMapper();
        for (Comparison.Row r : rows) {
            String id = r.workload() + "-" + r.model();
            List<JsonNode> all = new ArrayList<>();
            for (Path runs : runDirs) {
                try {
                    all.add(m.readTree(runs.resolve(id).resolve("summary.json").toFile()));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the summary of " + id + ": " + e.getMessage(), e);
                }
            }
            summaries.put(id, all.get(0));
            replicated.put(id, all);
        }
    }

    /** Draws every figure into {@code dir}; returns them in the order the page shows them. */
    List<Figure> draw() {
        System.setProperty("java.awt.headless", "true");
        grouped("tlb-misses.png", workloads, "TLB misses per 1,000 references", "misses / 1,000 refs",
                s -> s.path("derived").path("tlbMissesPerKiloRef").asDouble(0),
                "References that missed every TLB level (page walks) per 1,000 workload references: a bar per "
                        + "model, grouped by workload.");
        grouped("flushes.png", workloads, "TLB flushes", "flushes", s -> flushes(s.path("counters")),
                "TLB flush operations of every kind (all, non-global, ASID, page, shared space) per run.");
        grouped("shootdowns.png", workloads, "TLB shootdowns", "shootdowns", s -> s.path("counters").path("shootdowns").asDouble(0),
                "Shootdowns that interrupted at least one remote CPU.");
        for (String w : workloads) {
            stacked(w);
        }
        TreeSet<String> histograms = new TreeSet<>();
        summaries.values().forEach(s -> s.path("histograms").fieldNames().forEachRemaining(histograms::add));
        for (String h : histograms) {
            // only the workloads that recorded the histogram
            List<String> with = workloads.stream().filter(w -> models.stream().anyMatch(
                    m -> p99(summaries.get(w + "-" + m), h) > 0)).toList();
            if (!with.isEmpty()) {
                grouped("p99-" + h + ".png", with, "p99 " + h, "cycles", s -> p99(s, h),
                        "99th percentile of " + h + " (cycles) per workload and model, for the workloads that "
                                + "recorded it; a missing bar: no samples.");
            }
        }
        return List.copyOf(figures);
    }

    private SweepResults.Stat stat(String id, ToDoubleFunction<JsonNode> value) {
        List<JsonNode> all = replicated.get(id);
        return SweepResults.Stat.of(all == null ? List.of() : all.stream().map(s -> value.applyAsDouble(s)).toList());
    }

    private static double flushes(JsonNode c) {
        double n = 0;
        for (String k : List.of("flush.all", "flush.nonglobal", "flush.asid", "flush.page", "flush.shared")) {
            n += c.path(k).asDouble(0);
        }
        return n;
    }

    private static double p99(JsonNode summary, String h) {
        JsonNode n = summary == null ? null : summary.path("histograms").get(h);
        return n == null || n.path("count").asLong() == 0 ? 0 : n.path("p99").asDouble();
    }

    private void grouped(String file, List<String> workloads, String title, String yTitle, ToDoubleFunction<JsonNode> value, String caption) {
        CategoryChart chart = new CategoryChartBuilder().width(1000).height(520).title(title)
                .xAxisTitle("workload").yAxisTitle(yTitle).build();
        style(chart.getStyler());
        boolean intervals = replicated.values().iterator().next().size() > 1;
        for (String model : models) {
            List<Double> y = new ArrayList<>();
            List<Double> err = new ArrayList<>();
            for (String w : workloads) {
                SweepResults.Stat st = stat(w + "-" + model, value);
                y.add(st.n() == 0 ? 0 : st.mean());
                err.add(st.ciHigh() == null ? 0 : st.ciHigh() - st.mean());
            }
            if (intervals) {
                chart.addSeries(model, workloads, y, err);
            } else {
                chart.addSeries(model, workloads, y);
            }
        }
        save(chart, file, caption + (intervals ? " Mean of " + replicated.values().iterator().next().size()
                + " replications; bars: 95% Student-t interval." : ""));
    }

    private void stacked(String workload) {
        CategoryChart chart = new CategoryChartBuilder().width(1000).height(520)
                .title(workload + ": CPU cycles by category").xAxisTitle("model").yAxisTitle("million cycles").build();
        style(chart.getStyler());
        chart.getStyler().setStacked(true);
        int series = 0;
        for (String category : CATEGORIES) {
            List<Double> y = new ArrayList<>();
            for (String model : models) {
                String c = category;
                y.add(stat(workload + "-" + model, s -> s.path("cycles").path(c).asDouble(0)).mean() / 1e6);
            }
            if (y.stream().anyMatch(v -> v > 0)) {
                chart.addSeries(category, models, y);
                series++;
            }
        }
        if (series == 0) {
            return; // a workload without CPUs (timer) spends no cycles
        }
        save(chart, "cycles-" + workload + ".png", "Every CPU's cycles of the " + workload
                + " runs, stacked by what they were spent on (summary.json \"cycles\"): a bar per model.");
    }

    private static void style(org.knowm.xchart.style.AxesChartStyler s) {
        s.setYAxisDecimalPattern("#,##0.##");
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setChartBackgroundColor(java.awt.Color.WHITE);
        s.setPlotBackgroundColor(java.awt.Color.WHITE);
    }

    private void save(CategoryChart chart, String file, String caption) {
        try {
            RunFolder.writeAtomically(dir.resolve(file), BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot draw " + file + ": " + e.getMessage(), e);
        }
        figures.add(new Figure(file, caption));
    }

    /** compare.html: compare.md's tables, the figures inline (base64), each run's config, protsim's version. */
    void page(String markdown, List<Figure> drawn) {
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>protsim compare</title><style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;"
                + "padding:0 1em}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;"
                + "padding:.25em .6em}td{text-align:right}td:first-child{text-align:left}img{max-width:100%}"
                + "figure{margin:2em 0}figcaption{color:#444}pre{background:#f6f6f6;padding:1em;overflow:auto;"
                + "font-size:12px}</style></head><body>\n");
        h.append(tables(markdown));
        h.append("<h2>Figures</h2>\n");
        for (Figure f : drawn) {
            try {
                String b64 = Base64.getEncoder().encodeToString(Files.readAllBytes(dir.resolve(f.file())));
                h.append("<figure><img alt=\"").append(escape(f.file())).append("\" src=\"data:image/png;base64,")
                        .append(b64).append("\"><figcaption>").append(escape(f.caption())).append("</figcaption></figure>\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        h.append("<h2>Configs</h2>\n");
        for (String id : summaries.keySet()) {
            try {
                String config = Files.readString(dir.resolve("runs").resolve(id).resolve("config.json"));
                h.append("<details><summary>").append(escape(id)).append("</summary><pre>").append(escape(config))
                        .append("</pre></details>\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        h.append("<p>").append(escape(version())).append("</p>\n</body></html>\n");
        RunFolder.writeAtomically(dir.resolve("compare.html"), h.toString());
    }

    /** compare.md's headings, paragraphs and pipe tables as HTML. */
    static String tables(String markdown) {
        StringBuilder h = new StringBuilder();
        boolean inTable = false;
        for (String line : markdown.split("\n")) {
            if (line.startsWith("|")) {
                String[] cells = line.substring(1, line.length() - 1).split("\\|");
                if (cells.length > 0 && cells[0].strip().startsWith("---")) {
                    continue; // the alignment row
                }
                if (!inTable) {
                    h.append("<table>\n");
                }
                String tag = inTable ? "td" : "th";
                h.append("<tr>");
                for (String c : cells) {
                    h.append('<').append(tag).append('>').append(escape(c.strip())).append("</").append(tag).append('>');
                }
                h.append("</tr>\n");
                inTable = true;
                continue;
            }
            if (inTable) {
                h.append("</table>\n");
                inTable = false;
            }
            if (line.startsWith("## ")) {
                h.append("<h2>").append(escape(line.substring(3))).append("</h2>\n");
            } else if (line.startsWith("# ")) {
                h.append("<h1>").append(escape(line.substring(2))).append("</h1>\n");
            } else if (!line.isBlank()) {
                h.append("<p>").append(escape(line.replace("`", ""))).append("</p>\n");
            }
        }
        if (inTable) {
            h.append("</table>\n");
        }
        return h.toString();
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String version() {
        Properties p = new Properties();
        try (InputStream in = CompareFigures.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // no version recorded: say so below
        }
        return "protsim " + p.getProperty("version", "unknown") + ", Java " + System.getProperty("java.version");
    }
}
