package org.protsim.orchestration;

import org.protsim.workloads.Workloads;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.protsim.core.config.RunConfig;
import org.protsim.core.stats.Summary;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped fio recordings (libaio and io_uring, threads and processes, SQPOLL) replayed under
 * every kernel.ukva mode: the I/Os submitted and completed, the processes and threads, are what
 * an independent count of the raw recording says (regular expressions here, not the parser).
 */
class StraceAioReplayTest {
    private static final Pattern LINE = Pattern.compile("^(\\d+)\\s+\\S+\\s+(.*)$");
    private static final Pattern RESUMED = Pattern.compile("^<\\.\\.\\. [a-z0-9_]+ resumed>(.*)$");
    private static final Pattern RESULT = Pattern.compile("\\) += (-?\\d+)");
    private static final Pattern ENTER = Pattern.compile("^io_uring_enter\\((\\d+), (\\d+), (\\d+),");

    /** What the raw recording shows: I/Os submitted and completed, non-thread clones, thread clones. */
    record Counts(long submitted, long completed, long forks, long threads) {
    }

    static Counts count(String name) throws IOException {
        Map<String, String> pending = new HashMap<>();
        List<String> calls = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(
                StraceAioReplayTest.class.getResourceAsStream("/traces/" + name)), StandardCharsets.UTF_8))) {
            for (String l = r.readLine(); l != null; l = r.readLine()) {
                Matcher m = LINE.matcher(l);
                if (!m.matches()) {
                    continue;
                }
                String pid = m.group(1);
                String text = m.group(2);
                if (text.endsWith("<unfinished ...>")) {
                    pending.put(pid, text.substring(0, text.length() - "<unfinished ...>".length()));
                    continue;
                }
                Matcher res = RESUMED.matcher(text);
                if (res.matches()) {
                    text = pending.remove(pid) + res.group(1);
                }
                calls.add(text);
            }
        }
        long submitted = 0;
        long reaped = 0;
        long forks = 0;
        long threads = 0;
        boolean uring = false;
        for (String c : calls) {
            Matcher res = RESULT.matcher(c);
            long result = res.find() ? Long.parseLong(res.group(1)) : -1;
            if (c.startsWith("io_submit(") && result > 0) {
                submitted += result;
            } else if (c.startsWith("io_getevents(") && result > 0) {
                reaped += result;
            } else if (c.startsWith("io_uring_enter(") && result > 0) {
                uring = true;
                Matcher e = ENTER.matcher(c);
                if (e.find()) {
                    submitted += Math.min(result, Long.parseLong(e.group(2)));
                }
            } else if ((c.startsWith("clone(") || c.startsWith("clone3(") || c.startsWith("fork(")
                    || c.startsWith("vfork(")) && result > 0) {
                if (c.contains("CLONE_THREAD")) {
                    threads++;
                } else {
                    forks++;
                }
            }
        }
        // io_uring completions are read from the ring, not from a call: fio reaps every I/O before it ends
        return new Counts(submitted, uring ? submitted : reaped, forks, threads);
    }

    static Stream<Arguments> recordingsAndModes() {
        List<Arguments> out = new ArrayList<>();
        for (String t : List.of("fio-libaio-thread", "fio-libaio-proc", "fio-io_uring-thread", "fio-io_uring-proc",
                "fio-io_uring-sqpoll")) {
            for (String mode : List.of("none", "per-mm", "per-task")) {
                out.add(Arguments.of(t + ".strace.gz", mode));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} under ukva {1}")
    @MethodSource("recordingsAndModes")
    void shouldSubmitAndCompleteWhatTheRecordingShows(String trace, String mode) throws IOException {
        Counts expected = count(trace);
        String json = "{\"model\": {\"name\": \"pcid\"}, \"kernel\": {\"audit\": true}, \"workload\": {\"type\": "
                + "\"strace\", \"path\": \"builtin:" + trace + "\", \"refsPerMicrosecond\": 2, \"maxRefsPerGap\": 2000}}";
        RunConfig c = Workloads.loader().fromTree(ConfigFixtures.tree(json), List.of("kernel.ukva.mode=" + mode));
        Summary s = Runner.run(c).summary();
        assertThat(expected.submitted()).isPositive();
        assertThat(s.counter("aio.submitted")).isEqualTo(expected.submitted());
        assertThat(s.counter("aio.completed")).isEqualTo(expected.completed());
        assertThat(s.counter("forks")).isEqualTo(expected.forks());
        assertThat(s.counter("threads")).isEqualTo(expected.threads());
        if (mode.equals("none")) {
            // every I/O copies 72 bytes in; every completion 32 bytes out
            assertThat(s.counter("aio.bytesCopied")).isEqualTo(expected.submitted() * 72 + expected.completed() * 32);
        } else {
            assertThat(s.counter("aio.bytesCopied")).isZero();
        }
    }
}
