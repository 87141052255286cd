package org.protsim.orchestration;

import org.apache.commons.math3.stat.regression.SimpleRegression;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.protsim.core.config.RunConfig;
import org.protsim.core.stats.HistogramSummary;
import org.protsim.core.stats.Summary;
import org.protsim.workloads.Workloads;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The PAT check cost against the number of existing mappings (issue 14's sweep): runs the points
 * of examples/pat-sweep.json (driver-dma, shared-pool, vma-walk and memtype-tree at 250 to 16,000
 * held mappings), fits each mode's mean cycles per check linearly in n and in ln n (Commons Math
 * least squares, R² each), prints the fits and draws them (XChart) to the PNG given.
 *
 * <p>{@code java -cp cli/target/protsim.jar org.protsim.orchestration.PatCostFit docs/pat-check-cost.png}
 */
public final class PatCostFit {
    static final int[] MAPPINGS = {250, 500, 1000, 2000, 4000, 8000, 16000};
    static final String BASE = "{\"kernel\": {\"dma\": {\"mode\": \"shared-pool\"}}, \"workload\": {\"type\": "
            + "\"driver-dma\", \"clientsPerDevice\": 2, \"requestsPerClient\": 20, \"refsPerRequest\": 64}}";

    private PatCostFit() {
    }

    /** One mode's fits: y = a + b n and y = c + d ln n, with R². */
    public record Fit(String mode, double linSlope, double linIntercept, double linR2, double logSlope,
                      double logIntercept, double logR2) {
    }

    private static com.fasterxml.jackson.databind.JsonNode tree() {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(BASE);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static double meanCheck(String mode, int n) {
        RunConfig c = Workloads.loader().fromTree(tree(),
                List.of("kernel.pat.mode=" + mode, "workload.extraMappings=" + n));
        Summary s = Runner.run(c).summary();
        HistogramSummary h = s.histograms().get("pat.check.latency");
        return h.mean();
    }

    public static Fit fit(String mode, int[] ns, double[] ys) {
        SimpleRegression lin = new SimpleRegression();
        SimpleRegression log = new SimpleRegression();
        for (int i = 0; i < ns.length; i++) {
            lin.addData(ns[i], ys[i]);
            log.addData(Math.log(ns[i]), ys[i]);
        }
        return new Fit(mode, lin.getSlope(), lin.getIntercept(), lin.getRSquare(), log.getSlope(), log.getIntercept(),
                log.getRSquare());
    }

    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(900).height(560)
                .title("PAT check cost against existing mappings (driver-dma, conventional)")
                .xAxisTitle("mappings held (memtype reservations)").yAxisTitle("mean CPU cycles per check").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setXAxisLogarithmic(true);
        List<Fit> fits = new ArrayList<>();
        for (String mode : List.of("vma-walk", "memtype-tree")) {
            double[] ys = new double[MAPPINGS.length];
            double[] xs = new double[MAPPINGS.length];
            for (int i = 0; i < MAPPINGS.length; i++) {
                xs[i] = MAPPINGS[i];
                ys[i] = meanCheck(mode, MAPPINGS[i]);
                System.out.printf(Locale.ROOT, "%s n=%d cycles/check=%.1f%n", mode, MAPPINGS[i], ys[i]);
            }
            Fit f = fit(mode, MAPPINGS, ys);
            fits.add(f);
            chart.addSeries(mode, xs, ys);
            System.out.printf(Locale.ROOT, "%s: linear y = %.2f + %.4f n (R² %.4f); log y = %.1f + %.1f ln n (R² %.4f)%n",
                    mode, f.linIntercept(), f.linSlope(), f.linR2(), f.logIntercept(), f.logSlope(), f.logR2());
        }
        if (args.length > 0) {
            BitmapEncoder.saveBitmap(chart, args[0], BitmapEncoder.BitmapFormat.PNG);
        }
    }
}
