package org.protsim.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line as a user meets it: exit codes, messages, and the files a run leaves. */
class CliTest {
    @TempDir
    Path dir;

    record Outcome(int code, String out, String err) {
    }

    static Outcome protsim(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path config(String name, String json) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, json);
        return f;
    }

    private static final String TIMER = "{\"seed\": %d, \"machine\": {\"cpus\": %d}, \"workload\": "
            + "{\"type\": \"timer\", \"events\": %d, \"periodCycles\": %d, \"jitterCycles\": %d}}";

    @Test
    void shouldRunTheTimerWorkloadAndWriteEveryResultFile() throws IOException {
        Path c = config("t.json", String.format(TIMER, 1, 3, 200, 1000, 0));
        Path out = dir.resolve("out");
        Outcome o = protsim("run", c.toString(), "--out", out.toString());
        assertThat(o.code()).isZero();
        assertThat(o.err()).isEmpty();
        assertThat(o.out()).contains("timer.events").contains("600");
        assertThat(out.resolve("config.json")).exists();
        assertThat(out.resolve("histograms/timer.interarrival.hgrm")).exists();
        assertThat(out.resolve("histograms/timer.interarrival.hlog")).exists();
        String summary = Files.readString(out.resolve("summary.json"));
        // 3 CPUs x 200 ticks; without jitter every gap is exactly the 1,000-cycle period, the last tick at 200,000
        assertThat(summary).contains("\"timer.events\" : 600").contains("\"simulatedCycles\" : 200000")
                .contains("\"p50\" : 1000").contains("\"max\" : 1000").contains("\"count\" : 600");
    }

    @Test
    void shouldWriteByteIdenticalSummariesForTheSameSeedAndDifferentOnesForAnother() throws IOException {
        Path a = config("a.json", String.format(TIMER, 7, 2, 500, 10_000, 3_000));
        Path b = config("b.json", String.format(TIMER, 8, 2, 500, 10_000, 3_000));
        assertThat(protsim("run", a.toString(), "--out", dir.resolve("a1").toString()).code()).isZero();
        assertThat(protsim("run", a.toString(), "--out", dir.resolve("a2").toString()).code()).isZero();
        assertThat(protsim("run", b.toString(), "--out", dir.resolve("b1").toString()).code()).isZero();
        byte[] a1 = Files.readAllBytes(dir.resolve("a1/summary.json"));
        assertThat(Files.readAllBytes(dir.resolve("a2/summary.json"))).isEqualTo(a1);
        assertThat(Files.readAllBytes(dir.resolve("b1/summary.json"))).isNotEqualTo(a1);
        assertThat(Files.readAllBytes(dir.resolve("a2/histograms/timer.interarrival.hlog")))
                .isEqualTo(Files.readAllBytes(dir.resolve("a1/histograms/timer.interarrival.hlog")));
    }

    @Test
    void shouldApplySetOverridesAndRecordThemInTheResolvedConfig() throws IOException {
        Path c = config("t.json", String.format(TIMER, 1, 1, 10, 100, 0));
        Path out = dir.resolve("o");
        assertThat(protsim("run", c.toString(), "--out", out.toString(), "--set", "machine.cpus=4").code()).isZero();
        assertThat(Files.readString(out.resolve("summary.json"))).contains("\"timer.events\" : 40"); // 4 CPUs x 10
        assertThat(Files.readString(out.resolve("config.json"))).contains("\"cpus\" : 4");
    }

    private void assertBadInput(Outcome o, String... fragments) {
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err().strip().lines().count()).as("one line on stderr: %s", o.err()).isEqualTo(1);
        assertThat(o.err()).startsWith("protsim: ").doesNotContain("Exception").doesNotContain("\tat ");
        for (String f : fragments) {
            assertThat(o.err()).contains(f);
        }
    }

    @Test
    void shouldExitTwoWithThePathForAnUnknownKeyAndWriteNothing() throws IOException {
        Path c = config("bad.json", "{\"workload\": {\"type\": \"timer\", \"evnets\": 3}}");
        Path out = dir.resolve("never");
        assertBadInput(protsim("run", c.toString(), "--out", out.toString()), "workload.evnets", "unknown key");
        assertThat(out).doesNotExist();
    }

    @Test
    void shouldExitTwoWithThePathForAWrongType() throws IOException {
        Path c = config("bad.json", "{\"machine\": {\"cpus\": \"two\"}}");
        Path out = dir.resolve("never");
        assertBadInput(protsim("run", c.toString(), "--out", out.toString()), "machine.cpus", "expected an integer");
        assertThat(out).doesNotExist();
    }

    @Test
    void shouldExitTwoWhenWaysDoNotDivideEntries() throws IOException {
        Path c = config("bad.json", "{\"machine\": {\"tlb\": {\"l1d\": {\"entries\": 64, \"ways\": 3}}}}");
        Path out = dir.resolve("never");
        assertBadInput(protsim("run", c.toString(), "--out", out.toString()),
                "machine.tlb.l1d.ways: 3 does not divide entries 64");
        assertThat(out).doesNotExist();
    }

    @Test
    void shouldExitTwoForMissingFilesBadJsonBadOptionsAndBadOverrides() throws IOException {
        assertBadInput(protsim("run", dir.resolve("absent.json").toString()), "absent.json", "no such file");
        Path broken = config("broken.json", "{\"seed\": }");
        assertBadInput(protsim("run", broken.toString()), "broken.json:1:", "invalid JSON");
        Path ok = config("ok.json", "{}");
        assertBadInput(protsim("run", ok.toString(), "--frobnicate"), "--frobnicate", "protsim run --help");
        assertBadInput(protsim("run"), "CONFIG");
        assertBadInput(protsim("bogus-command"), "bogus-command");
        assertBadInput(protsim("run", ok.toString(), "--set", "machine.cpus=-1"), "machine.cpus");
        assertBadInput(protsim("run", ok.toString(), "--set", "nonsense"), "path=value");
    }

    @Test
    void shouldPrintHelpAndVersion() {
        Outcome help = protsim("--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("Usage: protsim").contains("run");
        Outcome runHelp = protsim("run", "--help");
        assertThat(runHelp.code()).isZero();
        assertThat(runHelp.out()).contains("--out").contains("--set").contains("CONFIG");
        Outcome version = protsim("--version");
        assertThat(version.code()).isZero();
        assertThat(version.out()).startsWith("protsim ").doesNotContain("unknown");
    }

    @Test
    void shouldPrintEveryCommandsHelpWithoutFormattingWarnings() {
        // picocli treats descriptions as format strings: a lone '%' prints a warning instead of the text
        // (its tracer writes to System.err itself, not to the command's error writer)
        PrintStream systemErr = System.err;
        ByteArrayOutputStream traced = new ByteArrayOutputStream();
        System.setErr(new PrintStream(traced, true, StandardCharsets.UTF_8));
        try {
            for (String command : new String[] {"run", "compare", "sweep", "merge", "plot"}) {
                Outcome help = protsim(command, "--help");
                assertThat(help.code()).as(command).isZero();
                assertThat(help.out()).as(command).startsWith("Usage: protsim " + command);
                assertThat(help.err()).as(command).isEmpty();
            }
        } finally {
            System.setErr(systemErr);
        }
        assertThat(traced.toString(StandardCharsets.UTF_8)).doesNotContain("WARN");
        assertThat(protsim("merge", "--help").out()).contains("95% confidence interval");
    }

    @Test
    void shouldNameTheDefaultFolderAfterTheConfigAndItsResolvedHash() {
        String a = RunCommand.defaultRunId(Path.of("examples/timer.json"), "{\"x\":1}");
        String b = RunCommand.defaultRunId(Path.of("examples/timer.json"), "{\"x\":2}");
        assertThat(a).matches("timer-[0-9a-f]{8}");
        assertThat(a).isNotEqualTo(b);
        assertThat(RunCommand.defaultRunId(Path.of("x/trace.json.gz"), "{}")).startsWith("trace-");
    }
}
