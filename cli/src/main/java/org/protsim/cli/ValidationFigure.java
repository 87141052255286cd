package org.protsim.cli;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;
import org.protsim.core.config.CoreConfig;
import org.protsim.validate.Validation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * validate's figure: each experiment's prediction over the published figure, a bar per core
 * model (1 = the published value, drawn as a line across them), with XChart, headless.
 */
final class ValidationFigure {
    private ValidationFigure() {
    }

    static void write(List<Validation.Row> rows, Path file) {
        System.setProperty("java.awt.headless", "true");
        CategoryChart chart = new CategoryChartBuilder().width(1200).height(560)
                .title("protsim / published (1 = the published figure)").xAxisTitle("experiment")
                .yAxisTitle("ratio").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setXAxisLabelRotation(30);
        List<String> ids = rows.stream().map(Validation.Row::id).toList();
        for (CoreConfig core : Validation.CORES) {
            String name = core.model().json();
            List<Double> ratios = new ArrayList<>();
            for (Validation.Row r : rows) {
                ratios.add(r.under(name).ratio());
            }
            chart.addSeries(name, ids, ratios);
        }
        // the published figure as a line across the bars, so that over and under read at a glance
        // (an annotation, not a series: a line series would take a bar's slot in every group)
        chart.addAnnotation(new org.knowm.xchart.AnnotationLine(1.0, false, false));
        chart.getStyler().setAnnotationLineColor(java.awt.Color.BLACK);
        chart.getStyler().setAnnotationLineStroke(new java.awt.BasicStroke(2f));
        try {
            Files.write(file, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot draw " + file + ": " + e.getMessage(), e);
        }
    }
}
