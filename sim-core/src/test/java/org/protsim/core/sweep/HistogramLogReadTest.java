package org.protsim.core.sweep;

import org.HdrHistogram.DoubleHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protsim.core.InputError;
import org.protsim.core.results.RunFolder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.zip.Deflater;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What merge reads of a run's {@code .hlog}: its own logs back exactly, a damaged one as one input error. */
class HistogramLogReadTest {
    @TempDir
    Path dir;

    private static Histogram sample() {
        Histogram h = new Histogram(3);
        for (int v = 1; v <= 1000; v++) {
            h.recordValue(v * 17L);
        }
        return h;
    }

    private Path write(String text) throws IOException {
        Path p = dir.resolve("x.hlog");
        Files.writeString(p, text);
        return p;
    }

    /** A log line with {@code b64} as its histogram, after the header protsim writes. */
    private Path logWith(String b64) throws IOException {
        return write("#[Histogram log format version 1.3]\n\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\","
                + "\"Interval_Compressed_Histogram\"\nTag=x,0.000,1.000,0.017," + b64 + "\n");
    }

    @Test
    void shouldReadBackTheHistogramProtsimWrote() throws IOException {
        Histogram h = sample();
        Histogram back = SweepResults.readHistogram(write(RunFolder.log("x", h, 1.0)));
        assertThat(back.getTotalCount()).isEqualTo(1000);
        // the 99th of 1000 values 17, 34, ...: the 990th, 16830, within 3 significant digits
        assertThat(back.getValueAtPercentile(99)).isBetween(16_830L - 16, 16_830L + 16);
        assertThat(back).isEqualTo(h);
    }

    @Test
    void shouldReadALogWithoutIntervalsAsEmpty() throws IOException {
        assertThat(SweepResults.readHistogram(write("#[Histogram log format version 1.3]\n")).getTotalCount()).isZero();
    }

    /** The compressed V2 form with an uncompressed header patched by {@code patch}, re-deflated. */
    private static String patched(Histogram h, java.util.function.Consumer<ByteBuffer> patch) {
        ByteBuffer raw = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int n = h.encodeIntoByteBuffer(raw);
        patch.accept(raw);
        Deflater d = new Deflater();
        d.setInput(raw.array(), 0, n);
        d.finish();
        byte[] z = new byte[n + 64];
        int zn = d.deflate(z);
        d.end();
        ByteBuffer out = ByteBuffer.allocate(8 + zn);
        out.putInt(0x1c849304 | 0x10).putInt(zn).put(z, 0, zn);
        return Base64.getEncoder().encodeToString(out.array());
    }

    @Test
    void shouldRefuseAHistogramWhoseStatedSizesAreImpossibleBeforeAllocatingThem() throws IOException {
        Histogram h = sample();
        // header: cookie, payload length (offset 4), normalizing offset, digits (offset 12), lowest, highest
        Path huge = logWith(patched(h, b -> b.putInt(4, Integer.MAX_VALUE)));
        assertThatThrownBy(() -> SweepResults.readHistogram(huge)).isInstanceOf(InputError.class)
                .hasMessage(huge + ": damaged histogram: states a payload of 2147483647 bytes");
        Path digits = logWith(patched(h, b -> b.putInt(12, 9)));
        assertThatThrownBy(() -> SweepResults.readHistogram(digits)).isInstanceOf(InputError.class)
                .hasMessageStartingWith(digits + ": damaged histogram: precision 9 digits");
        ByteBuffer lying = ByteBuffer.allocate(8).putInt(0x1c849314).putInt(1 << 30);
        Path compressed = logWith(Base64.getEncoder().encodeToString(lying.array()));
        assertThatThrownBy(() -> SweepResults.readHistogram(compressed)).isInstanceOf(InputError.class)
                .hasMessage(compressed + ": damaged histogram: states 1073741824 compressed bytes, holds 0");
    }

    @Test
    void shouldRefuseTruncatedGarbledAndForeignLogsWithOneInputError() throws IOException {
        String good = RunFolder.log("x", sample(), 1.0);
        String line = good.lines().filter(l -> l.startsWith("Tag=")).findFirst().orElseThrow();
        Path truncated = write(good.replace(line, line.substring(0, line.length() - 12)));
        Path garbled = write(good.replace(line, line.replaceAll("[A-Z]", "A")));
        Path text = write("not a histogram log at all\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DoubleHistogram dh = new DoubleHistogram(3);
        dh.recordValue(1.5);
        new HistogramLogWriter(new PrintStream(bytes, true, StandardCharsets.UTF_8)).outputIntervalHistogram(dh);
        Path foreign = write(bytes.toString(StandardCharsets.UTF_8));
        for (Path p : new Path[]{truncated, garbled, text, foreign}) {
            assertThatThrownBy(() -> SweepResults.readHistogram(p)).as(p.toString()).isInstanceOf(InputError.class)
                    .hasMessageStartingWith(p + ": ");
        }
    }
}
