package org.protsim.bench;

import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protsim.hw.Cpu;
import org.protsim.os.RefBuffer;
import org.protsim.workloads.trace.LackeyReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RandomTraceTest {
    @TempDir
    Path dir;

    @Test
    void shouldWriteTheSameBytesForTheSameSeedAndOthersForAnother() throws IOException {
        Path a = dir.resolve("a.gz");
        Path b = dir.resolve("b.gz");
        Path c = dir.resolve("c.gz");
        RandomTrace.write(a, 10_000, RandomTrace.GIB, 17);
        RandomTrace.write(b, 10_000, RandomTrace.GIB, 17);
        RandomTrace.write(c, 10_000, RandomTrace.GIB, 18);
        assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
        assertThat(Files.readAllBytes(a)).isNotEqualTo(Files.readAllBytes(c));
    }

    @Test
    void shouldParseAsLackeyWordsUniformOverTheSpanWithAQuarterStores() throws IOException {
        int n = 64_000;
        Path t = dir.resolve("t.gz");
        RandomTrace.write(t, n, RandomTrace.GIB, 17);
        int buckets = 64; // 16 MiB each
        long[] counts = new long[buckets];
        long stores = 0;
        long refs = 0;
        RefBuffer buf = new RefBuffer(4096);
        try (LackeyReader r = LackeyReader.open(t)) {
            while (r.fill(buf)) {
                for (int i = 0; i < buf.count; i++) {
                    long offset = buf.addresses[i] - RandomTrace.BASE;
                    assertThat(offset).isBetween(0L, RandomTrace.GIB - 8);
                    assertThat(offset % 8).isZero();
                    assertThat(buf.sizes[i]).isEqualTo(8);
                    counts[(int) (offset / (RandomTrace.GIB / buckets))]++;
                    if (buf.accesses[i] == Cpu.WRITE) {
                        stores++;
                    }
                    refs++;
                }
            }
            assertThat(r.ignoredLines()).isZero();
        }
        assertThat(refs).isEqualTo(n);
        double[] expected = new double[buckets];
        Arrays.fill(expected, (double) n / buckets); // 1,000 each
        // uniform addresses: the chi-square test does not reject at the 0.1% level
        assertThat(new ChiSquareTest().chiSquareTest(expected, counts)).isGreaterThan(0.001);
        // stores: binomial(64,000, 1/4), mean 16,000, sd sqrt(64,000 * 0.25 * 0.75) = 110; 5 sd is 548
        assertThat(stores).isBetween(16_000L - 548, 16_000L + 548);
    }

    @Test
    void shouldRefuseASpanThatIsNotAPowerOfTwo() {
        assertThatThrownBy(() -> RandomTrace.write(dir.resolve("x.gz"), 1, 3L << 20, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("power of two");
    }
}
