package org.protsim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.protsim.cli.CliTest.protsim;

class CompareCliTest {
    @TempDir
    Path dir;

    private static final String[] SMALL = {"--workloads", "shared-libc,vas-switch", "--models", "conventional,shared-asid,vas",
            "--set", "workload.refsPerProcess=3000", "--set", "workload.processes=4"};

    private CliTest.Outcome compare(Path out, String threads, String... more) {
        String[] args = new String[SMALL.length + 5 + more.length];
        args[0] = "compare";
        System.arraycopy(SMALL, 0, args, 1, SMALL.length);
        args[SMALL.length + 1] = "--out";
        args[SMALL.length + 2] = out.toString();
        args[SMALL.length + 3] = "--threads";
        args[SMALL.length + 4] = threads;
        System.arraycopy(more, 0, args, SMALL.length + 5, more.length);
        return protsim(args);
    }

    @Test
    void shouldPrintTheTableAndWriteEveryFileTheSameWhateverTheThreads() throws IOException {
        // vas-switch has no refsPerProcess: the override must only reach shared-libc, so use its own file
        Path vs = dir.resolve("vas-small.json");
        Files.writeString(vs, "{\"workload\": {\"type\": \"vas-switch\", \"threads\": 2, \"dataSets\": 2, "
                + "\"dataSetPages\": 32, \"visits\": 6, \"refsPerVisit\": 500}}");
        Path sl = dir.resolve("libc-small.json");
        Files.writeString(sl, "{\"workload\": {\"type\": \"shared-libc\", \"processes\": 4, \"refsPerProcess\": 3000}}");
        String[] args = {"compare", "--workloads", sl + "," + vs, "--models", "conventional,shared-asid,vas"};
        CliTest.Outcome one = protsim(concat(args, "--out", dir.resolve("one").toString(), "--threads", "1"));
        CliTest.Outcome two = protsim(concat(args, "--out", dir.resolve("two").toString(), "--threads", "2"));
        assertThat(one.code()).as(one.err()).isZero();
        assertThat(two.code()).as(two.err()).isZero();
        assertThat(one.out()).contains("TLB misses per 1,000 references").contains("libc-small").contains("vas-small")
                .contains("shared-asid").contains("p99 fork latency");
        assertThat(one.err()).contains("6/6");
        for (String f : new String[]{"compare.md", "compare.csv", "compare.json"}) {
            assertThat(Files.readString(dir.resolve("one").resolve(f))).isEqualTo(Files.readString(dir.resolve("two").resolve(f)));
        }
        try (Stream<Path> runs = Files.list(dir.resolve("one/runs"))) {
            assertThat(runs.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    "libc-small-conventional", "libc-small-shared-asid", "libc-small-vas",
                    "vas-small-conventional", "vas-small-shared-asid", "vas-small-vas");
        }
        JsonNode json = new ObjectMapper().readTree(dir.resolve("one/compare.json").toFile());
        assertThat(json.get("results")).hasSize(6);
        for (JsonNode r : json.get("results")) {
            Path summary = dir.resolve("one/runs").resolve(r.get("workload").asText() + "-" + r.get("model").asText())
                    .resolve("summary.json");
            JsonNode s = new ObjectMapper().readTree(summary.toFile());
            assertThat(r.get("references").asLong()).isEqualTo(s.at("/counters/references").asLong());
            if (r.get("model").asText().equals("conventional")) {
                assertThat(r.get("cyclesRelativeToConventional").asDouble()).isEqualTo(1.0);
            }
        }
        assertThat(Files.readString(dir.resolve("one/compare.csv")).lines().count()).isEqualTo(7);
        figuresAndPage(dir.resolve("one"));
    }

    /** The PNGs are real images of XChart's size, and compare.html holds every one of them, the tables and the configs. */
    private static void figuresAndPage(Path out) throws IOException {
        // 3 grouped figures, a stacked one per workload (2), a p99 figure per histogram with samples
        for (String f : new String[]{"tlb-misses.png", "flushes.png", "shootdowns.png", "cycles-libc-small.png",
                "cycles-vas-small.png", "p99-contextSwitch.latency.png"}) {
            java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(out.resolve(f).toFile());
            assertThat(img).as(f).isNotNull();
            assertThat(img.getWidth()).isEqualTo(CompareFigures.WIDTH);
            assertThat(img.getHeight()).isEqualTo(CompareFigures.HEIGHT);
        }
        long pngs;
        try (Stream<Path> files = Files.list(out)) {
            pngs = files.filter(p -> p.toString().endsWith(".png")).count();
        }
        String html = Files.readString(out.resolve("compare.html"));
        assertThat(html.split("data:image/png;base64,", -1)).hasSize((int) pngs + 1);
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<th>workload</th>").contains("<td>libc-small</td>")
                .contains("<summary>vas-small-vas</summary>").contains("&quot;model&quot;").contains("protsim ")
                .doesNotContain("src=\"http").endsWith("</html>\n");
    }

    @Test
    void shouldRunReplicationsWithSeedsDerivedAsSweepsDeriveThemAndDrawTheirIntervals() throws IOException {
        Path sl = dir.resolve("libc-tiny.json");
        Files.writeString(sl, "{\"seed\": 5, \"workload\": {\"type\": \"shared-libc\", \"processes\": 3, "
                + "\"refsPerProcess\": 2000}}");
        Path out = dir.resolve("reps");
        CliTest.Outcome o = protsim("compare", "--workloads", sl.toString(), "--models", "conventional,pcid",
                "--replications", "3", "--out", out.toString());
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.err()).contains("6/6");
        ObjectMapper m = new ObjectMapper();
        // replication 0 keeps the config's seed; r > 0 gets RandomStreams.replicationSeed(5, r), as a sweep's would
        assertThat(m.readTree(out.resolve("runs/libc-tiny-pcid/config.json").toFile()).get("seed").asLong()).isEqualTo(5);
        for (int r = 1; r < 3; r++) {
            JsonNode c = m.readTree(out.resolve("runs-r" + r + "/libc-tiny-pcid/config.json").toFile());
            assertThat(c.get("seed").asLong()).isEqualTo(org.protsim.core.RandomStreams.replicationSeed(5, r))
                    .isNotEqualTo(5);
        }
        String html = Files.readString(out.resolve("compare.html"));
        assertThat(html).contains("Mean of 3 replications; bars: 95% Student-t interval.");
        CliTest.Outcome bad = protsim("compare", "--workloads", sl.toString(), "--replications", "0", "--out",
                dir.resolve("none").toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--replications");
        assertThat(dir.resolve("none")).doesNotExist();
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void shouldExitTwoForUnknownModelsWorkloadsAndBadOverridesWritingNothing() {
        Path out = dir.resolve("never");
        CliTest.Outcome m = protsim("compare", "--models", "conventional,tagged", "--out", out.toString());
        assertThat(m.code()).isEqualTo(2);
        assertThat(m.err()).contains("--models").contains("tagged");
        CliTest.Outcome w = protsim("compare", "--workloads", "fork-bomb", "--out", out.toString());
        assertThat(w.code()).isEqualTo(2);
        assertThat(w.err()).contains("fork-bomb").contains("fork-spawn");
        CliTest.Outcome s = protsim("compare", "--workloads", "shared-libc", "--set", "workload.processes=0", "--out",
                out.toString());
        assertThat(s.code()).isEqualTo(2);
        assertThat(s.err()).contains("workload shared-libc, model conventional: workload.processes");
        assertThat(out).doesNotExist();
    }

    @Test
    void straceTracesThatAreTruncatedGarbledEmptyOrMissingShouldExitTwoWithFileAndLine() throws IOException {
        Path truncated = dir.resolve("truncated.strace");
        Files.writeString(truncated, "1 10:00:00.000001 brk(NULL) = 0x1000\n1 10:00:00.000002 mmap(NULL, 81");
        Path garbled = dir.resolve("garbled.strace");
        Files.writeString(garbled, "1 10:00:00.000001 brk(NULL) = 0x1000\n\u0007\u0013#@!~\n");
        Path empty = dir.resolve("empty.strace");
        Files.writeString(empty, "");
        String[][] cases = {{truncated.toString(), ":2: "}, {garbled.toString(), ":2: "}, {empty.toString(), ":1: "},
                {dir.resolve("absent.strace").toString(), "absent.strace: no such file"}};
        for (String[] c : cases) {
            Path config = dir.resolve("s.json");
            Files.writeString(config, "{\"workload\": {\"type\": \"strace\", \"path\": \""
                    + c[0].replace("\\", "\\\\") + "\"}}");
            Path out = dir.resolve("out");
            CliTest.Outcome o = protsim("run", config.toString(), "--out", out.toString());
            assertThat(o.code()).as(c[0]).isEqualTo(2);
            assertThat(o.err()).contains(c[1]).doesNotContain("Exception");
            assertThat(o.err().strip().lines().count()).isEqualTo(1);
            assertThat(out).doesNotExist();
        }
    }
}
