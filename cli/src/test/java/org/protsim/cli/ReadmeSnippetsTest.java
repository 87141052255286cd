package org.protsim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * Every snippet in the top-level README, run as a newcomer would run it: the fenced blocks are
 * read from README.md itself, so a snippet that is edited is tested as edited.
 *
 * <ul>
 *   <li>{@code json} configs are run with {@code protsim run}; the summary.json excerpt must
 *       agree, value for value (to the digits shown), with the summary of the config shown
 *       before it; the sweep spec must be {@code examples/sweep.json}, which a bash line runs.</li>
 *   <li>{@code bash} lines starting with {@code ./protsim} are run as a separate
 *       {@code java ... org.protsim.cli.Main} (what the launcher execs once the jar is built) in a
 *       fresh folder holding a copy of {@code examples/}, and must exit 0. A few are slow, and
 *       run with a small override appended to the README's own arguments ({@link #SHRINK}).</li>
 *   <li>blocks of {@code $ command} and the lines it prints run the command and compare what
 *       it writes on stderr, exit code 2.</li>
 *   <li>every other line must be in {@link #EXEMPT}, with the reason it is not run here.</li>
 * </ul>
 */
class ReadmeSnippetsTest {
    static final Path ROOT = Path.of(System.getProperty("protsim.root", "..")).toAbsolutePath().normalize();
    static final ObjectMapper JSON = new ObjectMapper();

    /** Lines not run here, by prefix, and why. */
    static final Map<String, String> EXEMPT = Map.ofEntries(
            Map.entry("mvn -B verify", "the build that runs this test"),
            Map.entry("java -cp cli/target/protsim.jar org.protsim.orchestration.PatCostFit",
                    "14 runs up to 16,000 mappings and a PNG into docs/; DmaTablesTest checks the costs' growth"),
            Map.entry("./protsim compare", "every default run; ReferenceResultsTest reruns some of them "
                    + "against results/reference, CompareCliTest and AioCompareCliTest run the command on small workloads"),
            Map.entry("strace ", "needs strace and a C toolchain; what it records ships as builtin:build.strace.gz, "
                    + "which stands in for build.strace below"),
            Map.entry("./protsim plot results/sweep", "needs the whole 81-run sweep; SweepCliTest draws and redraws plots"),
            Map.entry("./protsim sweep SPEC.json", "placeholders (SPEC.json, DIR): SweepCliTest runs shards and --slurm"),
            Map.entry("./protsim merge ", "placeholders (DIR1, MERGED): SweepCliTest merges shards byte for byte"),
            Map.entry("sbatch ", "needs a Slurm cluster: .ci/slurm-integration.sh submits a real job array"),
            Map.entry("./protsim bench", "about 10 minutes of JMH; not a test (README: speed is never asserted in a test)"),
            Map.entry("mvn -B -q -DskipTests package && java -jar benchmarks/target/benchmarks.jar", "all JMH benchmarks"),
            Map.entry("java -jar benchmarks/target/benchmarks.jar", "a JMH benchmark"),
            Map.entry("java -cp benchmarks/target/benchmarks.jar org.protsim.bench.SideBySide",
                    "two builds side by side: needs the jar of an older build (SideBySideTest runs it on itself)"),
            Map.entry("JAZZER_FUZZ=1 mvn", "a 10-minute fuzzing session; mvn -B verify replays every target's corpus"),
            Map.entry("mvn install", "installs into ~/.m2; integration's ExamplePluginTest lays the same modules out in "
                    + "a temporary repository"),
            Map.entry("(cd examples/plugin && mvn package)", "ExamplePluginTest builds examples/plugin with Maven, offline"),
            Map.entry("./protsim run examples/lackey-ls.json --plugin", "needs the example plugin built: "
                    + "ExamplePluginTest runs it with the jar it built"),
            Map.entry("./protsim run examples/shared-libc.json --plugin", "needs the example plugin built: "
                    + "ExamplePluginTest runs its kernel.l1d-flush with the jar it built"),
            Map.entry("export PROTSIM_PLUGINS", "PluginCliTest runs protsim with PROTSIM_PLUGINS set"));

    /**
     * Slow commands: the README's arguments, then these, which keep the command's meaning and
     * cut its work (fewer forks, references or runs).
     */
    static final Map<String, List<String>> SHRINK = Map.of(
            "./protsim run examples/fork-storm.json", List.of("--set", "workload.forks=40"),
            "./protsim run examples/shared-libc.json", List.of("--set", "workload.refsPerProcess=20000"),
            "./protsim run examples/strace-build.json", List.of("--set", "workload.refsPerMicrosecond=1"),
            "./protsim run examples/driver-dma.json", List.of("--set", "workload.requestsPerClient=50"),
            // 2 of the 14 points
            "./protsim sweep examples/pat-sweep.json --out results/pat-sweep", List.of("--shard", "0/7"),
            "./protsim run examples/proxy-share.json", List.of("--set", "workload.refsPerClient=5000"),
            // every one of the 81 points is still planned and checked; 3 of them run
            "./protsim sweep examples/sweep.json", List.of("--shard", "0/27"));

    record Block(String lang, int line, List<String> lines) {
    }

    record Outcome(int code, String out, String err) {
    }

    static List<Block> blocks;

    @TempDir
    Path work;

    @BeforeAll
    static void readReadme() throws IOException {
        blocks = new ArrayList<>();
        List<String> lines = Files.readAllLines(ROOT.resolve("README.md"));
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.startsWith("```")) {
                String lang = l.substring(3).strip();
                int start = i + 1;
                List<String> body = new ArrayList<>();
                for (i++; !lines.get(i).startsWith("```"); i++) {
                    body.add(lines.get(i));
                }
                blocks.add(new Block(lang, start, body));
            }
        }
    }

    static List<Block> blocks(String lang) {
        return blocks.stream().filter(b -> b.lang().equals(lang)).toList();
    }

    /** A folder as a user's: a copy of examples/, and build.strace as the strace line would leave it. */
    private Path userFolder() throws IOException {
        try (Stream<Path> files = Files.walk(ROOT.resolve("examples"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path to = work.resolve(ROOT.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(
                ROOT.resolve("workloads/src/main/resources/traces/build.strace.gz")))) {
            Files.copy(in, work.resolve("build.strace"), StandardCopyOption.REPLACE_EXISTING);
        }
        return work;
    }

    /** {@code ./protsim ARGS} in {@code dir}: the CLI's main class in a JVM of its own. */
    static Outcome protsim(Path dir, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xss4m", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args);
        try {
            Path out = Files.createTempFile(dir, "stdout", ".txt");
            Path err = Files.createTempFile(dir, "stderr", ".txt");
            Process p = new ProcessBuilder(cmd).directory(dir.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                fail("timed out: ./protsim " + String.join(" ", args));
            }
            return new Outcome(p.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static List<String> words(String command, String where) {
        assertThat(command).as(where + ": quoting is not understood here").doesNotContain("\"", "'", "$", "*");
        return Arrays.asList(command.strip().split("\\s+"));
    }

    private static String exemption(String command) {
        return EXEMPT.keySet().stream().filter(command::startsWith).findFirst().orElse(null);
    }

    @Test
    void everyProtsimCommandInTheReadmeShouldRunAsShown() throws IOException {
        Path dir = userFolder();
        int ran = 0;
        for (Block b : blocks("bash")) {
            for (int i = 0; i < b.lines().size(); i++) {
                String where = "README.md:" + (b.line() + i + 1);
                String command = b.lines().get(i).replaceFirst("\\s+#.*$", "").strip();
                if (command.isEmpty() || exemption(command) != null) {
                    continue;
                }
                assertThat(command).as(where + ": neither run here nor exempt").startsWith("./protsim ");
                List<String> args = new ArrayList<>(words(command, where).subList(1, words(command, where).size()));
                SHRINK.entrySet().stream().filter(e -> command.startsWith(e.getKey())).findFirst()
                        .ifPresent(e -> args.addAll(e.getValue()));
                Outcome o = protsim(dir, args);
                assertThat(o.code()).as(where + ": ./protsim " + String.join(" ", args) + "\n" + o.err()).isZero();
                assertThat(o.err()).as(where).doesNotContain("Exception");
                ran++;
            }
        }
        // the lackey, strace, workload and sweep examples: 2 + 1 + 2 + 1
        assertThat(ran).isGreaterThanOrEqualTo(6);
    }

    @Test
    void everyExemptionShouldStillNameALineOfTheReadme() {
        List<String> commands = blocks("bash").stream().flatMap(b -> b.lines().stream())
                .map(l -> l.replaceFirst("\\s+#.*$", "").strip()).toList();
        for (String prefix : EXEMPT.keySet()) {
            assertThat(commands).as("exempt prefix no README line starts with").anyMatch(c -> c.startsWith(prefix));
        }
        for (String prefix : SHRINK.keySet()) {
            assertThat(commands).as("shrunk command no README line starts with").anyMatch(c -> c.startsWith(prefix));
        }
    }

    @Test
    void theErrorShownShouldBeTheErrorPrinted() throws IOException {
        Path dir = userFolder();
        int shown = 0;
        for (Block b : blocks("")) {
            if (b.lines().isEmpty() || !b.lines().get(0).startsWith("$ ./protsim ")) {
                continue;
            }
            String where = "README.md:" + (b.line() + 1);
            List<String> w = words(b.lines().get(0).substring(2), where);
            Outcome o = protsim(dir, w.subList(1, w.size()));
            assertThat(o.code()).as(where).isEqualTo(2);
            assertThat(o.err().strip()).as(where).isEqualTo(String.join("\n", b.lines().subList(1, b.lines().size())));
            shown++;
        }
        assertThat(shown).isPositive();
    }

    @Test
    void everyJsonSnippetShouldLoadRunOrMatchWhatItShows() throws IOException {
        Path dir = userFolder();
        JsonNode lastSummary = null;
        int configs = 0;
        int summaries = 0;
        int specs = 0;
        for (Block b : blocks("json")) {
            String where = "README.md:" + (b.line() + 1);
            String text = String.join("\n", b.lines());
            if (text.contains("\"stopReason\"")) {
                assertThat(lastSummary).as(where + ": a summary excerpt with no config before it").isNotNull();
                assertShows(lenient(text, where), lastSummary, where, "");
                summaries++;
            } else if (text.contains("\"axes\"")) {
                // the spec shown is the one the sweep line runs
                assertThat(JSON.readTree(text)).as(where + " must be examples/sweep.json")
                        .isEqualTo(JSON.readTree(ROOT.resolve("examples/sweep.json").toFile()));
                specs++;
            } else {
                Path config = dir.resolve("readme-" + b.line() + ".json");
                Files.writeString(config, text);
                Path out = dir.resolve("readme-" + b.line());
                Outcome o = protsim(dir, List.of("run", config.getFileName().toString(), "--out", out.toString()));
                assertThat(o.code()).as(where + "\n" + o.err()).isZero();
                lastSummary = JSON.readTree(out.resolve("summary.json").toFile());
                configs++;
            }
        }
        assertThat(configs).isPositive();
        assertThat(summaries).isPositive();
        assertThat(specs).isPositive();
    }

    /** The excerpt as JSON: "..." stands for keys left out, and an object of only "..." for any object. */
    static JsonNode lenient(String text, String where) throws IOException {
        String t = text.replaceAll("\\{\\s*\\.\\.\\.[^{}]*\\}", "{}").replaceAll(",\\s*\\.\\.\\.\\s*", " ");
        try {
            return JSON.readTree(t);
        } catch (IOException e) {
            throw new AssertionError(where + ": the excerpt is not JSON once its ... are taken out: " + t, e);
        }
    }

    /** Every value the excerpt shows is in the real summary, numbers to the digits shown. */
    static void assertShows(JsonNode shown, JsonNode real, String where, String path) {
        assertThat(real).as(where + ": " + path + " is not in the summary").isNotNull();
        if (shown.isObject()) {
            assertThat(real.isObject()).as(where + ": " + path + " is not an object").isTrue();
            for (Iterator<Map.Entry<String, JsonNode>> it = shown.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                assertShows(e.getValue(), real.get(e.getKey()), where, path + "/" + e.getKey());
            }
        } else if (shown.isNumber()) {
            BigDecimal s = shown.decimalValue();
            BigDecimal r = real.decimalValue().setScale(Math.max(s.scale(), 0), java.math.RoundingMode.HALF_EVEN);
            assertThat(r).as(where + ": " + path).isEqualByComparingTo(s);
        } else {
            assertThat(real).as(where + ": " + path).isEqualTo(shown);
        }
    }

    @Test
    void theLenientReadingShouldKeepWhatIsShownAndDropOnlyTheEllipses() throws IOException {
        JsonNode n = lenient("{ \"a\": { \"x\": 1, ... }, \"b\": { ... anything, here }, \"c\": 2.5 }", "t");
        assertThat(n.toString()).isEqualTo("{\"a\":{\"x\":1},\"b\":{},\"c\":2.5}");
        // 10006.3 shown, 10006.3482 measured: equal to the digit shown; 10006.4 would not be
        assertShows(JSON.readTree("{\"m\": 10006.3}"), JSON.readTree("{\"m\": 10006.3482, \"n\": 1}"), "t", "");
        assertThatThrownBy(() -> assertShows(JSON.readTree("{\"m\": 10006.4}"), JSON.readTree("{\"m\": 10006.3482}"),
                "t", "")).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> assertShows(JSON.readTree("{\"k\": 1}"), JSON.readTree("{\"j\": 1}"), "t", ""))
                .isInstanceOf(AssertionError.class);
    }
}
