package org.protsim.workloads;

import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decisions one draw per reference gives must have the distributions the separate draws had:
 * uniform fractions, independent of one another, and stretch lengths still geometric. Chi-square
 * tests (commons-math3) at the 0.1% level, on a fixed seed, so a pass is deterministic.
 */
class DrawsTest {
    private static final int N = 200_000;
    private final ChiSquareTest chi = new ChiSquareTest();

    private static long[] draws() {
        SplittableRandom r = new SplittableRandom(2026);
        long[] d = new long[N];
        for (int i = 0; i < N; i++) {
            d[i] = r.nextLong();
        }
        return d;
    }

    private static double[] flat(int bins, double total) {
        double[] e = new double[bins];
        Arrays.fill(e, total / bins);
        return e;
    }

    @Test
    void shouldGiveEachFieldAUniformFraction() {
        long[] d = draws();
        for (int field = 0; field < 3; field++) {
            long[] counts = new long[64];
            for (long bits : d) {
                double u = Draws.fraction(bits, field);
                assertThat(u).isGreaterThanOrEqualTo(0).isLessThan(1);
                counts[(int) (u * 64)]++;
            }
            assertThat(chi.chiSquareTest(flat(64, N), counts)).as("field %d", field).isGreaterThan(0.001);
        }
    }

    @Test
    void shouldGiveFieldsIndependentOfEachOther() {
        long[] d = draws();
        for (int[] pair : new int[][]{{0, 1}, {0, 2}, {1, 2}}) {
            long[][] table = new long[8][8];
            for (long bits : d) {
                table[(int) (Draws.fraction(bits, pair[0]) * 8)][(int) (Draws.fraction(bits, pair[1]) * 8)]++;
            }
            // contingency test: independence is not rejected
            assertThat(chi.chiSquareTest(table)).as("fields %d and %d", pair[0], pair[1]).isGreaterThan(0.001);
        }
    }

    @Test
    void shouldMakeADecisionOfProbabilityPTrueAFractionPOfTheTime() {
        long[] d = draws();
        long writes = 0;
        for (long bits : d) {
            if (Draws.fraction(bits, 2) < 0.3) {
                writes++;
            }
        }
        // binomial(200,000, 0.3): mean 60,000, sd sqrt(200,000 * 0.3 * 0.7) = 205; 5 sd is 1,025
        assertThat(writes).isBetween(60_000L - 1_025, 60_000L + 1_025);
    }

    @Test
    void shouldDrawAnIndexUniformBelowN() {
        long[] d = draws();
        for (int n : new int[]{7, 1000}) {
            long[] counts = new long[n];
            for (long bits : d) {
                int i = Draws.below(bits >>> 32, n);
                assertThat(i).isBetween(0, n - 1);
                counts[i]++;
            }
            assertThat(chi.chiSquareTest(flat(n, N), counts)).as("n %d", n).isGreaterThan(0.001);
        }
    }

    @Test
    void shouldKeepStretchLengthsGeometricWithTheConfiguredMean() {
        // a stretch of mean 4 words on 8-byte words: it goes on with probability 3/4 each reference,
        // so P(length k) = (1/4)(3/4)^(k-1); started at a page's first word, it never hits the page end
        // within the lengths counted here (lengths above 16 pooled)
        SplittableRandom r = new SplittableRandom(7);
        Stretch s = new Stretch(4, 8);
        long[] counts = new long[17];
        int stretches = 50_000;
        for (int i = 0; i < stretches; i++) {
            s.jump(0x10_0000L);
            int length = 1;
            while (s.proceed(r.nextLong()) >= 0) {
                length++;
            }
            counts[Math.min(length, 17) - 1]++;
        }
        double[] expected = new double[17];
        for (int k = 1; k <= 16; k++) {
            expected[k - 1] = stretches * 0.25 * Math.pow(0.75, k - 1);
        }
        expected[16] = stretches * Math.pow(0.75, 16); // P(length > 16)
        assertThat(chi.chiSquareTest(expected, counts)).isGreaterThan(0.001);
        long total = 0;
        for (int k = 0; k < 17; k++) {
            total += counts[k];
        }
        assertThat(total).isEqualTo(stretches);
    }
}
