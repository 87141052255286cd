package org.protsim.cli;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SweepPlotsTest {
    @Test
    void aHistogramOfOneValueShouldBeAFlatLineFromTheMedianToTheLastResolvedPercentile() {
        Histogram h = new Histogram(3);
        h.recordValueWithCount(1696, 147);
        double[][] curve = SweepPlots.percentileCurve(h);
        // x = 1/(1-p): from p = 0 (x = 1) to p = 1 - 1/147 (x = 147); 1696 is exact at 3 digits
        assertThat(curve[0][0]).isEqualTo(1.0);
        assertThat(curve[0][curve[0].length - 1]).isEqualTo(147.0);
        assertThat(curve[1]).containsOnly(1696.0);
    }

    @Test
    void aTwoValuedHistogramShouldStepWhereThePercentileCrossesItsShare() {
        Histogram h = new Histogram(3);
        h.recordValueWithCount(1600, 75);
        h.recordValueWithCount(1696, 25);
        double[][] curve = SweepPlots.percentileCurve(h);
        double[] x = curve[0];
        double[] y = curve[1];
        assertThat(x[x.length - 1]).isEqualTo(100.0);
        assertThat(y[y.length - 1]).isEqualTo(1696.0);
        for (int i = 0; i < x.length; i++) {
            if (i > 0) {
                assertThat(x[i]).isGreaterThan(x[i - 1]);
                assertThat(y[i]).isGreaterThanOrEqualTo(y[i - 1]);
            }
            // the lower 75% of samples are 1600: below the 75th percentile (x < 4) the curve is 1600,
            // beyond it (x > 4) it is 1696
            if (x[i] < 4) {
                assertThat(y[i]).as("x=%s", x[i]).isEqualTo(1600.0);
            } else if (x[i] > 4) {
                assertThat(y[i]).as("x=%s", x[i]).isEqualTo(1696.0);
            }
        }
    }
}
