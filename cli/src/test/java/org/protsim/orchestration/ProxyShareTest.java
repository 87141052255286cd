package org.protsim.orchestration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.protsim.core.stats.Summary;

import static org.assertj.core.api.Assertions.assertThat;

/** The proxy-share workload under the three proxy modes (docs/sources.md [002]). */
class ProxyShareTest {
    /**
     * 12 read-only clients, every one a violator (violationRate 1), each with an 8-page range it
     * references uniformly (zipfExponent 0) 2,000 times: every page is touched (a page is missed
     * with probability (7/8)^2000, below 1e-100).
     */
    private static final String VIOLATORS = "{\"kernel\": {\"audit\": true}, \"workload\": {\"type\": \"proxy-share\", "
            + "\"objectPages\": 64, \"clients\": 12, \"rangePages\": 8, \"readWriteFraction\": 0, "
            + "\"refsPerClient\": 2000, \"zipfExponent\": 0, \"violationRate\": 1}}";

    private static Summary run(String... sets) {
        return KernelWorkloadsTest.run(VIOLATORS, sets);
    }

    @ParameterizedTest
    @CsvSource({"conventional", "pcid", "sasos", "shared-asid", "vas"})
    void shouldAllowEveryViolationWithoutProxies(String model) {
        Summary s = run("model.name=" + model, "kernel.proxy.mode=none");
        assertThat(s.counter("proxy.violationAttempts")).isEqualTo(12);
        assertThat(s.counter("proxy.violationsAllowed")).isEqualTo(12);
        assertThat(s.counter("proxy.violationsRefused")).isZero();
        assertThat(s.counter("faults.segv")).isZero();
    }

    /**
     * Every attempt refused: a write kills its client (faults.segv), a map outside the range is
     * refused (proxy.mapsRefused), raising rights fails in mprotect; the three add up to the 12.
     */
    @ParameterizedTest
    @CsvSource({"conventional,map-time", "conventional,pager", "pcid,map-time", "sasos,map-time", "sasos,pager",
            "shared-asid,pager", "vas,map-time"})
    void shouldRefuseEveryViolationThroughAProxy(String model, String mode) {
        Summary s = run("model.name=" + model, "kernel.proxy.mode=" + mode);
        assertThat(s.counter("proxy.violationAttempts")).isEqualTo(12);
        assertThat(s.counter("proxy.violationsAllowed")).isZero();
        assertThat(s.counter("proxy.violationsRefused")).isEqualTo(12);
        assertThat(s.counter("proxy.created")).isEqualTo(12);
        assertThat(s.counter("proxy.maps")).isEqualTo(12);
        assertThat(s.counter("faults.segv") + s.counter("proxy.mapsRefused")).isLessThanOrEqualTo(12);
        assertThat(s.counter("faults.segv")).isPositive();
        assertThat(s.counter("proxy.mapsRefused")).isPositive();
    }

    /**
     * Pager mode: 12 proxies x 8 pages, each first touched once through its proxy: 96 forwarded
     * requests; without shared frames each is a copy held beside the real page (96 frames held
     * twice), with them none is. A legal run (no violations) so every client touches all its pages.
     */
    @Test
    void shouldForwardOneRequestPerFirstTouchAndHoldOneFrameTwiceEach() {
        String legal = "workload.violationRate=0";
        Summary copy = run("kernel.proxy.mode=pager", legal);
        assertThat(copy.counter("proxy.forwardedRequests")).isEqualTo(12 * 8);
        assertThat(copy.counter("proxy.framesHeldTwice")).isEqualTo(12 * 8);
        Summary shared = run("kernel.proxy.mode=pager", "kernel.proxy.shareFrames=true", legal);
        assertThat(shared.counter("proxy.forwardedRequests")).isEqualTo(12 * 8);
        assertThat(shared.counter("proxy.framesHeldTwice")).isZero();
        // the real object's pages are read in once whichever way: the copies are the difference
        assertThat(copy.counter("proxy.pageIns") - shared.counter("proxy.pageIns")).isEqualTo(12 * 8);
        assertThat(copy.histograms().get("proxy.faultLatency").count()).isEqualTo(12 * 8);
    }

    /**
     * map-time pages proxy mappings as the kernel pages any file mapping: the same demand faults
     * (12 x 8) and page-ins as mapping the real object directly; only the 12 create calls differ.
     */
    @Test
    void shouldFaultMapTimeProxiesAsDirectMappings() {
        String legal = "workload.violationRate=0";
        Summary none = run("kernel.proxy.mode=none", legal);
        Summary mapTime = run("kernel.proxy.mode=map-time", legal);
        assertThat(mapTime.counter("faults.demand")).isEqualTo(none.counter("faults.demand")).isEqualTo(12 * 8);
        assertThat(mapTime.counter("pages.zeroed")).isEqualTo(none.counter("pages.zeroed"));
        assertThat(mapTime.counter("references")).isEqualTo(none.counter("references")).isEqualTo(12 * 2000);
        assertThat(mapTime.counter("syscalls") - none.counter("syscalls")).isEqualTo(12);
        assertThat(mapTime.counter("proxy.forwardedRequests")).isZero();
    }
}
