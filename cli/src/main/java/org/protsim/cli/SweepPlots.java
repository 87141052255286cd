package org.protsim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.protsim.core.results.RunFolder;
import org.protsim.core.sweep.SweepResults;
import org.protsim.core.sweep.SweepSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A sweep's plots (XChart, PNG, drawn headless): each main figure against each numeric axis,
 * one line per model, with 95% confidence intervals as error bars (the points sharing a
 * model and an axis value, other axes pooled); each latency histogram as a percentile
 * distribution, one line per model, on a log scale of 1/(1 - percentile) as HdrHistogram's
 * own plotter draws it.
 */
final class SweepPlots {
    private static final String MODEL = "model.name";

    private SweepPlots() {
    }

    static int write(SweepResults results, Path dir) {
        System.setProperty("java.awt.headless", "true");
        RunFolder.deleteLeftoversIn(dir); // of an earlier drawing that was killed
        SweepSpec spec = results.spec();
        List<String> models = spec.axes().containsKey(MODEL)
                ? spec.axes().get(MODEL).stream().map(JsonNode::asText).toList() : List.of("all");
        List<String> numeric = new ArrayList<>();
        for (Map.Entry<String, List<JsonNode>> e : spec.axes().entrySet()) {
            if (!e.getKey().equals(MODEL) && e.getValue().stream().allMatch(JsonNode::isNumber)) {
                numeric.add(e.getKey());
            }
        }
        int written = 0;
        for (String figure : SweepResults.FIGURES) {
            if (numeric.isEmpty()) {
                CategoryChart c = byModel(results, figure, models);
                if (c != null) {
                    save(c, dir.resolve(figure + ".png"));
                    written++;
                }
            }
            for (String axis : numeric) {
                XYChart c = againstAxis(results, figure, axis, models);
                if (c != null) {
                    save(c, dir.resolve(figure + "-vs-" + axis + ".png"));
                    written++;
                }
            }
        }
        TreeSet<String> histograms = new TreeSet<>();
        results.runs().forEach(r -> histograms.addAll(r.histograms().keySet()));
        for (String h : histograms) {
            XYChart c = percentiles(results, h, models);
            if (c != null) {
                save(c, dir.resolve(h + "-percentiles.png"));
                written++;
            }
        }
        return written;
    }

    private static boolean ofModel(SweepResults.RunData r, String model) {
        JsonNode m = r.run().point().values().get(MODEL);
        return m == null || m.asText().equals(model);
    }

    private static XYChart againstAxis(SweepResults results, String figure, String axis, List<String> models) {
        TreeSet<Double> xs = new TreeSet<>();
        results.spec().axes().get(axis).forEach(v -> xs.add(v.asDouble()));
        String pooled = results.spec().axes().size() > (results.spec().axes().containsKey(MODEL) ? 2 : 1)
                ? " (other axes pooled; bars: 95% CI)" : " (bars: 95% CI over replications)";
        XYChart chart = new XYChartBuilder().width(900).height(560).title(figure + " against " + axis + pooled)
                .xAxisTitle(axis).yAxisTitle(figure).build();
        style(chart.getStyler());
        boolean any = false;
        for (String model : models) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            List<Double> err = new ArrayList<>();
            for (double v : xs) {
                List<SweepResults.RunData> group = results.runs().stream()
                        .filter(r -> ofModel(r, model) && r.run().point().values().get(axis).asDouble() == v).toList();
                SweepResults.Stat s = SweepResults.stat(group, figure);
                if (s.n() > 0) {
                    x.add(v);
                    y.add(s.mean());
                    err.add(s.ciHigh() == null ? 0 : s.ciHigh() - s.mean());
                }
            }
            if (!x.isEmpty()) {
                chart.addSeries(model, toArray(x), toArray(y), toArray(err));
                any = true;
            }
        }
        return any ? chart : null;
    }

    private static CategoryChart byModel(SweepResults results, String figure, List<String> models) {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(560).title(figure + " by model")
                .xAxisTitle("model").yAxisTitle(figure).build();
        style(chart.getStyler());
        List<String> names = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        List<Double> err = new ArrayList<>();
        for (String model : models) {
            SweepResults.Stat s = SweepResults.stat(results.runs().stream().filter(r -> ofModel(r, model)).toList(), figure);
            if (s.n() > 0) {
                names.add(model);
                y.add(s.mean());
                err.add(s.ciHigh() == null ? 0 : s.ciHigh() - s.mean());
            }
        }
        if (names.isEmpty()) {
            return null;
        }
        chart.addSeries(figure, names, y, err);
        return chart;
    }

    private static XYChart percentiles(SweepResults results, String histogram, List<String> models) {
        String unit = results.runs().stream().map(r -> r.units().get(histogram)).filter(u -> u != null).findFirst()
                .orElse("");
        XYChart chart = new XYChartBuilder().width(900).height(560)
                .title(histogram + ": percentile distribution (all points of each model merged)")
                .xAxisTitle("1 / (1 - percentile): 10 = 90%, 100 = 99%, 1000 = 99.9%")
                .yAxisTitle(histogram + (unit.isEmpty() ? "" : " (" + unit + ")")).build();
        style(chart.getStyler());
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setMarkerSize(0);
        boolean any = false;
        for (String model : models) {
            SortedMap<String, Histogram> merged = SweepResults.merged(
                    results.runs().stream().filter(r -> ofModel(r, model)).toList());
            Histogram h = merged.get(histogram);
            if (h == null || h.getTotalCount() == 0) {
                continue;
            }
            double[][] curve = percentileCurve(h);
            chart.addSeries(model, curve[0], curve[1]);
            any = true;
        }
        return any ? chart : null;
    }

    /**
     * A histogram's percentile curve as {x = 1 / (1 - percentile), y = value}: HdrHistogram's
     * percentile iteration (5 ticks per half distance), then a last point at x = count, the
     * highest percentile the samples resolve (1 - 1/count), holding the maximum. Without it a
     * histogram whose values are all equal would be one invisible point, and the tail would
     * end wherever the iteration first met the maximum.
     */
    static double[][] percentileCurve(Histogram h) {
        TreeMap<Double, Double> points = new TreeMap<>();
        for (HistogramIterationValue v : h.percentiles(5)) {
            double p = v.getPercentileLevelIteratedTo();
            if (p < 100) {
                points.put(1 / (1 - p / 100), (double) v.getValueIteratedTo());
            }
        }
        points.putIfAbsent(1.0, (double) h.getValueAtPercentile(0));
        // getMaxValue() is already the highest value equivalent to the largest sample, as the iteration's values are
        points.put(Math.max(h.getTotalCount(), points.lastKey()), (double) h.getMaxValue());
        return new double[][] {toArray(new ArrayList<>(points.keySet())), toArray(new ArrayList<>(points.values()))};
    }

    private static void style(Styler s) {
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setChartBackgroundColor(java.awt.Color.WHITE);
        s.setPlotBackgroundColor(java.awt.Color.WHITE);
    }

    private static double[] toArray(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static void save(Chart<?, ?> chart, Path file) {
        try {
            RunFolder.writeAtomically(file, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot draw " + file + ": " + e.getMessage(), e);
        }
    }
}
