package org.protsim.workloads;

import java.util.SplittableRandom;

/**
 * Samples an index with given weights in O(1) per draw (Walker's alias method, in Vose's
 * numerically stable construction: "A linear algorithm for generating random numbers with a
 * given distribution", IEEE TSE 1991). Built once, shared read-only; each draw takes one
 * random long and allocates nothing, which the reference-generating hot path needs (a
 * commons-math distribution would box and search per draw).
 */
public final class AliasTable {
    private final double[] probability;
    private final int[] alias;

    public AliasTable(double[] weights) {
        int n = weights.length;
        if (n == 0) {
            throw new IllegalArgumentException("no weights");
        }
        double sum = 0;
        for (double w : weights) {
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("weight " + w);
            }
            sum += w;
        }
        probability = new double[n];
        alias = new int[n];
        double[] scaled = new double[n];
        int[] small = new int[n];
        int[] large = new int[n];
        int ns = 0;
        int nl = 0;
        for (int i = 0; i < n; i++) {
            scaled[i] = weights[i] * n / sum;
            if (scaled[i] < 1) {
                small[ns++] = i;
            } else {
                large[nl++] = i;
            }
        }
        while (ns > 0 && nl > 0) {
            int s = small[--ns];
            int l = large[--nl];
            probability[s] = scaled[s];
            alias[s] = l;
            scaled[l] = scaled[l] + scaled[s] - 1;
            if (scaled[l] < 1) {
                small[ns++] = l;
            } else {
                large[nl++] = l;
            }
        }
        while (nl > 0) {
            probability[large[--nl]] = 1;
        }
        while (ns > 0) {
            probability[small[--ns]] = 1; // rounding leftovers
        }
    }

    /** Weights 1/r^s for ranks r = 1..n: a Zipf distribution with exponent s. */
    public static AliasTable zipf(int n, double exponent) {
        double[] w = new double[n];
        for (int r = 1; r <= n; r++) {
            w[r - 1] = 1 / Math.pow(r, exponent);
        }
        return new AliasTable(w);
    }

    public int size() {
        return probability.length;
    }

    public int sample(SplittableRandom random) {
        long bits = random.nextLong();
        int column = (int) ((bits >>> 32) * probability.length >>> 32);
        double u = (bits & 0xFFFF_FFFFL) * 0x1.0p-32;
        return u < probability[column] ? column : alias[column];
    }
}
