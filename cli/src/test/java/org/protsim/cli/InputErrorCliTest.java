package org.protsim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.protsim.cli.CliTest.protsim;
import static org.protsim.cli.OutputSafetyCliTest.assertRefused;

/** Bad input that used to slip through or crash: one line, exit 2, the user's files as they were. */
class InputErrorCliTest {
    @TempDir
    Path dir;

    private static final String[] SMALL = {"--set", "workload.refsPerProcess=2000", "--set", "workload.processes=2"};

    private Path write(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    private CliTest.Outcome compare(Path out, String... args) {
        String[] all = new String[args.length + SMALL.length + 3];
        all[0] = "compare";
        System.arraycopy(args, 0, all, 1, args.length);
        System.arraycopy(SMALL, 0, all, 1 + args.length, SMALL.length);
        all[all.length - 2] = "--out";
        all[all.length - 1] = out.toString();
        return protsim(all);
    }

    @Test
    void compareShouldRefuseRepeatedModelsAndTwoWorkloadsOfOneName() throws IOException {
        Path out = dir.resolve("never");
        assertRefused(compare(out, "--workloads", "shared-libc", "--models", "pcid,pcid"), "--models: pcid is given twice");
        Path mine = Files.createDirectories(dir.resolve("my")).resolve("shared-libc.json");
        Files.writeString(mine, "{\"workload\": {\"type\": \"shared-libc\"}}");
        assertRefused(compare(out, "--workloads", "shared-libc," + mine, "--models", "pcid"),
                "shared-libc and " + mine + " are both named shared-libc");
        assertRefused(compare(out, "--workloads", "shared-libc,shared-libc", "--models", "pcid"),
                "shared-libc is given twice");
        assertThat(out).doesNotExist();
    }

    @Test
    void compareShouldRefuseABaselineThatIsNotRun() {
        Path out = dir.resolve("never");
        assertRefused(compare(out, "--workloads", "shared-libc", "--models", "pcid,vas", "--baseline", "conventional"),
                "--baseline conventional: not among the models run (pcid, vas)");
        assertThat(out).doesNotExist();
    }

    @Test
    void compareShouldNameTheBaselineItUsedInEveryOutput() throws IOException {
        // no conventional run: cycles are relative to the first model, shared-asid, and every file says so
        Path out = dir.resolve("c");
        CliTest.Outcome o = compare(out, "--workloads", "shared-libc", "--models", "shared-asid,vas");
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).contains("total CPU cycles relative to shared-asid").doesNotContain("conventional");
        assertThat(Files.readString(out.resolve("compare.md"))).contains("## total CPU cycles relative to shared-asid")
                .doesNotContain("conventional");
        String csv = Files.readString(out.resolve("compare.csv"));
        assertThat(csv.lines().findFirst().orElseThrow()).contains(",cyclesRelativeToSharedAsid,")
                .doesNotContain("Conventional");
        JsonNode json = new ObjectMapper().readTree(out.resolve("compare.json").toFile());
        JsonNode first = json.get("results").get(0);
        assertThat(first.get("model").asText()).isEqualTo("shared-asid");
        assertThat(first.get("cyclesRelativeToSharedAsid").asDouble()).isEqualTo(1.0); // itself / itself
        // --baseline vas: vas is 1 and shared-asid is its total over vas's, from the same runs' totals
        Path byVas = dir.resolve("v");
        CliTest.Outcome v = compare(byVas, "--workloads", "shared-libc", "--models", "shared-asid,vas", "--baseline", "vas");
        assertThat(v.code()).as(v.err()).isZero();
        JsonNode vj = new ObjectMapper().readTree(byVas.resolve("compare.json").toFile());
        Map<String, JsonNode> rows = Map.of(vj.get("results").get(0).get("model").asText(), vj.get("results").get(0),
                vj.get("results").get(1).get("model").asText(), vj.get("results").get(1));
        assertThat(rows.get("vas").get("cyclesRelativeToVas").asDouble()).isEqualTo(1.0);
        assertThat(rows.get("shared-asid").get("cyclesRelativeToVas").asDouble()).isEqualTo(
                rows.get("shared-asid").get("totalCycles").asDouble() / rows.get("vas").get("totalCycles").asDouble());
    }

    @Test
    void aResumedSweepShouldRefuseATraceThatChangedSinceItsRunsReadIt() throws IOException {
        Path trace = write("t.lackey", "I  0400,4\n L 1000,8\n S 2000,8\n");
        Path spec = write("spec.json", "{\"base\": {\"workload\": {\"type\": \"lackey\", \"bare\": true, \"path\": \""
                + trace + "\"}}, \"axes\": {\"machine.tlb.l1d.entries\": [32, 64]}}");
        Path out = dir.resolve("sweep");
        CliTest.Outcome first = protsim("sweep", spec.toString(), "--out", out.toString());
        assertThat(first.code()).as(first.err()).isZero();
        byte[] csv = Files.readAllBytes(out.resolve("sweep.csv"));
        // unchanged: the resume finds every run done
        assertThat(protsim("sweep", spec.toString(), "--out", out.toString()).out()).contains("0 run now, 2 done before");
        Files.writeString(trace, "I  0400,4\n L 1000,8\n S 3000,8\n"); // same size, another page
        assertRefused(protsim("sweep", spec.toString(), "--out", out.toString()),
                trace + " (same size, different content) changed since this sweep's first runs read it");
        Files.writeString(trace, "I  0400,4\n");
        assertRefused(protsim("sweep", spec.toString(), "--out", out.toString()), trace + " (10 bytes, was 30)");
        assertThat(Files.readAllBytes(out.resolve("sweep.csv"))).isEqualTo(csv);
    }

    @Test
    void aResumedSweepShouldRefuseABaseConfigThatChanged() throws IOException {
        Path base = write("base.json", "{\"workload\": {\"type\": \"timer\", \"events\": 10, \"jitterCycles\": 0}}");
        Path spec = write("spec.json", "{\"baseConfig\": \"base.json\", \"axes\": {\"machine.cpus\": [1, 2]}}");
        Path out = dir.resolve("sweep");
        assertThat(protsim("sweep", spec.toString(), "--out", out.toString()).code()).isZero();
        Files.writeString(base, "{\"workload\": {\"type\": \"timer\", \"events\": 11, \"jitterCycles\": 0}}");
        assertRefused(protsim("sweep", spec.toString(), "--out", out.toString()), base.toString(), "changed since");
    }

    @Test
    void shouldCutAHundredKilobyteValueAndEscapeRawBytesInTheMessage() throws IOException {
        String huge = "x".repeat(100_000);
        Path config = write("c.json", "{\"model\": {\"name\": \"" + huge + "\"}}");
        CliTest.Outcome o = protsim("run", config.toString(), "--out", dir.resolve("o").toString());
        assertRefused(o, "model.name", "characters cut");
        assertThat(o.err().length()).isLessThan(Main.MAX_MESSAGE_CHARS + 100);
        CliTest.Outcome b = protsim("run", config.toString(), "--set", "model.name=\u001b[2J\u0007bell\u0000");
        assertRefused(b, "\\x1b[2J\\x07bell\\x00");
        assertThat(b.err().chars().filter(c -> c < 0x20 && c != '\n')).isEmpty();
        assertThat(dir.resolve("o")).doesNotExist();
    }

    @Test
    void printableShouldEscapeControlsAndCutTheMiddleSayingHowMuch() {
        assertThat(Main.printable("a\nb\tc\u0001")).isEqualTo("a\\nb\\tc\\x01");
        assertThat(Main.printable("bad \ufffd byte")).isEqualTo("bad \\ufffd byte");
        String s = "start " + "y".repeat(1000) + " end";
        String p = Main.printable(s);
        // 400 kept: the first 300 and the last 50 characters, 1010 - 350 = 660 cut
        assertThat(p).startsWith("start yyy").endsWith("yyy end").contains("[... 660 characters cut ...]");
        assertThat(p).hasSize(300 + " [... 660 characters cut ...] ".length() + 50);
        assertThat(Main.printable("short")).isEqualTo("short");
    }

    @Test
    void runShouldRefuseAPrefetcherBeyondAPageAndANegativeIpiSendNamingTheirPaths() throws IOException {
        Path far = write("far.json", "{\"machine\": {\"caches\": {\"streamPrefetchLines\": 100}}, "
                + "\"workload\": {\"type\": \"timer\", \"events\": 10, \"jitterCycles\": 0}}");
        Path out = dir.resolve("never");
        // 64 lines of 64 bytes are a 4 KiB page: the streamer never runs past it
        assertRefused(protsim("run", far.toString(), "--out", out.toString()),
                "machine.caches.streamPrefetchLines: 100 is outside 0..64");
        assertRefused(protsim("run", far.toString(), "--set", "machine.caches.streamPrefetchLines=4",
                "--set", "machine.costs.ipiSendCycles=-1", "--out", out.toString()), "machine.costs.ipiSendCycles");
        assertThat(out).doesNotExist();
    }
}
