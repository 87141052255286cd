package org.protsim.plugin;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protsim.core.plugin.PluginException;
import org.protsim.core.plugin.PluginJars;
import org.protsim.hw.Pte;
import org.protsim.hw.Tlb;
import org.protsim.workloads.Plugins;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Plugin jars as a user gives them: {@code --plugin}, {@code PROTSIM_PLUGINS}, and what is refused. */
class PluginCliTest {
    @TempDir
    Path dir;

    record Outcome(int code, String out, String err) {
    }

    static Outcome protsim(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = org.protsim.cli.Main.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A bare lackey replay: small, and it builds the TLBs (the timer workload builds no hardware). */
    private Path lackeyConfig() throws IOException {
        Path c = dir.resolve("ls.json");
        Files.writeString(c, "{\"workload\": {\"type\": \"lackey\", \"path\": \"builtin:ls.lackey.gz\", \"bare\": true}}");
        return c;
    }

    @Test
    void shouldUseAReplacementPolicyFromAPluginJarByItsName() throws IOException {
        Path jar = TestJars.policyJar(dir.resolve("fifo.jar"), FifoPolicy.class);
        Path out = dir.resolve("out");
        Outcome o = protsim("run", lackeyConfig().toString(), "--plugin", jar.toString(), "--out", out.toString(),
                "--set", "machine.tlb.l1d.replacement=fifo");
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(Files.readString(out.resolve("config.json"))).contains("\"replacement\" : \"fifo\"");
    }

    @Test
    void shouldRefuseAPluginPolicyNameWithoutThePlugin() throws IOException {
        Outcome o = protsim("run", lackeyConfig().toString(), "--out", dir.resolve("o").toString(),
                "--set", "machine.tlb.l1d.replacement=fifo");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).isEqualTo("protsim: machine.tlb.l1d.replacement: \"fifo\" is not a known replacement "
                + "policy (known: lru, plru, random)\n");
        assertThat(dir.resolve("o")).doesNotExist();
    }

    @Test
    void shouldEvictInFillOrderUnderTheLoadedFifoPolicy() throws IOException {
        Plugins p = Plugins.load(PluginJars.of(null, List.of(TestJars.policyJar(dir.resolve("f.jar"), FifoPolicy.class))));
        assertThat(p.replacementPolicies().names()).containsExactly("fifo", "lru", "plru", "random");
        Tlb t = new Tlb("t", 2, 2, 0, p.replacementPolicies().get("fifo"), new int[]{12}, new SplittableRandom(1));
        long a = 0x1000;
        long b = 0x2000;
        long c = 0x3000;
        t.fill(a, 0, 0, Pte.of(1, Pte.USER));
        t.fill(b, 0, 0, Pte.of(2, Pte.USER));
        assertThat(t.lookup(a, 0, 0)).isNotNegative(); // A used last: LRU would now evict B ...
        t.fill(c, 0, 0, Pte.of(3, Pte.USER));
        assertThat(t.probe(a, 0, 0)).isNegative();     // ... FIFO evicts A, filled first
        assertThat(t.probe(b, 0, 0)).isNotNegative();
        assertThat(t.probe(c, 0, 0)).isNotNegative();
    }

    @Test
    void shouldRefuseBadJarsInOneLineWithExitCode2() throws IOException {
        Path config = lackeyConfig();
        Path notJar = Files.writeString(dir.resolve("notes.jar"), "not a zip");
        Path empty = TestJars.jar(dir.resolve("empty.jar"), Map.of("README", "nothing"));
        Path missing = TestJars.jar(dir.resolve("missing.jar"), Map.of(
                "META-INF/services/org.protsim.hw.replacement.ReplacementPolicy", "org.example.NoSuchPolicy\n"));
        Path impostor = TestJars.policyJar(dir.resolve("impostor.jar"), FifoPolicy.Impostor.class);
        List<String[]> cases = List.of(
                new String[]{dir.resolve("nope.jar").toString(), "--plugin " + dir.resolve("nope.jar") + ": no such file"},
                new String[]{notJar.toString(), "--plugin " + notJar + ": not a jar"},
                new String[]{empty.toString(), "--plugin " + empty + ": provides no protsim extension"},
                new String[]{missing.toString(), "cannot load a replacement policy: "},
                new String[]{impostor.toString(), "replacement policy \"lru\" is registered twice: by "});
        for (String[] c : cases) {
            Path out = dir.resolve("o");
            Outcome o = protsim("run", config.toString(), "--plugin", c[0], "--out", out.toString());
            assertThat(o.code()).as(c[0]).isEqualTo(2);
            assertThat(o.err()).as(c[0]).startsWith("protsim: " + c[1]).doesNotContain("\tat ").hasLineCount(1);
            assertThat(out).doesNotExist();
        }
    }

    @Test
    void shouldRefuseAPluginModelThatClaimsABuiltInName() throws IOException {
        Path jar = TestJars.jar(dir.resolve("models.jar"), Map.of("META-INF/services/org.protsim.os.ModelProvider",
                ImpostorModels.class.getName() + "\n"));
        Outcome o = protsim("compare", "--plugin", jar.toString(), "--models", "conventional,pcid",
                "--out", dir.resolve("c").toString());
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).startsWith("protsim: protection model \"pcid\" is registered twice: by "
                + ImpostorModels.class.getName()).hasLineCount(1);
        assertThat(dir.resolve("c")).doesNotExist();
        Outcome unknown = protsim("compare", "--models", "conventional,keyed", "--out", dir.resolve("c").toString());
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).isEqualTo("protsim: --models: \"keyed\" is not one of conventional, pcid, sasos, "
                + "shared-asid, vas\n");
    }

    @Test
    void shouldLoadEachJarOnceWhenTheEnvironmentAndTheCommandLineNameIt() throws IOException {
        Path jar = TestJars.policyJar(dir.resolve("fifo.jar"), FifoPolicy.class);
        PluginJars jars = PluginJars.of(jar + java.io.File.pathSeparator + dir.resolve(".").resolve("fifo.jar"),
                List.of(jar));
        assertThat(jars.jars()).containsExactly(jar.toRealPath());
        assertThatThrownBy(() -> PluginJars.of(dir.resolve("gone.jar").toString(), List.of()))
                .isInstanceOf(PluginException.class).hasMessage("PROTSIM_PLUGINS " + dir.resolve("gone.jar") + ": no such file");
    }

    /** The environment variable, as a user sets it: a real protsim process (the JVM of this test, its class path). */
    @Test
    void shouldLoadThePluginsOfProtsimPluginsFromTheEnvironment() throws Exception {
        Path jar = TestJars.policyJar(dir.resolve("fifo.jar"), FifoPolicy.class);
        Path out = dir.resolve("env-out");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.protsim.cli.Main", "run", lackeyConfig().toString(),
                "--out", out.toString(), "--set", "machine.tlb.l2.replacement=fifo"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put(PluginJars.ENV, dir.resolve("absent.jar") + java.io.File.pathSeparator + jar);
        Process bad = pb.start();
        String badOut = new String(bad.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bad.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(bad.exitValue()).isEqualTo(2);
        assertThat(badOut).isEqualTo("protsim: PROTSIM_PLUGINS " + dir.resolve("absent.jar") + ": no such file\n");

        pb.environment().put(PluginJars.ENV, jar.toString());
        Process good = pb.start();
        String goodOut = new String(good.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(good.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(good.exitValue()).as(goodOut).isZero();
        assertThat(Files.readString(out.resolve("config.json"))).contains("\"replacement\" : \"fifo\"");
    }

    /**
     * A sweep on Slurm carries its plugins: the jars are copied into the sweep folder and every task
     * of the array is given them; the task line, run as Slurm would run it, loads them.
     */
    @Test
    void shouldCarryThePluginJarsIntoTheSlurmScriptAndItsTasks() throws Exception {
        Path jar = TestJars.policyJar(dir.resolve("fifo.jar"), FifoPolicy.class);
        Path spec = dir.resolve("spec.json");
        Files.writeString(spec, "{\"base\": {\"workload\": {\"type\": \"lackey\", \"path\": \"builtin:ls.lackey.gz\","
                + " \"bare\": true}}, \"axes\": {\"machine.tlb.l2.replacement\": [\"lru\", \"fifo\"]}, \"replications\": 1}");
        Path out = dir.resolve("cluster");
        Outcome o = protsim("sweep", spec.toString(), "--out", out.toString(), "--slurm", "1", "--plugin", jar.toString());
        assertThat(o.code()).as(o.err()).isZero();
        Path copy = out.toAbsolutePath().resolve("plugins").resolve("fifo.jar");
        assertThat(Files.readAllBytes(copy)).isEqualTo(Files.readAllBytes(jar));
        String script = Files.readString(out.resolve("sweep.sbatch"));
        assertThat(script).contains("unset PROTSIM_PLUGINS\n")
                .contains("' --plugin '" + copy + "' --shard \"${SLURM_ARRAY_TASK_ID}/1\"");
        // without the plugin the spec's fifo axis value is refused before anything is written
        Outcome refused = protsim("sweep", spec.toString(), "--out", dir.resolve("c2").toString(), "--slurm", "1");
        assertThat(refused.code()).isEqualTo(2);
        assertThat(refused.err()).contains("machine.tlb.l2.replacement").contains("\"fifo\" is not a known");

        // the task as Slurm starts it (bash, the array index in the environment), the env variable naming
        // a jar that no longer exists: the script unsets it and loads its own copy
        ProcessBuilder pb = new ProcessBuilder("bash", out.resolve("sweep.sbatch").toString()).redirectErrorStream(true);
        pb.environment().put("SLURM_ARRAY_TASK_ID", "0");
        pb.environment().put(PluginJars.ENV, dir.resolve("gone.jar").toString());
        Process task = pb.start();
        String log = new String(task.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(task.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(task.exitValue()).as(log).isZero();
        assertThat(log).contains("shard 0/1 done");
        try (var runs = Files.walk(out.resolve("points"))) {
            List<String> configs = new ArrayList<>();
            for (Path c : runs.filter(p -> p.getFileName().toString().equals("config.json")).sorted().toList()) {
                configs.add(Files.readString(c));
            }
            assertThat(configs).hasSize(2);
            assertThat(configs.get(1)).contains("\"replacement\" : \"fifo\"");
        }
    }
}
