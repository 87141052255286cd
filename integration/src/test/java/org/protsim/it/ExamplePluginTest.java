package org.protsim.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.protsim.cli.Main;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * examples/plugin as a researcher uses it: built by Maven against protsim's published modules
 * (offline), then loaded by {@code protsim run --plugin} and {@code protsim compare --plugin}.
 */
class ExamplePluginTest {
    @TempDir
    static Path work;

    static Path pluginJar;

    record Outcome(int code, String out, String err) {
    }

    static Outcome protsim(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @BeforeAll
    static void buildTheExampleWithMaven() throws Exception {
        Path repo = PublishedModules.repository(Files.createDirectory(work.resolve("repo")));
        Path project = work.resolve("plugin");
        copyTree(PublishedModules.root().resolve("examples").resolve("plugin"), project);
        Path log = work.resolve("mvn.log");
        Process mvn = new ProcessBuilder("mvn", "-o", "-B", "-q", "-Dmaven.repo.local=" + repo, "-f",
                project.resolve("pom.xml").toString(), "package")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(mvn.waitFor(5, TimeUnit.MINUTES)).as("mvn package of examples/plugin finished").isTrue();
        assertThat(mvn.exitValue()).as(Files.readString(log)).isZero();
        pluginJar = project.resolve("target").resolve("protsim-example-plugin-1.0.0.jar");
        assertThat(pluginJar).isRegularFile();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path rel = from.relativize(p);
                if (rel.startsWith("target")) {
                    continue; // a build the developer made in place
                }
                Path q = to.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    @Test
    void shouldPublishEveryModuleWithItsSourcesAndJavadoc() throws IOException {
        try (ZipFile src = new ZipFile(PublishedModules.jar("sim-hw", "sources").toFile());
             ZipFile doc = new ZipFile(PublishedModules.jar("sim-hw", "javadoc").toFile())) {
            assertThat(src.getEntry("org/protsim/hw/replacement/ReplacementPolicy.java")).isNotNull();
            assertThat(doc.getEntry("org/protsim/hw/replacement/ReplacementPolicy.html")).isNotNull();
        }
        for (String m : PublishedModules.MODULES) {
            assertThat(PublishedModules.jar(m, "sources")).isRegularFile();
            assertThat(PublishedModules.jar(m, "javadoc")).isRegularFile();
        }
    }

    @Test
    void shouldRunWithTheExamplesReplacementPolicy() throws IOException {
        Path config = work.resolve("ls.json");
        Files.writeString(config, "{\"workload\": {\"type\": \"lackey\", \"path\": \"builtin:ls.lackey.gz\", \"bare\": true}}");
        Path out = work.resolve("srrip");
        Outcome o = protsim("run", config.toString(), "--plugin", pluginJar.toString(), "--out", out.toString(),
                "--set", "machine.tlb.l2.replacement=srrip");
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(Files.readString(out.resolve("config.json"))).contains("\"replacement\" : \"srrip\"");
        assertThat(Files.readString(out.resolve("summary.json"))).contains("\"tlb.l2.misses\"");
    }

    /**
     * Fork storm under keyed-tlb with the kernel's audit on: after every operation no TLB entry may
     * map a page its key's address space no longer reaches (forks write-protect, children exit and
     * their keys die), so the model is sound, not only fast.
     */
    @Test
    void shouldRunTheExamplesModelUnderTheAudit() throws IOException {
        Path config = work.resolve("fork.json");
        Files.writeString(config, "{\"kernel\": {\"audit\": true}, \"workload\": {\"type\": \"fork-storm\","
                + " \"parents\": 2, \"residentPages\": 64, \"forks\": 40, \"childRefs\": 2000, \"imagePages\": 16,"
                + " \"parentRefsPerFork\": 200}}");
        Path out = work.resolve("keyed");
        Outcome o = protsim("run", config.toString(), "--plugin", pluginJar.toString(), "--out", out.toString(),
                "--set", "model.name=keyed-tlb");
        assertThat(o.code()).as(o.err()).isZero();
        String summary = Files.readString(out.resolve("summary.json"));
        assertThat(summary).contains("\"forks\" : 40").contains("\"keyed.rollovers\" : 0");
        assertThat(Files.readString(out.resolve("config.json")))
                .contains("\"model\" : {\n    \"name\" : \"keyed-tlb\",\n    \"keyBits\" : 12\n  }");
    }

    @Test
    void shouldCheckTheExamplesModelKeysAsStrictlyAsTheBuiltIns() throws IOException {
        Path config = work.resolve("strict.json");
        Files.writeString(config, "{\"model\": {\"name\": \"keyed-tlb\", \"asidSlots\": 4}}");
        Outcome o = protsim("run", config.toString(), "--plugin", pluginJar.toString(), "--out",
                work.resolve("strict").toString());
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).isEqualTo("protsim: model.asidSlots: unknown key (known keys: keyBits, name)\n");
        Outcome without = protsim("run", config.toString(), "--out", work.resolve("strict").toString());
        assertThat(without.code()).isEqualTo(2);
        assertThat(without.err()).startsWith("protsim: model.name: \"keyed-tlb\" is not one of conventional, pcid,");
        assertThat(work.resolve("strict")).doesNotExist();
    }

    /**
     * compare --plugin puts keyed-tlb beside the built-ins. shared-libc runs 16 processes on 2 CPUs
     * and neither forks, unmaps nor changes rights: conventional flushes at every switch to another
     * process, pcid too (16 address spaces are more than its 6 slots per CPU), while keyed-tlb hands
     * 16 of its 4,095 keys out and so, by construction, issues no flush at all: no switch flushes,
     * no invalidation happens, no rollover is needed.
     */
    @Test
    void shouldCompareTheExamplesModelWithTheBuiltIns() throws IOException {
        Path out = work.resolve("compare");
        Outcome o = protsim("compare", "--plugin", pluginJar.toString(), "--models", "conventional,pcid,keyed-tlb",
                "--workloads", "shared-libc", "--set", "workload.refsPerProcess=20000", "--out", out.toString());
        assertThat(o.code()).as(o.err()).isZero();
        List<String> csv = Files.readAllLines(out.resolve("compare.csv"));
        List<String> header = List.of(csv.get(0).split(","));
        int model = header.indexOf("model");
        int flushes = header.indexOf("flushes");
        int references = header.indexOf("references");
        assertThat(model).isNotNegative();
        assertThat(flushes).isNotNegative();
        java.util.Map<String, String[]> rows = new java.util.HashMap<>();
        for (String line : csv.subList(1, csv.size())) {
            String[] f = line.split(",");
            rows.put(f[model], f);
        }
        assertThat(rows).containsOnlyKeys("conventional", "pcid", "keyed-tlb");
        assertThat(Long.parseLong(rows.get("conventional")[flushes])).isPositive();
        assertThat(Long.parseLong(rows.get("pcid")[flushes])).isPositive();
        assertThat(Long.parseLong(rows.get("keyed-tlb")[flushes])).isZero();
        // the same work under every model: 16 processes x 20,000 references
        assertThat(Long.parseLong(rows.get("keyed-tlb")[references])).isEqualTo(16L * 20_000);
        assertThat(rows.get("keyed-tlb")[references]).isEqualTo(rows.get("conventional")[references]);
        assertThat(Files.readString(out.resolve("compare.md"))).contains("keyed-tlb");
    }

    // ------------------------------------------------------------------ the example's kernel mechanism

    private static final ObjectMapper JSON = new ObjectMapper();

    /** shared-libc, 4 single-threaded processes on the 2 CPUs, never blocking, forking or unmapping. */
    private static Path sharedLibc(String name, int processes, String kernel) throws IOException {
        Path config = work.resolve(name + ".json");
        Files.writeString(config, "{" + kernel + "\"workload\": {\"type\": \"shared-libc\", \"processes\": "
                + processes + ", \"refsPerProcess\": 20000}}");
        return config;
    }

    private static JsonNode counters(Path runFolder) throws IOException {
        return JSON.readTree(runFolder.resolve("summary.json").toFile()).get("counters");
    }

    private static long counter(JsonNode counters, String name) {
        assertThat(counters.has(name)).as(name).isTrue();
        return counters.get(name).asLong();
    }

    /**
     * The flushes' arithmetic, as the mechanism's comment states it: each costs fixedCycles (100) plus
     * cyclesPerDirtyLine (1) per dirty line written back, and invalidates at most the L1D's
     * 32 KiB / 64 B = 512 lines, of which the dirty ones are a part.
     */
    private static void assertFlushArithmetic(JsonNode c) {
        long flushes = counter(c, "l1dFlush.flushes");
        long dirty = counter(c, "l1dFlush.dirtyLines");
        assertThat(counter(c, "l1dFlush.cycles")).isEqualTo(100 * flushes + dirty);
        assertThat(dirty).isPositive().isLessThanOrEqualTo(counter(c, "l1dFlush.lines"));
        assertThat(counter(c, "l1dFlush.lines")).isLessThanOrEqualTo(512 * flushes);
        // the write-backs are the L1D's own: they count in its writebacks too
        assertThat(counter(c, "cache.l1d.writebacks")).isGreaterThanOrEqualTo(dirty);
    }

    /**
     * shared-libc run whole within a quantum: after a flush the next process makes all its 20,000
     * references, spread over its 64 private pages (4,096 lines) and the libraries, far more than the
     * L1D's 32 KiB / 64 B = 512 lines, so the L1D is full at every switch: each flush invalidates all
     * 512 lines. (Not so under preemption: a task resumed for its last few references may fill less.)
     */
    private static void assertFullAtEveryFlush(JsonNode c) {
        assertThat(counter(c, "l1dFlush.lines")).isEqualTo(512 * counter(c, "l1dFlush.flushes"));
    }

    /**
     * kernel.l1d-flush selected in the config file. Every process of shared-libc is one task that
     * never blocks, so every switch a CPU makes goes from a task of one process to another's, except
     * the first on each CPU (nothing ran before it): 2 CPUs give flushes = contextSwitches - 2.
     */
    @Test
    void shouldFlushTheL1dAtEverySwitchBetweenAddressSpacesWhenTheConfigSelectsTheExamplesMechanism()
            throws IOException {
        Path config = sharedLibc("l1d", 4, "\"kernel\": {\"l1d-flush\": {\"mode\": \"msr\"}}, ");
        Path out = work.resolve("l1d");
        Outcome o = protsim("run", config.toString(), "--plugin", pluginJar.toString(), "--out", out.toString());
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(Files.readString(out.resolve("config.json"))).contains("\"audit\" : false,\n"
                + "    \"l1d-flush\" : {\n      \"mode\" : \"msr\",\n      \"fixedCycles\" : 100,\n"
                + "      \"cyclesPerDirtyLine\" : 1\n    }\n  },");
        JsonNode with = counters(out);
        assertThat(counter(with, "l1dFlush.flushes")).isPositive()
                .isEqualTo(counter(with, "contextSwitches") - 2);
        assertFlushArithmetic(with);
        assertFullAtEveryFlush(with);

        Path off = work.resolve("l1d-off");
        Outcome o2 = protsim("run", sharedLibc("l1d-off", 4, "").toString(), "--plugin", pluginJar.toString(),
                "--out", off.toString());
        assertThat(o2.code()).as(o2.err()).isZero();
        JsonNode without = counters(off);
        assertThat(without.has("l1dFlush.flushes")).isFalse(); // mode none: no mechanism at all
        // each process finishes within its first quantum (20,000 references, a 3,000,000-cycle quantum), so both
        // runs switch as often; the flushes are charged as switch time, so that grows by exactly their cycles
        assertThat(counter(with, "contextSwitches")).isEqualTo(counter(without, "contextSwitches"));
        long switchWith = JSON.readTree(out.resolve("summary.json").toFile()).get("cycles").get("switch").asLong();
        long switchWithout = JSON.readTree(off.resolve("summary.json").toFile()).get("cycles").get("switch").asLong();
        assertThat(switchWith).isEqualTo(switchWithout + counter(with, "l1dFlush.cycles"));
    }

    /**
     * One process never switches to another address space: the mechanism is on but never flushes,
     * and the run is the run without it, counter for counter (its own four counters aside, all 0).
     */
    @Test
    void shouldChangeNothingForASingleProcess() throws IOException {
        Path on = work.resolve("l1d-one");
        Path off = work.resolve("l1d-one-off");
        assertThat(protsim("run", sharedLibc("l1d-one", 1, "\"kernel\": {\"l1d-flush\": {\"mode\": \"msr\"}}, ")
                .toString(), "--plugin", pluginJar.toString(), "--out", on.toString()).code()).isZero();
        assertThat(protsim("run", sharedLibc("l1d-one-off", 1, "").toString(), "--plugin", pluginJar.toString(),
                "--out", off.toString()).code()).isZero();
        com.fasterxml.jackson.databind.node.ObjectNode with =
                (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(on.resolve("summary.json").toFile());
        com.fasterxml.jackson.databind.node.ObjectNode counters =
                (com.fasterxml.jackson.databind.node.ObjectNode) with.get("counters");
        for (String n : List.of("l1dFlush.flushes", "l1dFlush.lines", "l1dFlush.dirtyLines", "l1dFlush.cycles")) {
            assertThat(counters.remove(n).asLong()).as(n).isZero();
        }
        JsonNode without = JSON.readTree(off.resolve("summary.json").toFile());
        assertThat(with.get("counters")).isEqualTo(without.get("counters"));
        assertThat(with.get("cycles")).isEqualTo(without.get("cycles"));
    }

    /** The plugin's mode record is checked as strictly as the built-ins': one line, exit 2, the path named, no output. */
    @Test
    void shouldRefuseBadKernelMechanismSettingsWithTheirPath() throws IOException {
        Path config = sharedLibc("l1d-bad", 2, "");
        Path out = work.resolve("l1d-bad");
        Outcome key = protsim("run", config.toString(), "--plugin", pluginJar.toString(), "--out", out.toString(),
                "--set", "kernel.l1d-flush.mode=msr", "--set", "kernel.l1d-flush.queueDepth=4");
        assertThat(key.code()).isEqualTo(2);
        assertThat(key.err()).isEqualTo("protsim: kernel.l1d-flush.queueDepth: unknown key (known keys: "
                + "cyclesPerDirtyLine, fixedCycles, mode)\n");
        Outcome value = protsim("run", config.toString(), "--plugin", pluginJar.toString(), "--out", out.toString(),
                "--set", "kernel.l1d-flush.mode=msr", "--set", "kernel.l1d-flush.fixedCycles=-5");
        assertThat(value.code()).isEqualTo(2);
        assertThat(value.err()).isEqualTo("protsim: kernel.l1d-flush.fixedCycles: -5 is outside 0..1000000\n");
        Outcome mode = protsim("run", config.toString(), "--plugin", pluginJar.toString(), "--out", out.toString(),
                "--set", "kernel.l1d-flush.mode=wbinvd");
        assertThat(mode.code()).isEqualTo(2);
        assertThat(mode.err()).isEqualTo("protsim: kernel.l1d-flush.mode: \"wbinvd\" is not one of none, msr\n");
        Outcome noPlugin = protsim("run", config.toString(), "--out", out.toString(),
                "--set", "kernel.l1d-flush.mode=msr");
        assertThat(noPlugin.code()).isEqualTo(2);
        assertThat(noPlugin.err()).isEqualTo("protsim: kernel.l1d-flush: unknown key (known keys: audit, "
                + "lookaheadCycles, quantumCycles, refsPerEntry, textPages; mechanism switches: dma, pat, proxy, ukva)\n");
        assertThat(out).doesNotExist();
    }

    /** compare --plugin with the mechanism selected by --set: every model's run flushes at its switches. */
    @Test
    void shouldCompareTheModelsWithTheExamplesMechanismOn() throws IOException {
        Path out = work.resolve("compare-l1d");
        Outcome o = protsim("compare", "--plugin", pluginJar.toString(), "--models", "conventional,pcid,keyed-tlb",
                "--workloads", "shared-libc", "--set", "workload.refsPerProcess=20000",
                "--set", "kernel.l1d-flush.mode=msr", "--out", out.toString());
        assertThat(o.code()).as(o.err()).isZero();
        for (String model : List.of("conventional", "pcid", "keyed-tlb")) {
            Path run = out.resolve("runs").resolve("shared-libc-" + model);
            assertThat(Files.readString(run.resolve("config.json"))).contains("\"l1d-flush\" : {");
            JsonNode c = counters(run);
            // shared-libc's processes are single tasks that never block: all switches but each CPU's first
            assertThat(counter(c, "l1dFlush.flushes")).as(model).isEqualTo(counter(c, "contextSwitches") - 2);
            assertFlushArithmetic(c);
        }
    }

    static Stream<String> models() {
        return Stream.of("conventional", "pcid", "sasos", "shared-asid", "vas", "keyed-tlb");
    }

    /**
     * The example's mechanism with every model, the plugin's own included, under the kernel's audit
     * (as MechanismContractTest runs the built-in mechanisms): a fork storm switches between parents
     * and short-lived children, so flushes happen between every kind of address space.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void shouldKeepEveryModelCorrectWithTheExamplesMechanism(String model) throws IOException {
        Path config = work.resolve("l1d-fork-" + model + ".json");
        Files.writeString(config, "{\"kernel\": {\"audit\": true, \"l1d-flush\": {\"mode\": \"msr\"}},"
                + " \"workload\": {\"type\": \"fork-storm\", \"parents\": 2, \"residentPages\": 32, \"forks\": 10,"
                + " \"childRefs\": 1000, \"imagePages\": 8, \"parentRefsPerFork\": 100}}");
        Path out = work.resolve("l1d-fork-" + model);
        Outcome o = protsim("run", config.toString(), "--plugin", pluginJar.toString(), "--out", out.toString(),
                "--set", "model.name=" + model);
        assertThat(o.code()).as(o.err()).isZero();
        JsonNode c = counters(out);
        assertThat(counter(c, "forks")).isEqualTo(10);
        assertThat(counter(c, "l1dFlush.flushes")).isPositive();
        assertFlushArithmetic(c);
    }
}
