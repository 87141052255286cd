package org.protsim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.protsim.cli.CliTest.protsim;

/** {@code protsim run} of lackey configs, as a user runs them. */
class LackeyCliTest {
    @TempDir
    Path dir;

    static Path trace(String name) throws URISyntaxException {
        return Path.of(LackeyCliTest.class.getResource("/traces/" + name).toURI());
    }

    private Path config(Path trace) throws IOException {
        Path c = dir.resolve("lackey.json");
        Files.writeString(c, "{\"workload\": {\"type\": \"lackey\", \"path\": \"" + trace.toString().replace("\\", "\\\\")
                + "\", \"bare\": true}}");
        return c;
    }

    /**
     * L1 TLB lookups counted from the trace alone: a reference looks up each 4 KiB page it spans,
     * once, in order (a bare replay maps a page the first time a walk reaches it, so nothing is
     * looked up twice).
     */
    static long[] l1Lookups(Path trace) throws IOException {
        long iLookups = 0;
        long dLookups = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(trace)), StandardCharsets.ISO_8859_1))) {
            String line;
            while ((line = in.readLine()) != null) {
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("==")) {
                    continue;
                }
                String[] p = t.split("[ ,]+");
                long va = Long.parseUnsignedLong(p[1], 16);
                long last = va + Integer.parseInt(p[2]) - 1;
                long pages = (last >>> 12) - (va >>> 12) + 1;
                if (p[0].equals("I")) {
                    iLookups += pages;
                } else {
                    dLookups += pages;
                }
            }
        }
        return new long[]{iLookups, dLookups};
    }

    @Test
    void shouldRunALackeyTraceFromTheCommandLineWithConsistentCounters() throws Exception {
        Path t = trace("matwalk-shuffle250k.lackey.gz");
        Path out = dir.resolve("out");
        CliTest.Outcome o = protsim("run", config(t).toString(), "--out", out.toString());
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).contains("references").contains("tlbMissesPerKiloRef");
        JsonNode c = new ObjectMapper().readTree(out.resolve("summary.json").toFile()).get("counters");
        long[] expected = l1Lookups(t);
        assertThat(c.get("tlb.l1i.hits").asLong() + c.get("tlb.l1i.misses").asLong()).isEqualTo(expected[0]);
        assertThat(c.get("tlb.l1d.hits").asLong() + c.get("tlb.l1d.misses").asLong()).isEqualTo(expected[1]);
        assertThat(c.get("tlb.l2.hits").asLong() + c.get("tlb.l2.misses").asLong())
                .isEqualTo(c.get("tlb.l1i.misses").asLong() + c.get("tlb.l1d.misses").asLong());
        assertThat(c.get("walks").asLong()).isEqualTo(c.get("tlb.l2.misses").asLong());
        assertThat(out.resolve("histograms/walk.latency.hgrm")).exists();
        JsonNode config = new ObjectMapper().readTree(out.resolve("config.json").toFile());
        assertThat(config.at("/workload/type").asText()).isEqualTo("lackey");
    }

    @Test
    void shouldExitTwoNamingFileAndLineOfAMalformedTraceAndWriteNothing() throws IOException {
        Path bad = dir.resolve("bad.lackey");
        Files.writeString(bad, "I  0400,4\n L 1000,8\noops\n");
        Path out = dir.resolve("never");
        CliTest.Outcome o = protsim("run", config(bad).toString(), "--out", out.toString());
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).startsWith("protsim: " + bad + ":3: ").doesNotContain("Exception");
        assertThat(out).doesNotExist();
    }

    @Test
    void shouldExitTwoForAnEmptyOrMissingTrace() throws IOException {
        Path empty = dir.resolve("empty.lackey");
        Files.writeString(empty, "==1== nothing traced\n");
        CliTest.Outcome o = protsim("run", config(empty).toString(), "--out", dir.resolve("a").toString());
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains(empty + ":2: no references");
        CliTest.Outcome missing = protsim("run", config(dir.resolve("absent.gz")).toString(), "--out",
                dir.resolve("b").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("workload.path").contains("absent.gz: no such file");
        assertThat(dir.resolve("a")).doesNotExist();
        assertThat(dir.resolve("b")).doesNotExist();
    }
}
