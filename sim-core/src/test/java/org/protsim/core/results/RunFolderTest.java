package org.protsim.core.results;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protsim.core.stats.LatencyRecorder;
import org.protsim.core.stats.Stats;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class RunFolderTest {
    @TempDir
    Path dir;

    private static Stats stats() {
        Stats s = new Stats();
        s.counter("references", "references", "refs").add(10);
        LatencyRecorder r = s.histogram("walk.latency", "cycles", "walks");
        r.record(30);
        r.record(40);
        return s;
    }

    @Test
    void shouldWriteConfigSummaryAndBothHistogramFormats() throws IOException {
        Stats s = stats();
        Path run = dir.resolve("results/run-1");
        RunFolder.write(run, "{}\n", s.summary("finished"), s.histograms(), 0.5);
        assertThat(run.resolve("config.json")).hasContent("{}");
        assertThat(Files.readString(run.resolve("summary.json"))).contains("\"references\" : 10");
        assertThat(Files.readString(run.resolve("histograms/walk.latency.hgrm"))).contains("Percentile");
        // the .hlog decodes back to the same histogram
        try (HistogramLogReader reader = new HistogramLogReader(run.resolve("histograms/walk.latency.hlog").toFile())) {
            Histogram h = (Histogram) reader.nextIntervalHistogram();
            assertThat(h.getTotalCount()).isEqualTo(2);
            assertThat(h.getMaxValue()).isEqualTo(40);
            assertThat(h.getTag()).isEqualTo("walk.latency");
        }
    }

    @Test
    void shouldLeaveNoTemporaryFilesAndReplaceAnOldFolder() throws IOException {
        Path run = dir.resolve("run");
        Stats s = stats();
        RunFolder.write(run, "{\"a\":1}\n", s.summary("finished"), s.histograms(), 1);
        Files.writeString(run.resolve("stale.txt"), "from an older run");
        RunFolder.write(run, "{\"a\":2}\n", s.summary("finished"), s.histograms(), 1);
        assertThat(run.resolve("stale.txt")).doesNotExist();
        assertThat(run.resolve("config.json")).hasContent("{\"a\":2}");
        try (Stream<Path> l = Files.list(dir)) {
            assertThat(l.map(p -> p.getFileName().toString())).containsExactly("run");
        }
    }

    @Test
    void shouldWriteTheSameBytesForTheSameStatistics() {
        String a = RunFolder.summaryJson(stats().summary("finished"));
        String b = RunFolder.summaryJson(stats().summary("finished"));
        assertThat(a).isEqualTo(b);
        assertThat(RunFolder.log("w", stats().histogram("walk.latency").histogram(), 2.0))
                .isEqualTo(RunFolder.log("w", stats().histogram("walk.latency").histogram(), 2.0));
    }

    @Test
    void leftoversOfOneTargetShouldBeDeletedWithoutTouchingOtherWritersFiles() throws IOException {
        Path point = Files.createDirectories(dir.resolve("p0000"));
        for (String d : new String[] {".r1.tmp-123", ".r1.old-7", ".r10.tmp-5", ".r2.tmp-9", "r1x", "r0"}) {
            Files.createDirectories(point.resolve(d).resolve("histograms"));
        }
        Files.writeString(point.resolve(".keep"), "not a temporary file");
        Files.writeString(point.resolve(".r1.42.tmp"), "half a file");

        RunFolder.deleteLeftoversOf(point.resolve("r1"));
        try (Stream<Path> l = Files.list(point)) {
            // only r1's own temporaries go: not r10's (same prefix), not r2's, not finished folders
            assertThat(l.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(".r10.tmp-5", ".r2.tmp-9", "r1x", "r0", ".keep");
        }
        RunFolder.deleteLeftoversIn(point);
        try (Stream<Path> l = Files.list(point)) {
            assertThat(l.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("r1x", "r0", ".keep");
        }
    }
}
