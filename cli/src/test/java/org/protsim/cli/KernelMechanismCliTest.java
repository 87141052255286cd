package org.protsim.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.protsim.cli.CliTest.protsim;

/**
 * The kernel mechanism switches as a user meets them: kernel.ukva, kernel.dma, kernel.pat, kernel.proxy
 * (a plugin's own switch: integration/ExamplePluginTest).
 */
class KernelMechanismCliTest {
    @TempDir
    Path dir;

    /** A small fork storm: the kernel runs (fork, exec, faults, exit) under the default model. */
    private static final String WORKLOAD = "\"workload\": {\"type\": \"fork-storm\", \"parents\": 2, "
            + "\"residentPages\": 64, \"forks\": 8, \"childRefs\": 500, \"imagePages\": 16, \"parentRefsPerFork\": 100}";
    private static final String FORKS = "{" + WORKLOAD + "}";

    @Test
    void shouldExitTwoNamingTheSwitchAndItsModesForAModeThatDoesNotExist() throws IOException {
        Path c = Files.writeString(dir.resolve("c.json"), FORKS);
        Path out = dir.resolve("never");
        CliTest.Outcome o = protsim("run", c.toString(), "--set", "kernel.dma.mode=bounce-buffers", "--out", out.toString());
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err().strip()).isEqualTo("protsim: kernel.dma.mode: \"bounce-buffers\" is not one of none, "
                + "shared-pool, iommu-strict, iommu-deferred, owned-pages");
        assertThat(out).doesNotExist();
    }

    @Test
    void shouldRunWithEverySwitchSetToNoneAndWriteTheSameConfigAsWithoutThem() throws IOException {
        Path plain = Files.writeString(dir.resolve("plain.json"), FORKS);
        Path explicit = Files.writeString(dir.resolve("explicit.json"), "{\"kernel\": {\"ukva\": {\"mode\": \"none\"}, "
                + "\"dma\": {\"mode\": \"none\"}, \"pat\": {\"mode\": \"none\"}, \"proxy\": {\"mode\": \"none\"}}, "
                + WORKLOAD + "}");
        assertThat(protsim("run", plain.toString(), "--out", dir.resolve("a").toString()).code()).isZero();
        assertThat(protsim("run", explicit.toString(), "--out", dir.resolve("b").toString()).code()).isZero();
        String a = Files.readString(dir.resolve("a/config.json"));
        assertThat(a).doesNotContain("ukva");
        assertThat(Files.readString(dir.resolve("b/config.json"))).isEqualTo(a);
        assertThat(Files.readString(dir.resolve("b/summary.json"))).isEqualTo(Files.readString(dir.resolve("a/summary.json")));
    }

    @Test
    void shouldExitTwoListingTheKernelsKeysAndSwitchesForASwitchNoMechanismProvides() throws IOException {
        Path c = Files.writeString(dir.resolve("c.json"), "{\"kernel\": {\"l1d-flush\": {\"mode\": \"msr\"}}, "
                + WORKLOAD + "}");
        Path out = dir.resolve("never");
        CliTest.Outcome o = protsim("run", c.toString(), "--out", out.toString());
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).isEqualTo("protsim: kernel.l1d-flush: unknown key (known keys: audit, lookaheadCycles, "
                + "quantumCycles, refsPerEntry, textPages; mechanism switches: dma, pat, proxy, ukva)\n");
        assertThat(out).doesNotExist();
    }

    /** Each mode binds its own record: pat's keys are pat's, under any mode of the switch, none included. */
    @Test
    void shouldExitTwoNamingTheFullPathOfAnUnknownKeyUnderASwitch() throws IOException {
        Path c = Files.writeString(dir.resolve("c.json"), FORKS);
        Path out = dir.resolve("never");
        CliTest.Outcome walk = protsim("run", c.toString(), "--set", "kernel.pat.mode=vma-walk",
                "--set", "kernel.pat.queueDepth=4", "--out", out.toString());
        assertThat(walk.code()).isEqualTo(2);
        assertThat(walk.err()).isEqualTo("protsim: kernel.pat.queueDepth: unknown key (known keys: fixedCycles, "
                + "mode, stepCycles)\n");
        // dma has no parameters: while off it takes {"mode": "none"} alone
        CliTest.Outcome dma = protsim("run", c.toString(), "--set", "kernel.dma.queueDepth=4", "--out", out.toString());
        assertThat(dma.code()).isEqualTo(2);
        assertThat(dma.err()).isEqualTo("protsim: kernel.dma.queueDepth: unknown key (known keys: mode)\n");
        CliTest.Outcome notObject = protsim("run", c.toString(), "--set", "kernel.ukva=per-mm", "--out", out.toString());
        assertThat(notObject.code()).isEqualTo(2);
        assertThat(notObject.err()).isEqualTo("protsim: kernel.ukva: expected an object {\"mode\": ...}, got \"per-mm\"\n");
        assertThat(out).doesNotExist();
    }
}
