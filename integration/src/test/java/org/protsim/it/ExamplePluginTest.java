package org.protsim.it;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
}
