package org.protsim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protsim.validate.Validation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.protsim.cli.CliTest.protsim;

/**
 * {@code protsim validate --quick} as a user runs it: this is the run of the suite in
 * {@code mvn verify}, and it fails the build when a calibrated figure leaves its band (exit 1).
 */
class ValidateCliTest {
    @TempDir
    Path dir;

    @Test
    void shouldRunTheQuickSuiteKeepEveryCalibratedFigureInItsBandAndWriteBothFiles() throws IOException {
        Path out = dir.resolve("v");
        CliTest.Outcome o = protsim("validate", "--quick", "--out", out.toString());
        assertThat(o.code()).as(o.out() + o.err()).isZero();
        assertThat(o.out()).contains("fork-per-gib").contains("pcid-switch-saving-small")
                .contains("shootdown-remote-part").contains("serial").contains("interval");
        JsonNode json = new ObjectMapper().readTree(out.resolve("validation.json").toFile());
        assertThat(json.get("quick").asBoolean()).isTrue();
        assertThat(json.get("rows")).hasSize(Validation.SUITE.size());
        int calibrated = 0;
        for (JsonNode row : json.get("rows")) {
            assertThat(row.get("predictions")).hasSize(2);
            for (JsonNode p : row.get("predictions")) {
                double value = p.get("value").asDouble();
                double mid = (row.get("published").get("low").asDouble() + row.get("published").get("high").asDouble()) / 2;
                // the ratio written is the prediction over the middle of the published range
                assertThat(p.get("ratio").asDouble()).isCloseTo(value / mid, org.assertj.core.data.Offset.offset(1e-9));
                assertThat(value).isPositive();
            }
            if (row.get("basis").asText().equals("calibrated")) {
                calibrated++;
                for (JsonNode p : row.get("predictions")) {
                    if (p.get("core").asText().equals(json.get("defaultCore").asText())) {
                        assertThat(p.get("inBand").asBoolean()).as(row.get("id").asText()).isTrue();
                    }
                }
            }
        }
        assertThat(calibrated).isPositive();
        java.awt.image.BufferedImage png = javax.imageio.ImageIO.read(out.resolve("validation.png").toFile());
        assertThat(png.getWidth()).isEqualTo(1200);
        String md = Files.readString(out.resolve("validation.md"));
        assertThat(md).contains("| experiment | published |").contains("Redis documentation")
                .contains("Lutomirski").contains("Amit").contains("calibrated").contains("predicted");
    }

    @Test
    void shouldRefuseToReplaceAFolderItDidNotWrite() throws IOException {
        Path mine = dir.resolve("mine");
        Files.createDirectories(mine);
        Files.writeString(mine.resolve("notes.txt"), "keep me");
        CliTest.Outcome o = protsim("validate", "--quick", "--out", mine.toString());
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err().strip()).startsWith("protsim: --out " + mine + ": ").doesNotContain("\n").contains("did not write");
        assertThat(Files.readString(mine.resolve("notes.txt"))).isEqualTo("keep me");
    }

    @Test
    void shouldRunOnlyTheExperimentsNamedWithOnly() throws IOException {
        Path out = dir.resolve("only");
        CliTest.Outcome o = protsim("validate", "--quick", "--only", "iommu-strict-unmap", "--out", out.toString());
        assertThat(o.code()).as(o.out() + o.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(out.resolve("validation.json").toFile());
        assertThat(json.get("rows")).hasSize(1);
        assertThat(json.get("rows").get(0).get("id").asText()).isEqualTo("iommu-strict-unmap");
        assertThat(o.out()).contains("iommu-strict-unmap").doesNotContain("fork-per-gib");
    }

    @Test
    void shouldRefuseAnUnknownExperimentInOneLineNamingIt() {
        Path out = dir.resolve("none");
        CliTest.Outcome o = protsim("validate", "--quick", "--only", "fork-per-gb", "--out", out.toString());
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err().strip()).startsWith("protsim: --only: no experiment fork-per-gb").doesNotContain("\n")
                .contains("fork-per-gib");
        assertThat(out).doesNotExist();
    }
}
