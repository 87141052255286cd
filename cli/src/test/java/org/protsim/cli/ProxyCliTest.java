package org.protsim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.protsim.cli.CliTest.protsim;

/** kernel.proxy and the proxy-share workload as a user meets them. */
class ProxyCliTest {
    @TempDir
    Path dir;

    private static final String SMALL = "--set=workload.refsPerClient=2000";

    @Test
    void shouldRunTheShippedExampleAndReportTheProxyFigures() throws IOException {
        Path out = dir.resolve("r");
        CliTest.Outcome o = protsim("run", "../examples/proxy-share.json", SMALL, "--out", out.toString());
        assertThat(o.code()).as(o.err()).isZero();
        JsonNode counters = new ObjectMapper().readTree(out.resolve("summary.json").toFile()).get("counters");
        // the example is map-time with 16 clients: 16 proxies created, each mapped once
        assertThat(counters.get("proxy.created").asLong()).isEqualTo(16);
        assertThat(counters.get("proxy.maps").asLong()).isEqualTo(16);
        assertThat(counters.get("proxy.violationsAllowed").asLong()).isZero();
        assertThat(Files.readString(out.resolve("config.json"))).contains("\"mode\" : \"map-time\"");
    }

    @Test
    void shouldExitTwoNamingTheKeyForABadProxyParameter() {
        Path out = dir.resolve("never");
        CliTest.Outcome o = protsim("run", "../examples/proxy-share.json", "--set", "kernel.proxy.forwardCycles=-1",
                "--out", out.toString());
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err().strip()).startsWith("protsim: kernel.proxy.forwardCycles: -1 is outside");
        assertThat(out).doesNotExist();
        CliTest.Outcome unknown = protsim("run", "../examples/proxy-share.json", "--set", "kernel.proxy.share=true",
                "--out", out.toString());
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("kernel.proxy.share").contains("unknown key");
        assertThat(out).doesNotExist();
    }
}
