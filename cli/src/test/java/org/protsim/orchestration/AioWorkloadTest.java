package org.protsim.orchestration;

import org.protsim.workloads.Workloads;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.protsim.core.config.RunConfig;
import org.protsim.core.stats.Summary;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The aio workload end to end, as a config file names it, with the audit on. */
class AioWorkloadTest {
    private static Summary run(String json, String... sets) {
        RunConfig c = Workloads.loader().fromTree(ConfigFixtures.tree(json), List.of(sets));
        return Runner.run(c).summary();
    }

    // 2 processes x 2 threads x 32 I/Os = 128 I/Os
    private static final String AIO = "{\"kernel\": {\"audit\": true}, \"workload\": {\"type\": \"aio\", "
            + "\"processes\": 2, \"threads\": 2, \"iosPerThread\": 32, \"queueDepth\": 4, \"workRefs\": 200}}";

    @ParameterizedTest(name = "{0} ukva {1} reap {2}")
    @CsvSource({"conventional,none,block", "conventional,none,poll", "conventional,per-mm,block",
            "conventional,per-mm,poll", "pcid,per-mm,poll", "sasos,per-mm,block", "vas,none,block",
            "shared-asid,per-mm,block", "conventional,per-task,block", "pcid,per-task,poll", "vas,per-task,block",
            "shared-asid,per-task,poll"})
    void shouldCompleteEveryIoOfEveryThread(String model, String mode, String reap) {
        Summary s = run(AIO, "model.name=" + model, "kernel.ukva.mode=" + mode, "workload.reap=" + reap);
        assertThat(s.counter("aio.submitted")).isEqualTo(128);
        assertThat(s.counter("aio.completed")).isEqualTo(128);
        assertThat(s.counter("disk.completions")).isEqualTo(128);
        assertThat(s.histograms().get("aio.completion.latency").count()).isEqualTo(128);
        if (mode.equals("none")) {
            // 72 bytes in and 32 out per I/O: 128 x 104
            assertThat(s.counter("aio.bytesCopied")).isEqualTo(128 * 104);
            assertThat(s.counter("ukva.ringUpdates")).isZero();
        } else {
            assertThat(s.counter("aio.bytesCopied")).isZero();
            assertThat(s.counter("ukva.ringUpdates")).isPositive();
        }
        if (mode.equals("per-task")) {
            // 4 threads, each with a root of its own: the copy and 3 tables under its area (4-level paging)
            assertThat(s.counter("ukva.taskTablePages")).isEqualTo(4 * 4);
        } else if (mode.equals("per-mm")) {
            assertThat(s.counter("ukva.rootSwitches")).isZero();
        }
        if (!mode.equals("none") && reap.equals("poll")) {
            // only submissions are calls: at most one per batch, fewer batches than I/Os
            assertThat(s.counter("aio.syscalls")).isLessThan(128);
        }
    }

    @ParameterizedTest(name = "sqPoll {0}")
    @CsvSource({"per-mm", "per-task"})
    void shouldMakeNoSystemCallWithAPollingKernelThreadAndAPolledRing(String mode) {
        Summary s = run(AIO, "kernel.ukva.mode=" + mode, "kernel.ukva.sqPoll=true", "workload.reap=poll");
        assertThat(s.counter("aio.completed")).isEqualTo(128);
        assertThat(s.counter("aio.syscalls")).isZero();
        // the poller on CPU 1 takes the entries CPU 0's threads wrote, and the completions come back on CPU 1
        assertThat(s.counter("coherence.misses")).isPositive();
    }
}
