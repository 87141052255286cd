package org.protsim.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.protsim.cli.CliTest.protsim;

/** compare with aio: the table of its kernel.ukva modes, as compare.md and the printed tables show it. */
class AioCompareCliTest {
    private static final String TITLE = "aio and the fio replays under each kernel.ukva mode";
    private static final List<String> MODELS = List.of("conventional", "pcid", "sasos");

    // columns of a markdown row, after the leading "": workload, model, mode, then these
    private static final int SYSCALLS = 4;
    private static final int BYTES = 5;
    private static final int COHERENCE = 6;
    private static final int ROOT_SWITCHES = 7;
    private static final int FLUSHES = 8;

    @TempDir
    Path dir;

    /** One process of two threads, 8 I/Os each, one in flight at a time: 16 I/Os. */
    private static final String[] SMALL = {"--set", "workload.processes=1", "--set", "workload.threads=2",
            "--set", "workload.iosPerThread=8", "--set", "workload.queueDepth=1", "--set", "workload.workRefs=100"};

    private CliTest.Outcome compare(Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("compare", "--workloads", "aio", "--models", String.join(",", MODELS),
                "--threads", "2", "--out", out.toString()));
        args.addAll(Arrays.asList(SMALL));
        args.addAll(Arrays.asList(more));
        return protsim(args.toArray(String[]::new));
    }

    /**
     * At queue depth 1 with blocking reaps every I/O is one submission and one reap that waits for
     * it: 2 system calls per I/O under every mode (under the ring modes the submission is still
     * announced by a call, and a blocking reap is a call). Under none the submission copies a
     * 64-byte iocb and its 8-byte pointer in and the reap a 32-byte event out: 104 bytes per I/O;
     * the ring modes copy nothing. On one CPU a thread that blocks gives the CPU to the other
     * thread of its mm, so per-task writes the root. Under conventional each such write flushes the
     * non-global entries, and so does loading a task's new root when it sets its area up (one per
     * thread: 2), all beyond what per-mm flushes; under pcid a root write keeps the tag and flushes
     * nothing whole.
     */
    @Test
    void shouldSetTheThreeModesSideBySideWithBlockingReaps() throws IOException {
        Path out = dir.resolve("block");
        CliTest.Outcome o = compare(out, "--set", "machine.cpus=1", "--set", "workload.reap=block");
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).contains(TITLE).contains("(1) sasos refuses kernel.ukva per-task");
        List<String> md = table(out);
        for (String model : MODELS) {
            assertThat(cells(md, model, "none").subList(SYSCALLS, BYTES + 1)).containsExactly("2.000", "104.0");
            assertThat(cells(md, model, "none").get(ROOT_SWITCHES)).isEqualTo("0");
            assertThat(cells(md, model, "per-mm").subList(SYSCALLS, BYTES + 1)).containsExactly("2.000", "0.0");
            assertThat(cells(md, model, "per-mm").get(ROOT_SWITCHES)).isEqualTo("0");
        }
        for (String model : List.of("conventional", "pcid")) {
            assertThat(cells(md, model, "per-task").subList(SYSCALLS, BYTES + 1)).containsExactly("2.000", "0.0");
            assertThat(number(cells(md, model, "per-task").get(ROOT_SWITCHES))).isPositive();
        }
        long rootSwitches = number(cells(md, "conventional", "per-task").get(ROOT_SWITCHES));
        assertThat(number(cells(md, "conventional", "per-task").get(FLUSHES)))
                .isEqualTo(number(cells(md, "conventional", "per-mm").get(FLUSHES)) + rootSwitches + 2);
        assertThat(cells(md, "pcid", "per-task").get(FLUSHES)).isEqualTo(cells(md, "pcid", "per-mm").get(FLUSHES));
        // sasos refuses per-task: a row of dashes and the footnote, not an error
        List<String> refused = cells(md, "sasos", "per-task (1)");
        assertThat(refused.subList(SYSCALLS, refused.size())).containsOnly("-");
        assertThat(md).anyMatch(l -> l.startsWith("(1) sasos refuses kernel.ukva per-task"));
        // 3 models' own per-mm runs, none and per-task under conventional and pcid, none under sasos
        assertThat(runs(out)).containsExactlyInAnyOrder("aio-conventional", "aio-pcid", "aio-sasos",
                "aio-none-conventional", "aio-per-task-conventional", "aio-none-pcid", "aio-per-task-pcid",
                "aio-none-sasos");
    }

    /**
     * With io_uring's polling kernel thread and threads polling the completion ring no system call
     * is left under the ring modes: 0 per I/O. Under none the submission is still a call and a
     * polled reap is a call that may find nothing: at least 2 per I/O. The poller runs on the last
     * CPU and reads the submission entries a thread on the other wrote: coherence misses. The
     * compare's own run is in mode none here (--set), so the table plans per-mm and per-task.
     */
    @Test
    void shouldMakeNoSystemCallUnderTheRingModesWithSqPollAndPolledReaps() throws IOException {
        Path out = dir.resolve("poll");
        CliTest.Outcome o = compare(out, "--set", "workload.reap=poll", "--set", "kernel.ukva.sqPoll=true",
                "--set", "kernel.ukva.mode=none");
        assertThat(o.code()).as(o.err()).isZero();
        List<String> md = table(out);
        for (String model : MODELS) {
            assertThat(Double.parseDouble(cells(md, model, "none").get(SYSCALLS))).isGreaterThanOrEqualTo(2.0);
            assertThat(cells(md, model, "none").get(BYTES)).isEqualTo("104.0");
            assertThat(cells(md, model, "per-mm").subList(SYSCALLS, BYTES + 1)).containsExactly("0.000", "0.0");
            assertThat(number(cells(md, model, "per-mm").get(COHERENCE))).isPositive();
        }
        for (String model : List.of("conventional", "pcid")) {
            assertThat(cells(md, model, "per-task").subList(SYSCALLS, BYTES + 1)).containsExactly("0.000", "0.0");
        }
        assertThat(runs(out)).containsExactlyInAnyOrder("aio-conventional", "aio-pcid", "aio-sasos",
                "aio-per-mm-conventional", "aio-per-task-conventional", "aio-per-mm-pcid", "aio-per-task-pcid",
                "aio-per-mm-sasos");
    }

    @Test
    void shouldLeaveTheTableOutWhenNoModelOfItIsRun() throws IOException {
        Path out = dir.resolve("none");
        CliTest.Outcome o = protsim(Stream.concat(Stream.of("compare", "--workloads", "aio", "--models", "shared-asid,vas",
                "--out", out.toString()), Arrays.stream(SMALL)).toArray(String[]::new));
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.out()).doesNotContain(TITLE);
        assertThat(Files.readString(out.resolve("compare.md"))).doesNotContain(TITLE);
        assertThat(runs(out)).containsExactlyInAnyOrder("aio-shared-asid", "aio-vas");
    }

    /** What the footnote says, as a user meets it running the refused pair alone. */
    @Test
    void shouldRefuseAloneWhatTheFootnoteSaysSasosRefuses() throws IOException {
        Path config = Files.writeString(dir.resolve("aio.json"), "{\"model\": {\"name\": \"sasos\"}, \"kernel\": {\"ukva\": "
                + "{\"mode\": \"per-task\"}}, \"workload\": {\"type\": \"aio\", \"iosPerThread\": 4}}");
        CliTest.Outcome o = protsim("run", config.toString(), "--out", dir.resolve("run").toString());
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err().strip()).contains("kernel.ukva.mode").contains("sasos").doesNotContain("\n");
    }

    /** The lines of compare.md's mode table, from its heading to the footnote. */
    private static List<String> table(Path out) throws IOException {
        List<String> md = Files.readAllLines(out.resolve("compare.md"));
        int head = md.indexOf("## " + TITLE);
        assertThat(head).isPositive();
        return md.subList(head, md.size());
    }

    private static List<String> cells(List<String> md, String model, String mode) {
        String prefix = "| aio | " + model + " | " + mode + " |";
        String row = md.stream().filter(r -> r.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no row " + prefix + " in " + md));
        return Arrays.stream(row.split("\\|")).map(String::strip).toList();
    }

    private static long number(String cell) {
        return Long.parseLong(cell.replace(",", ""));
    }

    private static List<String> runs(Path out) throws IOException {
        try (Stream<Path> s = Files.list(out.resolve("runs"))) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }
}
