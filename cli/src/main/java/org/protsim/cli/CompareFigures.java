package org.protsim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;
import org.protsim.core.results.RunFolder;
import org.protsim.core.sweep.SweepResults;
import org.protsim.orchestration.BarFigure;
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

/**
 * The pictures of a comparison (XChart, PNG, drawn headless) and {@code compare.html}, one
 * self-contained page with every table of compare.md, each followed by its figures (inline), the
 * config of every run, protsim's version and the command line. Model figures: TLB misses per
 * 1,000 references, flushes and shootdowns (grouped bars: workloads, a bar per model); per
 * workload, each model's cycles stacked by category; the p99 of every latency histogram the runs
 * recorded. Mechanism figures: the mode and DMA tables as bars ({@link BarFigure}, computed with
 * the tables). Values come from each run's {@code summary.json}; with replications, the bars
 * (the model figures' and the proxy and kernel.ukva mode figures') are the mean over them with a
 * 95% Student-t interval as error bars (the sweeps' {@link SweepResults.Stat}), the stacked
 * cycles the mean; driver-dma's tables run once, and their figures say so. A value that does not exist (no
 * samples, a refused run) is drawn as no bar and named in the caption, never as a zero.
 */
final class CompareFigures {
    /** summary.json's cycle categories, in the order they are stacked. */
    static final List<String> CATEGORIES = List.of("useful", "tlb", "walk", "cache", "plb", "flush", "shootdown",
            "fault", "syscall", "copy", "switch");

    /** The section the model figures stand in, after the model tables. */
    static final String MODEL_SECTION = "Figures of the model tables";

    static final int WIDTH = 1200;
    static final int HEIGHT = 560;

    /** A figure drawn: its file, the section (table heading) it belongs to, and what it shows. */
    record Figure(String file, String section, String caption) {
    }

    private final Path dir;
    private final List<String> workloads;
    private final List<String> models;
    private final List<Path> runDirs;
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
        this.runDirs = List.copyOf(runDirs);
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

    private int replications() {
        return runDirs.size();
    }

    /**
     * Draws the model figures, then the mechanism figures, into {@code dir}; returns them in the
     * order the page shows them.
     *
     * @param mechanism each replication's mechanism figures, replication 0's first
     */
    List<Figure> draw(List<List<BarFigure>> mechanism) {
        System.setProperty("java.awt.headless", "true");
        grouped("tlb-misses.png", workloads, "TLB misses per 1,000 references", "misses / 1,000 refs",
                CompareFigures::tlbMissesPerKiloRef,
                "References that missed every TLB level (page walks) per 1,000 workload references: a bar per "
                        + "model, grouped by workload.");
        grouped("flushes.png", workloads, "TLB flushes", "flushes", s -> flushes(s.path("counters")),
                "TLB flush operations of every kind (all, non-global, ASID, page, shared space) per run.");
        grouped("shootdowns.png", workloads, "TLB shootdowns", "shootdowns",
                s -> s.path("counters").path("shootdowns").asDouble(0),
                "Shootdowns that interrupted at least one remote CPU.");
        for (String w : workloads) {
            stacked(w);
        }
        TreeSet<String> histograms = new TreeSet<>();
        summaries.values().forEach(s -> s.path("histograms").fieldNames().forEachRemaining(histograms::add));
        for (String h : histograms) {
            // only the workloads that recorded the histogram
            List<String> with = workloads.stream().filter(w -> models.stream().anyMatch(
                    m -> p99(summaries.get(w + "-" + m), h) != null)).toList();
            if (!with.isEmpty()) {
                grouped("p99-" + h + ".png", with, "p99 " + h, "cycles", s -> p99(s, h),
                        "99th percentile of " + h + " (cycles) per workload and model, for the workloads that "
                                + "recorded it.");
            }
        }
        for (BarFigure f : mechanism.get(0)) {
            Bars b = replicated(f, mechanism);
            bars(b.figure(), b.halfWidths(), b.caption());
        }
        return List.copyOf(figures);
    }

    /**
     * Replication 0's figure {@code f} as the mean over every replication that drew it (the
     * proxy and kernel.ukva mode tables repeat; driver-dma's run once, and say so), with a 95%
     * Student-t half-width per bar where there are two values or more.
     */
    static Bars replicated(BarFigure f, List<List<BarFigure>> mechanism) {
        List<BarFigure> all = new ArrayList<>();
        for (List<BarFigure> r : mechanism) {
            r.stream().filter(x -> x.file().equals(f.file())).findFirst().ifPresent(all::add);
        }
        if (all.size() < 2) {
            String once = mechanism.size() > 1 ? " One run per bar: --replications does not repeat this table." : "";
            return new Bars(f, null, f.caption() + once);
        }
        Map<String, List<Double>> mean = new LinkedHashMap<>();
        Map<String, List<Double>> half = new LinkedHashMap<>();
        for (String series : f.series().keySet()) {
            List<Double> m = new ArrayList<>();
            List<Double> h = new ArrayList<>();
            for (int i = 0; i < f.categories().size(); i++) {
                int k = i;
                SweepResults.Stat st = SweepResults.Stat.of(all.stream().map(x -> x.series().get(series).get(k)).toList());
                m.add(st.n() == 0 ? null : st.mean());
                h.add(st.ciHigh() == null ? 0 : st.ciHigh() - st.mean());
            }
            mean.put(series, m);
            half.put(series, h);
        }
        return new Bars(new BarFigure(f.file(), f.section(), f.title(), f.xTitle(), f.yTitle(), f.categories(), mean,
                f.stacked(), f.caption()), f.stacked() ? null : half, f.caption() + " Mean of " + all.size()
                + " replications" + (f.stacked() ? "." : "; bars: 95% Student-t interval."));
    }

    /** A number of summary.json, null if it is absent or not a number (NaN is written as null). */
    private static Double number(JsonNode n) {
        return n.isNumber() ? n.asDouble() : null;
    }

    /** The mean and interval of {@code value} over the replications that have one; null if none has. */
    private SweepResults.Stat stat(String id, java.util.function.Function<JsonNode, Double> value) {
        List<JsonNode> all = replicated.get(id);
        List<Double> v = all == null ? List.of() : all.stream().map(value).filter(java.util.Objects::nonNull).toList();
        return v.isEmpty() ? null : SweepResults.Stat.of(v);
    }

    private static double flushes(JsonNode c) {
        double n = 0;
        for (String k : List.of("flush.all", "flush.nonglobal", "flush.asid", "flush.page", "flush.shared")) {
            n += c.path(k).asDouble(0);
        }
        return n;
    }

    private static Double p99(JsonNode summary, String h) {
        JsonNode n = summary == null ? null : summary.path("histograms").get(h);
        return n == null || n.path("count").asLong() == 0 ? null : n.path("p99").asDouble();
    }

    /** A figure's bars and, with replications, each bar's interval half-width (null: one run). */
    record Bars(BarFigure figure, Map<String, List<Double>> halfWidths, String caption) {
    }

    private void grouped(String file, List<String> workloads, String title, String yTitle,
                         java.util.function.Function<JsonNode, Double> value, String caption) {
        Bars b = groupedBars(file, workloads, title, yTitle, value, caption);
        bars(b.figure(), b.halfWidths(), b.caption());
    }

    /**
     * A bar per model for each workload: the mean of {@code value} over the replications, and
     * with more than one its 95% Student-t interval; null where no replication has a value.
     */
    Bars groupedBars(String file, List<String> workloads, String title, String yTitle,
                     java.util.function.Function<JsonNode, Double> value, String caption) {
        Map<String, List<Double>> series = new LinkedHashMap<>();
        Map<String, List<Double>> err = new LinkedHashMap<>();
        for (String model : models) {
            List<Double> y = new ArrayList<>();
            List<Double> e = new ArrayList<>();
            for (String w : workloads) {
                SweepResults.Stat st = stat(w + "-" + model, value);
                y.add(st == null ? null : st.mean());
                e.add(st == null || st.ciHigh() == null ? 0 : st.ciHigh() - st.mean());
            }
            series.put(model, y);
            err.put(model, e);
        }
        boolean intervals = replications() > 1;
        return new Bars(new BarFigure(file, MODEL_SECTION, title, "workload", yTitle, workloads, series, false, caption),
                intervals ? err : null, caption + (intervals ? " Mean of " + replications()
                        + " replications; bars: 95% Student-t interval." : ""));
    }

    /** summary.json's TLB misses per 1,000 references; null if the run made no references. */
    static Double tlbMissesPerKiloRef(JsonNode summary) {
        return number(summary.path("derived").path("tlbMissesPerKiloRef"));
    }

    private void stacked(String workload) {
        Map<String, List<Double>> series = new LinkedHashMap<>();
        for (String category : CATEGORIES) {
            List<Double> y = new ArrayList<>();
            for (String model : models) {
                SweepResults.Stat st = stat(workload + "-" + model, s -> s.path("cycles").path(category).asDouble(0));
                y.add(st == null ? 0 : st.mean() / 1e6);
            }
            if (y.stream().anyMatch(v -> v > 0)) {
                series.put(category, y);
            }
        }
        if (series.isEmpty()) {
            return; // a workload without CPUs (timer) spends no cycles
        }
        String caption = "Every CPU's cycles of the " + workload + " runs, stacked by what they were spent on "
                + "(summary.json \"cycles\"): a bar per model." + (replications() > 1 ? " Mean of " + replications()
                + " replications." : "");
        bars(new BarFigure("cycles-" + workload + ".png", MODEL_SECTION, workload + ": CPU cycles by category",
                "model", "million cycles", models, series, true, caption), null, caption);
    }

    /**
     * Draws {@code f}: bars side by side (or stacked), {@code err} half-widths as error bars if
     * given. A null value is no bar (NaN, which XChart skips, where error bars are drawn) and is
     * named in the caption. The y axis is logarithmic where the positive values span more than
     * 30x and at most a quarter of the values are zero (a zero has no bar there either, so the
     * caption names those too); never with error bars, which XChart 3.8 misplaces on a log axis.
     */
    void bars(BarFigure f, Map<String, List<Double>> err, String caption) {
        Drawn d = render(f, err, caption);
        if (d == null) {
            return; // nothing to draw: the table says "-" throughout
        }
        try {
            RunFolder.writeAtomically(dir.resolve(f.file()), BitmapEncoder.getBitmapBytes(d.chart(), BitmapEncoder.BitmapFormat.PNG));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot draw " + f.file() + ": " + e.getMessage(), e);
        }
        figures.add(new Figure(f.file(), f.section(), d.caption()));
    }

    /** A chart ready to encode, and its caption completed with what has no bar. */
    record Drawn(CategoryChart chart, String caption) {
    }

    /** {@code f} as an XChart chart (see {@link #bars}); null if it has no value at all. */
    static Drawn render(BarFigure f, Map<String, List<Double>> err, String caption) {
        List<Double> present = f.series().values().stream().flatMap(List::stream)
                .filter(java.util.Objects::nonNull).toList();
        if (present.isEmpty()) {
            return null;
        }
        double min = present.stream().mapToDouble(Double::doubleValue).filter(v -> v > 0).min().orElse(0);
        double max = present.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        long zeros = present.stream().filter(v -> v == 0).count();
        boolean log = err == null && !f.stacked() && min > 0 && max / min > 30 && zeros * 4 <= present.size();
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(f.title())
                .xAxisTitle(f.xTitle()).yAxisTitle(f.yTitle() + (log ? " (log scale)" : "")).build();
        org.knowm.xchart.style.CategoryStyler s = chart.getStyler();
        s.setYAxisDecimalPattern("#,##0.##");
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setChartBackgroundColor(java.awt.Color.WHITE);
        s.setPlotBackgroundColor(java.awt.Color.WHITE);
        s.setStacked(f.stacked());
        s.setLegendVisible(f.series().size() > 1);
        if (log) {
            s.setYAxisLogarithmic(true);
            s.setYAxisMin(Math.pow(10, Math.floor(Math.log10(min)))); // bars rise from a decade below the least
            s.setYAxisMax(Math.pow(10, Math.ceil(Math.log10(max)))); // and the tallest has a labelled decade above it
        }
        boolean labels = present.size() <= 16 && !f.stacked();
        int digits = max >= 100 ? 0 : 2; // XChart writes labels with the y axis pattern: round the values instead
        if (labels) {
            s.setLabelsVisible(true); // few bars: their values are readable on them
            s.setLabelsFontColorAutomaticEnabled(false);
            s.setLabelsFontColor(java.awt.Color.BLACK);
        }
        List<String> zero = new ArrayList<>();
        // the axis says what has no bar: "none [-]", "aio per-task [sasos -]", "fork-spawn [sasos 0]" on a log axis
        List<List<String>> marks = new ArrayList<>();
        f.categories().forEach(c -> marks.add(new ArrayList<>()));
        for (Map.Entry<String, List<Double>> e : f.series().entrySet()) {
            for (int i = 0; i < e.getValue().size(); i++) {
                Double v = e.getValue().get(i);
                if (v == null || (log && v == 0)) {
                    marks.get(i).add((f.series().size() == 1 ? "" : e.getKey() + " ") + (v == null ? "-" : "0"));
                }
            }
        }
        List<String> categories = new ArrayList<>();
        for (int i = 0; i < f.categories().size(); i++) {
            List<String> m = marks.get(i);
            boolean allMissing = m.size() == f.series().size() && m.stream().allMatch(x -> x.endsWith("-"));
            categories.add(m.isEmpty() ? f.categories().get(i) : f.categories().get(i) + " ["
                    + (allMissing ? "-" : String.join(", ", m)) + "]");
        }
        if (categories.stream().mapToInt(String::length).sum() * 8 > WIDTH - 300) {
            s.setXAxisLabelRotation(30); // long or many names would run into each other
        }
        for (Map.Entry<String, List<Double>> e : f.series().entrySet()) {
            List<Double> y = new ArrayList<>(e.getValue());
            if (labels) {
                // rounded as the tables round (half up), so that a label reads as its table cell
                y.replaceAll(v -> v == null ? null : java.math.BigDecimal.valueOf(v)
                        .setScale(digits, java.math.RoundingMode.HALF_UP).doubleValue());
            }
            if (log) {
                for (int i = 0; i < y.size(); i++) {
                    if (y.get(i) != null && y.get(i) == 0) {
                        y.set(i, null);
                        zero.add(f.series().size() == 1 ? f.categories().get(i) : e.getKey() + " " + f.categories().get(i));
                    }
                }
            }
            if (y.stream().allMatch(java.util.Objects::isNull)) {
                continue; // XChart cannot size a series without values; the caption names them
            }
            if (err != null) {
                chart.addSeries(e.getKey(), categories, y.stream().map(v -> v == null ? Double.NaN : v).toList(),
                        err.get(e.getKey()));
            } else {
                chart.addSeries(e.getKey(), categories, y);
            }
        }
        List<String> missing = f.missing();
        String full = caption + (log ? " Logarithmic y axis." : "")
                + (zero.isEmpty() ? "" : " Zero (no bar on the log axis, [0] under it): " + String.join(", ", zero) + ".")
                + (missing.isEmpty() ? "" : " No value (no bar, [-] on the axis, \"-\" in the table): " + String.join(", ", missing) + ".");
        return new Drawn(chart, full);
    }

    /**
     * compare.html: compare.md's sections in order, each table followed by its figures (inline,
     * base64), the model figures after the model tables; then every run's config (collapsed),
     * protsim's version and the command line.
     */
    void page(String markdown, List<Figure> drawn, String commandLine) {
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>protsim compare</title><style>body{font-family:sans-serif;max-width:1300px;margin:2em auto;"
                + "padding:0 1em;color:#222}.scroll{overflow-x:auto}table{border-collapse:collapse;margin:1em 0;"
                + "font-size:13px}td,th{border:1px solid #ccc;padding:.2em .45em;white-space:nowrap}th{background:#f3f3f3}"
                + "td{text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}img{max-width:100%}"
                + "figure{margin:2em 0}figcaption{color:#444}pre{background:#f6f6f6;padding:1em;overflow:auto;"
                + "font-size:12px}code{background:#f3f3f3;padding:0 .2em}.meta{color:#555}</style></head><body>\n");
        java.util.Set<String> mechanism = new java.util.LinkedHashSet<>();
        drawn.stream().map(Figure::section).filter(x -> !x.equals(MODEL_SECTION)).forEach(mechanism::add);
        List<String> sections = sections(markdown);
        boolean modelFiguresShown = false;
        for (int i = 0; i < sections.size(); i++) {
            String heading = heading(sections.get(i));
            if (!modelFiguresShown && mechanism.contains(heading)) {
                modelFigures(h, drawn); // the model tables end where the first mechanism table begins
                modelFiguresShown = true;
            }
            h.append(tables(sections.get(i)));
            if (i == 0) {
                h.append("<p class=\"meta\">Command: <code>").append(escape(commandLine)).append("</code><br>")
                        .append(escape(version())).append("</p>\n");
            }
            if (mechanism.contains(heading)) {
                figures(h, drawn, heading);
            }
        }
        if (!modelFiguresShown) {
            modelFigures(h, drawn);
        }
        h.append("<h2>Configs of the runs</h2>\n<p>Each run's config.json, as it ran (replications differ only in "
                + "their seed).</p>\n");
        for (int r = 0; r < runDirs.size(); r++) {
            List<Path> runs;
            try (var list = Files.list(runDirs.get(r))) {
                runs = list.filter(Files::isDirectory).sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (Path run : runs) {
                try {
                    String config = Files.readString(run.resolve("config.json"));
                    String id = run.getFileName().toString() + (r == 0 ? "" : " (replication " + r + ")");
                    h.append("<details><summary>").append(escape(id)).append("</summary><pre>").append(escape(config))
                            .append("</pre></details>\n");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        h.append("</body></html>\n");
        RunFolder.writeAtomically(dir.resolve("compare.html"), h.toString());
    }

    private void modelFigures(StringBuilder h, List<Figure> drawn) {
        h.append("<h2>").append(MODEL_SECTION).append("</h2>\n");
        figures(h, drawn, MODEL_SECTION);
    }

    private void figures(StringBuilder h, List<Figure> drawn, String section) {
        for (Figure f : drawn) {
            if (!f.section().equals(section)) {
                continue;
            }
            try {
                String b64 = Base64.getEncoder().encodeToString(Files.readAllBytes(dir.resolve(f.file())));
                h.append("<figure id=\"").append(escape(f.file())).append("\"><img alt=\"").append(escape(f.file()))
                        .append("\" src=\"data:image/png;base64,").append(b64).append("\"><figcaption><b>")
                        .append(escape(f.file())).append("</b>: ").append(escape(f.caption()))
                        .append("</figcaption></figure>\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** compare.md cut before each "## " heading; the first part is the title and introduction. */
    static List<String> sections(String markdown) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : markdown.split("\n")) {
            if (line.startsWith("## ") && cur.length() > 0) {
                out.add(cur.toString());
                cur.setLength(0);
            }
            cur.append(line).append('\n');
        }
        out.add(cur.toString());
        return out;
    }

    private static String heading(String section) {
        for (String line : section.split("\n")) {
            if (line.startsWith("## ")) {
                return line.substring(3).strip();
            }
        }
        return "";
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
                    h.append("<div class=\"scroll\"><table>\n");
                }
                String tag = inTable ? "td" : "th";
                h.append("<tr>");
                for (String c : cells) {
                    String v = c.strip();
                    h.append('<').append(tag).append(inTable && NUMBER.matcher(v).matches() ? " class=\"n\"" : "")
                            .append('>').append(escape(v)).append("</").append(tag).append('>');
                }
                h.append("</tr>\n");
                inTable = true;
                continue;
            }
            if (inTable) {
                h.append("</table></div>\n");
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
            h.append("</table></div>\n");
        }
        return h.toString();
    }

    /** A table cell that is a number (or "-", no number), aligned right. */
    private static final java.util.regex.Pattern NUMBER = java.util.regex.Pattern.compile("-|[-+]?[0-9][0-9,]*(\\.[0-9]+)?%?x?");

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
