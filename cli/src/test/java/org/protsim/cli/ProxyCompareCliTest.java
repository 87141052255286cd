package org.protsim.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.protsim.cli.CliTest.protsim;

/** compare with proxy-share: the table of its kernel.proxy modes, as compare.md and the printed tables show it. */
class ProxyCompareCliTest {
    @TempDir
    Path dir;

    /**
     * Every read-only client misbehaves (readWriteFraction 0, violationRate 1): 16 attempts,
     * all allowed under none and all refused otherwise. Each client touches every page of its
     * 4-page range (uniform, 400 references: a page is missed with probability (3/4)^400): the pager
     * forwards 16 x 4 = 64 requests and, copying, holds 64 frames twice.
     */
    @Test
    void shouldSetTheThreeModesSideBySide() throws IOException {
        Path out = dir.resolve("cmp");
        CliTest.Outcome o = protsim("compare", "--workloads", "proxy-share", "--models", "conventional,sasos",
                "--set", "workload.readWriteFraction=0", "--set", "workload.violationRate=1",
                "--set", "workload.rangePages=4", "--set", "workload.refsPerClient=400", "--set", "workload.zipfExponent=0",
                "--threads", "2", "--out", out.toString());
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).contains("proxy-share under each kernel.proxy mode");
        List<String> md = Files.readAllLines(out.resolve("compare.md"));
        int head = md.indexOf("## proxy-share under each kernel.proxy mode");
        assertThat(head).isPositive();
        List<String> rows = md.subList(head + 4, head + 12);
        assertThat(rows).allMatch(r -> r.startsWith("| conventional |") || r.startsWith("| sasos |"));
        for (String model : List.of("conventional", "sasos")) {
            assertThat(cells(rows, model, "none")).endsWith("| 0 | 16 | - |");
            assertThat(cells(rows, model, "map-time")).contains("| 0 | 0 | 16 | 0 | - |");
            assertThat(cells(rows, model, "pager-copy")).contains("| 64 | 64 | 16 | 0 |");
            assertThat(cells(rows, model, "pager-shared")).contains("| 64 | 0 | 16 | 0 |");
        }
        // 2 models x (compare's own map-time run + 3 more modes)
        assertThat(Files.list(out.resolve("runs")).count()).isEqualTo(8);
    }

    private static String cells(List<String> rows, String model, String mode) {
        return rows.stream().filter(r -> r.startsWith("| " + model + " | " + mode + " |")).findFirst().orElseThrow();
    }
}
