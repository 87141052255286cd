package org.protsim.orchestration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.protsim.core.config.RunConfig;
import org.protsim.core.stats.Summary;
import org.protsim.workloads.Workloads;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The two shipped recordings (a make -j4 build of seven C files; a Python multiprocessing pool
 * forking workers that never exec), replayed under every model with the kernel's audit on.
 */
class StraceReplayTest {

    /**
     * What the recording shows, counted from its raw text without the parser: every pid that
     * appears is the root, a thread (a clone line carrying CLONE_THREAD) or a process; execs are
     * the execve calls whose (possibly resumed) line returns 0.
     */
    record Shown(long forks, long threads, long execs) {
    }

    static Shown count(String resource) throws IOException {
        Set<String> pids = new HashSet<>();
        long threads = 0;
        long execs = 0;
        boolean execPending = false;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                StraceReplayTest.class.getResourceAsStream("/traces/" + resource)), StandardCharsets.UTF_8))) {
            String line;
            String first = null;
            while ((line = in.readLine()) != null) {
                String pid = line.substring(0, line.indexOf(' '));
                if (first == null) {
                    first = pid;
                }
                pids.add(pid);
                if (line.contains(" clone") && line.contains("CLONE_THREAD")) {
                    threads++;
                }
                if (line.contains(" execve(") && line.endsWith(" = 0")) {
                    execs++;
                }
                if (line.contains("<... execve resumed>") && line.endsWith(" = 0")) {
                    execs++;
                }
            }
        }
        return new Shown(pids.size() - 1 - threads, threads, execs);
    }

    static Summary replay(String resource, String model) {
        RunConfig c = Workloads.loader().fromTree(ConfigFixtures.tree("{\"kernel\": {\"audit\": true}, \"workload\": "
                        + "{\"type\": \"strace\", \"refsPerMicrosecond\": 0.1, \"maxRefsPerGap\": 300}}"),
                List.of("workload.path=builtin:" + resource, "model.name=" + model));
        return Runner.run(c).summary();
    }

    @ParameterizedTest
    @CsvSource({
            "build.strace.gz, conventional", "build.strace.gz, pcid", "build.strace.gz, sasos",
            "build.strace.gz, shared-asid", "build.strace.gz, vas",
            "pool.strace.gz, conventional", "pool.strace.gz, pcid", "pool.strace.gz, sasos",
            "pool.strace.gz, shared-asid", "pool.strace.gz, vas"})
    void shouldReplayTheRecordedProcessTreeUnderEveryModel(String resource, String model) throws IOException {
        Shown shown = count(resource);
        Summary s = replay(resource, model);
        assertThat(s.counter("forks")).isEqualTo(shown.forks());
        assertThat(s.counter("threads")).isEqualTo(shown.threads());
        assertThat(s.counter("execs")).isEqualTo(shown.execs());
        assertThat(s.counter("faults.segv")).isZero();
        assertThat(s.counter("exits")).isEqualTo(1 + shown.forks()); // every process ended
        assertThat(s.counter("references")).isPositive();
    }

    @Test
    void theRecordingsShouldShowWhatTheyWereMadeFor() throws IOException {
        // make -j4 spawning gcc, cc1, as, collect2, ld: many processes, every one exec'd
        Shown build = count("build.strace.gz");
        assertThat(build.forks()).isGreaterThanOrEqualTo(20);
        assertThat(build.execs()).isGreaterThan(build.forks());
        // the pool's workers are forked and keep running: fewer execs than processes, and threads
        Shown pool = count("pool.strace.gz");
        assertThat(pool.forks()).isGreaterThanOrEqualTo(4);
        assertThat(pool.threads()).isPositive();
    }

    @Test
    void vforkedChildrenShouldSpawnWithoutCopyingUnderSasos() {
        // every child of the build is vforked (vfork / posix_spawn) and execs at once: sasos copies no
        // page at fork, so it copies exactly what conventional copies (private writes to file pages)
        Summary sasos = replay("build.strace.gz", "sasos");
        Summary conventional = replay("build.strace.gz", "conventional");
        assertThat(sasos.counter("pages.copied")).isEqualTo(conventional.counter("pages.copied"));
        assertThat(conventional.counter("ptes.copied")).isZero(); // vfork shares the mm: no page table is copied
    }
}
