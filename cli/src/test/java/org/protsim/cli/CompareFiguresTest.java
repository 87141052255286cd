package org.protsim.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.CategorySeries;
import org.protsim.orchestration.BarFigure;
import org.protsim.orchestration.Comparison;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** compare's figures as numbers: what XChart is given to draw, and the intervals of replications. */
class CompareFiguresTest {
    @TempDir
    Path dir;

    private static BarFigure figure(Map<String, List<Double>> series, List<String> categories) {
        return new BarFigure("f.png", "s", "t", "x", "y", categories, series, false, "Caption.");
    }

    private static List<String> labels(CategorySeries s) {
        List<String> out = new ArrayList<>();
        s.getXData().forEach(x -> out.add(String.valueOf(x)));
        return out;
    }

    private static List<Double> values(CategorySeries s) {
        List<Double> out = new ArrayList<>();
        s.getYData().forEach(v -> out.add(v == null ? null : v.doubleValue()));
        return out;
    }

    @Test
    void shouldDrawAMissingValueAsNoBarMarkedOnTheAxisAndInTheCaptionNotAsZero() {
        Map<String, List<Double>> series = new LinkedHashMap<>();
        series.put("conventional", Arrays.asList(null, 3669.0));
        series.put("sasos", Arrays.asList(null, 0.0));
        CompareFigures.Drawn d = CompareFigures.render(figure(series, List.of("none", "pager-copy")), null, "Caption.");
        // the missing value reaches XChart as null (no bar), the measured zero as 0
        assertThat(values(d.chart().getSeriesMap().get("conventional"))).containsExactly(null, 3669.0);
        assertThat(values(d.chart().getSeriesMap().get("sasos"))).containsExactly(null, 0.0);
        // both series lack "none": the axis says [-] once; the zero is a value, not marked
        assertThat(labels(d.chart().getSeriesMap().get("sasos"))).containsExactly("none [-]", "pager-copy");
        assertThat(d.caption()).contains("No value (no bar, [-] on the axis, \"-\" in the table): conventional none, "
                + "sasos none.").doesNotContain("pager-copy");
    }

    @Test
    void shouldUseALogAxisWhereValuesSpanDecadesAndNameTheZerosItCannotDraw() {
        Map<String, List<Double>> series = new LinkedHashMap<>();
        // 9 .. 37,022 spans over 30x; one zero among 8 values (<= a quarter) keeps the log axis
        series.put("conventional", List.of(9.0, 28254.0, 25506.0, 5.0));
        series.put("sasos", List.of(0.0, 37022.0, 32552.0, 6.0));
        CompareFigures.Drawn d = CompareFigures.render(figure(series, List.of("aio", "fio-libaio", "fio-uring", "x")),
                null, "Caption.");
        assertThat(d.chart().getStyler().isYAxisLogarithmic()).isTrue();
        assertThat(d.chart().getStyler().getYAxisMin()).isEqualTo(1.0); // the decade below the least value, 5
        assertThat(values(d.chart().getSeriesMap().get("sasos")).get(0)).isNull();
        assertThat(labels(d.chart().getSeriesMap().get("sasos")).get(0)).isEqualTo("aio [sasos 0]");
        assertThat(d.caption()).contains("Zero (no bar on the log axis, [0] under it): sasos aio.");
        // within 30x: linear, and the zero is drawn as a zero
        Map<String, List<Double>> near = new LinkedHashMap<>();
        near.put("a", List.of(0.0, 10.0, 300.0));
        CompareFigures.Drawn linear = CompareFigures.render(figure(near, List.of("p", "q", "r")), null, "C.");
        assertThat(linear.chart().getStyler().isYAxisLogarithmic()).isFalse();
        assertThat(values(linear.chart().getSeriesMap().get("a"))).containsExactly(0.0, 10.0, 300.0);
    }

    @Test
    void shouldDrawNothingForAFigureWithoutAnyValue() {
        Map<String, List<Double>> series = new LinkedHashMap<>();
        series.put("a", Arrays.asList(null, null));
        assertThat(CompareFigures.render(figure(series, List.of("p", "q")), null, "C.")).isNull();
    }

    private void summary(String runs, String id, double tlbMissesPerKiloRef) throws IOException {
        Path d = dir.resolve(runs).resolve(id);
        Files.createDirectories(d);
        Files.writeString(d.resolve("summary.json"), "{\"derived\": {\"tlbMissesPerKiloRef\": " + tlbMissesPerKiloRef
                + "}, \"counters\": {}, \"cycles\": {}, \"histograms\": {}}");
    }

    @Test
    void shouldDrawTheMeanOfThreeReplicationsWithTheirStudentTInterval() throws IOException {
        // three replications of w-conventional: 1, 2 and 4 misses per 1,000 references
        summary("runs", "w-conventional", 1);
        summary("runs-r1", "w-conventional", 2);
        summary("runs-r2", "w-conventional", 4);
        Comparison.Row row = new Comparison.Row("w", "conventional", 1, 0, 0, 0, 1, -1, 0, 0, 0);
        CompareFigures f = new CompareFigures(dir, List.of(row),
                List.of(dir.resolve("runs"), dir.resolve("runs-r1"), dir.resolve("runs-r2")));
        CompareFigures.Bars b = f.groupedBars("tlb.png", List.of("w"), "t", "y", CompareFigures::tlbMissesPerKiloRef, "C.");
        // mean 7/3 = 2.3333; s^2 = ((1-7/3)^2 + (2-7/3)^2 + (4-7/3)^2) / 2 = (16/9 + 1/9 + 25/9) / 2 = 7/3, s = 1.5275;
        // half-width = t(0.975, 2 df) x s / sqrt(3) = 4.3027 x 1.5275 / 1.7321 = 3.7946 (t from a table of Student's t)
        assertThat(b.figure().series().get("conventional").get(0)).isCloseTo(7 / 3.0, within(1e-9));
        assertThat(b.halfWidths().get("conventional").get(0)).isCloseTo(4.302653 * Math.sqrt(7 / 3.0) / Math.sqrt(3),
                within(1e-5)).isCloseTo(3.7946, within(1e-4));
        assertThat(b.caption()).endsWith("Mean of 3 replications; bars: 95% Student-t interval.");
        // one run: no interval
        CompareFigures once = new CompareFigures(dir, List.of(row), List.of(dir.resolve("runs")));
        assertThat(once.groupedBars("tlb.png", List.of("w"), "t", "y", CompareFigures::tlbMissesPerKiloRef, "C.")
                .halfWidths()).isNull();
    }

    private static BarFigure modes(Double... conventional) {
        Map<String, List<Double>> series = new LinkedHashMap<>();
        series.put("conventional", Arrays.asList(conventional));
        return new BarFigure("proxy-modes-cycles.png", "s", "t", "x", "y", List.of("none", "pager-copy"), series, false,
                "Caption.");
    }

    @Test
    void shouldAverageAModeFigureOverItsReplicationsWithStudentTIntervals() {
        // pager-copy: 1, 2, 4 as above (mean 7/3, half-width 3.7946); none: one replication has no value, so
        // the other two, 2 and 4: mean 3, s = sqrt(2), half-width = t(0.975, 1 df) x sqrt(2) / sqrt(2) = 12.7062
        List<List<BarFigure>> reps = List.of(List.of(modes(null, 1.0)), List.of(modes(2.0, 2.0)),
                List.of(modes(4.0, 4.0)));
        CompareFigures.Bars b = CompareFigures.replicated(reps.get(0).get(0), reps);
        assertThat(b.figure().series().get("conventional").get(0)).isCloseTo(3.0, within(1e-9));
        assertThat(b.halfWidths().get("conventional").get(0)).isCloseTo(12.7062, within(1e-4));
        assertThat(b.figure().series().get("conventional").get(1)).isCloseTo(7 / 3.0, within(1e-9));
        assertThat(b.halfWidths().get("conventional").get(1)).isCloseTo(3.7946, within(1e-4));
        assertThat(b.caption()).isEqualTo("Caption. Mean of 3 replications; bars: 95% Student-t interval.");
        // a figure only replication 0 drew (driver-dma's tables run once) is drawn as it is, and says so
        CompareFigures.Bars once = CompareFigures.replicated(reps.get(0).get(0), List.of(reps.get(0), List.of()));
        assertThat(once.halfWidths()).isNull();
        assertThat(once.figure().series().get("conventional")).containsExactly(null, 1.0);
        assertThat(once.caption()).isEqualTo("Caption. One run per bar: --replications does not repeat this table.");
    }
}
