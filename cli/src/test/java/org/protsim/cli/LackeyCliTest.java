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
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.protsim.cli.CliTest.protsim;

/** {@code protsim run} of lackey configs, as a user runs them. */
class LackeyCliTest {
    @TempDir
    Path dir;

    /** The traces ship inside the workloads jar on this module's class path: read their source files. */
    static Path trace(String name) throws URISyntaxException {
        return Path.of("..", "workloads", "src", "main", "resources", "traces", name).toAbsolutePath().normalize();
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

    /**
     * A real fragment of the ls recording (its first 3000 lines) with three references no
     * process can reach put in its middle: one at 2^47 (the first non-canonical address), one
     * near 2^64 and one below the 64 KiB the replayed process keeps unmapped. Replayed in the
     * kernel, the whole fragment is read (3003 lines), the three are counted as unreachable and
     * every other reference completes: as many as the same fragment without them replays bare.
     */
    @Test
    void shouldReplayAWholeKernelTraceCountingUnreachableReferencesInTheTable() throws Exception {
        List<String> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(trace("ls.lackey.gz"))), StandardCharsets.ISO_8859_1))) {
            for (String l; lines.size() < 3000 && (l = in.readLine()) != null; ) {
                lines.add(l);
            }
        }
        Path clean = dir.resolve("ls-fragment.lackey");
        Files.write(clean, lines, StandardCharsets.ISO_8859_1);
        List<String> withStrays = new ArrayList<>(lines);
        withStrays.addAll(1500, List.of(" L 800000000000,8", " S ffffffffffffff00,8", " L 00000100,4"));
        Path stray = dir.resolve("ls-unreachable.lackey");
        Files.write(stray, withStrays, StandardCharsets.ISO_8859_1);

        Files.writeString(dir.resolve("bare.json"), "{\"workload\": {\"type\": \"lackey\", \"bare\": true, \"path\": \""
                + clean.toString().replace("\\", "\\\\") + "\"}}");
        CliTest.Outcome bare = protsim("run", dir.resolve("bare.json").toString(), "--out", dir.resolve("b").toString());
        assertThat(bare.code()).as(bare.err()).isZero();
        long references = new ObjectMapper().readTree(dir.resolve("b/summary.json").toFile())
                .at("/counters/references").asLong();
        assertThat(references).isGreaterThan(2000);

        Files.writeString(dir.resolve("kernel.json"), "{\"workload\": {\"type\": \"lackey\", \"bare\": false, "
                + "\"path\": \"" + stray.toString().replace("\\", "\\\\") + "\"}}");
        CliTest.Outcome o = protsim("run", dir.resolve("kernel.json").toString(), "--out", dir.resolve("k").toString());
        assertThat(o.code()).as(o.err()).isZero();
        JsonNode s = new ObjectMapper().readTree(dir.resolve("k/summary.json").toFile());
        assertThat(s.get("stopReason").asText()).isEqualTo("finished");
        assertThat(s.at("/counters/trace.lines").asLong()).isEqualTo(3003);
        assertThat(s.at("/counters/trace.unreachable").asLong()).isEqualTo(3);
        assertThat(s.at("/counters/references").asLong()).isEqualTo(references);
        assertThat(s.at("/counters/faults.segv").asLong()).isZero();
        assertThat(o.out()).containsPattern("trace\\.unreachable +3\\n");
    }
}
