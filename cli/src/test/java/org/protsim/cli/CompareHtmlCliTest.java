package org.protsim.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.protsim.cli.CliTest.protsim;

/** What a user opens after compare: the mechanism tables' figures and compare.html, through the command line. */
class CompareHtmlCliTest {
    @TempDir
    Path dir;

    /** Distinct colours in a sample of the image: a blank or one-colour PNG has one or two. */
    private static int colours(BufferedImage img) {
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 4) {
            for (int x = 0; x < img.getWidth(); x += 4) {
                seen.add(img.getRGB(x, y));
            }
        }
        return seen.size();
    }

    private static int count(String s, String part) {
        return s.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    @Test
    void shouldDrawTheProxyModeFiguresAndEmbedEveryFigureTableAndRunInCompareHtml() throws IOException {
        Path out = dir.resolve("cmp");
        CliTest.Outcome o = protsim("compare", "--workloads", "proxy-share", "--models", "conventional,sasos",
                "--set", "workload.rangePages=4", "--set", "workload.refsPerClient=400", "--threads", "2",
                "--out", out.toString());
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).containsPattern("figures and compare.html [0-9.]+ s");
        List<String> mechanism = List.of("proxy-modes-cycles.png", "proxy-modes-tlb-misses.png", "proxy-modes-p99-fault.png");
        for (String f : Stream.concat(mechanism.stream(), Stream.of("tlb-misses.png", "cycles-proxy-share.png")).toList()) {
            Path png = out.resolve(f);
            assertThat(png).as(f).exists();
            BufferedImage img = ImageIO.read(png.toFile());
            assertThat(img).as(f + " is a PNG").isNotNull();
            assertThat(img.getWidth()).isEqualTo(CompareFigures.WIDTH);
            assertThat(img.getHeight()).isEqualTo(CompareFigures.HEIGHT);
            assertThat(Files.size(png)).as(f).isBetween(5_000L, 1_000_000L);
            assertThat(colours(img)).as(f + " has bars, text and a legend").isGreaterThan(8);
        }
        long pngs;
        try (Stream<Path> files = Files.list(out)) {
            pngs = files.filter(p -> p.toString().endsWith(".png")).count();
        }
        String html = Files.readString(out.resolve("compare.html"));
        // self-contained: every figure inline, nothing fetched
        assertThat(count(html, "src=\"data:image/png;base64,")).isEqualTo((int) pngs);
        assertThat(html).doesNotContain("src=\"http").doesNotContain("<link").doesNotContain("<script")
                .doesNotContain("url(").doesNotContain("href=\"http");
        // well formed as far as this page goes: every element it opens is closed
        for (String tag : List.of("table", "figure", "details", "pre", "div", "tr", "p", "h2")) {
            assertThat(count(html, "<" + tag + ">") + count(html, "<" + tag + " ")).as(tag)
                    .isEqualTo(count(html, "</" + tag + ">"));
        }
        assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
        // the run as typed, and protsim's version
        assertThat(html).contains("Command: <code>protsim compare --workloads proxy-share --models conventional,sasos "
                + "--set workload.rangePages=4").containsPattern("protsim [0-9]+\\.[0-9]+");
        // every run's config: 2 models x (compare's own map-time run + 3 more modes)
        try (Stream<Path> runs = Files.list(out.resolve("runs"))) {
            List<String> ids = runs.map(p -> p.getFileName().toString()).toList();
            assertThat(ids).hasSize(8);
            for (String id : ids) {
                assertThat(html).contains("<details><summary>" + id + "</summary>");
            }
        }
        // the model figures after the model tables, the mode table followed by its own figures
        int modelTables = html.indexOf("<h2>TLB misses per 1,000 references</h2>");
        int modelFigures = html.indexOf("<h2>" + CompareFigures.MODEL_SECTION + "</h2>");
        int modeTable = html.indexOf("<h2>proxy-share under each kernel.proxy mode</h2>");
        assertThat(modelTables).isPositive().isLessThan(modelFigures);
        assertThat(modelFigures).isLessThan(html.indexOf("id=\"tlb-misses.png\"")).isLessThan(modeTable);
        for (String f : mechanism) {
            assertThat(html.indexOf("id=\"" + f + "\"")).as(f).isGreaterThan(modeTable);
        }
        // none and map-time forward no fault to the pager: proxy.faultLatency has no sample there ("-" in the
        // table), so the p99 figure has no bar for them and says so, rather than drawing a zero
        assertThat(html).contains("No value (no bar, [-] on the axis, &quot;-&quot; in the table): conventional none, "
                + "conventional map-time, sasos none, sasos map-time.");
        assertThat(html).contains("<td>conventional</td><td>none</td>").contains("<td>sasos</td><td>pager-copy</td>");
    }

    @Test
    void shouldRepeatTheProxyModeTableUnderReplicationsAndDrawItsIntervals() throws IOException {
        Path out = dir.resolve("reps");
        CliTest.Outcome o = protsim("compare", "--workloads", "proxy-share", "--models", "conventional,sasos",
                "--set", "workload.rangePages=4", "--set", "workload.refsPerClient=400", "--replications", "2",
                "--threads", "2", "--out", out.toString());
        assertThat(o.code()).as(o.err()).isZero();
        // 2 models x 4 modes, twice: the mode table's runs repeat with the rows'
        assertThat(o.err()).contains("16/16");
        try (Stream<Path> runs = Files.list(out.resolve("runs-r1"))) {
            assertThat(runs.count()).isEqualTo(8);
        }
        String html = Files.readString(out.resolve("compare.html"));
        int figure = html.indexOf("id=\"proxy-modes-cycles.png\"");
        assertThat(figure).isPositive();
        assertThat(html.substring(figure, html.indexOf("</figure>", figure)))
                .contains("Mean of 2 replications; bars: 95% Student-t interval.");
        assertThat(html).contains("<details><summary>proxy-share-pager-copy-sasos (replication 1)</summary>");
    }
}
