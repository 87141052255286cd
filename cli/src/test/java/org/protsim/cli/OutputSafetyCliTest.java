package org.protsim.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.protsim.core.results.OutputFolder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.protsim.cli.CliTest.protsim;

/**
 * What every command that writes a folder (run, compare, sweep, merge, plot) may replace:
 * only a folder protsim wrote. Each refusal is checked as a user meets it: exit code 2, one
 * line on stderr without a stack trace, and the user's files exactly as they were.
 */
class OutputSafetyCliTest {
    @TempDir
    Path dir;

    static final String TIMER = "{\"workload\": {\"type\": \"timer\", \"events\": 20, \"periodCycles\": 1000, \"jitterCycles\": 0}}";

    /** One small sweep: 2 points of the timer workload, 1 replication each. */
    static final String SWEEP = "{\"base\": " + TIMER + ", \"axes\": {\"machine.cpus\": [1, 2]}}";

    static void assertRefused(CliTest.Outcome o, String... fragments) {
        assertThat(o.code()).as(o.err()).isEqualTo(2);
        assertThat(o.err().strip().lines().count()).as("one line on stderr: %s", o.err()).isEqualTo(1);
        assertThat(o.err()).startsWith("protsim: ").doesNotContain("Exception").doesNotContain("\tat ");
        for (String f : fragments) {
            assertThat(o.err()).contains(f);
        }
    }

    private Path write(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, text);
        return f;
    }

    /** The command line of each folder-writing command with {@code out} as its folder. */
    private String[][] everyCommand(Path out) throws IOException {
        Path config = write("t.json", TIMER);
        Path spec = write("spec.json", SWEEP);
        Path shard = dir.resolve("shard");
        if (!Files.exists(shard)) {
            assertThat(protsim("sweep", spec.toString(), "--out", shard.toString()).code()).isZero();
        }
        return new String[][]{
                {"run", config.toString(), "--out", out.toString()},
                {"compare", "--workloads", config.toString(), "--models", "conventional", "--out", out.toString()},
                {"sweep", spec.toString(), "--out", out.toString()},
                {"merge", shard.toString(), "--out", out.toString()},
        };
    }

    @Test
    void shouldRefuseARegularFileAsOutAndLeaveItUnchangedForEveryCommand() throws IOException {
        Path file = write("notes.txt", "my notes\n");
        for (String[] args : everyCommand(file)) {
            assertRefused(protsim(args), "is a file", file.toString());
            assertThat(Files.readString(file)).as(args[0]).isEqualTo("my notes\n");
        }
        assertRefused(protsim("plot", file.toString()), file.toString());
        assertThat(Files.readString(file)).isEqualTo("my notes\n");
    }

    @Test
    void shouldRefuseAFolderProtsimDidNotWriteAndKeepThePlantedFile() throws IOException {
        Path mine = dir.resolve("mine");
        Path planted = write("mine/thesis.tex", "\\documentclass{article}\n");
        for (String[] args : everyCommand(mine)) {
            assertRefused(protsim(args), "holds files protsim did not write", OutputFolder.MARKER);
            assertThat(Files.readString(planted)).as(args[0]).isEqualTo("\\documentclass{article}\n");
            try (Stream<Path> s = Files.list(mine)) {
                assertThat(s.toList()).as(args[0]).containsExactly(planted);
            }
        }
    }

    @Test
    void shouldRefuseTheWorkingFolderItsParentsAndARepositoryRoot() throws IOException {
        Path cwd = Path.of("").toAbsolutePath();
        long before;
        try (Stream<Path> s = Files.list(cwd)) {
            before = s.count();
        }
        for (String[] args : everyCommand(Path.of("."))) {
            assertRefused(protsim(args), "is the working folder");
        }
        for (String[] args : everyCommand(Path.of(".."))) {
            assertRefused(protsim(args), "is a parent of the working folder");
        }
        try (Stream<Path> s = Files.list(cwd)) {
            assertThat(s.count()).isEqualTo(before);
        }
        Path repo = dir.resolve("repo");
        Files.createDirectories(repo.resolve(".git"));
        Path marker = write("repo/" + OutputFolder.MARKER, "written by protsim run\n"); // even when marked
        for (String[] args : everyCommand(repo)) {
            assertRefused(protsim(args), "is the root of a repository");
        }
        assertThat(repo.resolve(".git")).isDirectory();
        assertThat(marker).exists();
    }

    @Test
    void shouldExitTwoWithOneLineWhenOutCannotBeWritten() throws IOException {
        Path file = write("plain", "x");
        for (Path out : new Path[]{Path.of("/proc/protsim-x"), file.resolve("sub")}) {
            for (String[] args : everyCommand(out)) {
                assertRefused(protsim(args), "cannot write there", "choose a folder you can write");
            }
        }
        assertThat(Files.readString(file)).isEqualTo("x");
    }

    @Test
    void shouldExitTwoWithOneLineForAReadOnlyFolder() throws IOException {
        // root writes through permission bits: the check means something only for another user
        assumeFalse("root".equals(System.getProperty("user.name")), "running as root");
        Path locked = Files.createDirectories(dir.resolve("locked"));
        String[][] commands = everyCommand(locked.resolve("out"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            for (String[] args : commands) {
                assertRefused(protsim(args), "cannot write there", "permission denied");
            }
            try (Stream<Path> s = Files.list(locked)) {
                assertThat(s.toList()).isEmpty();
            }
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void shouldReplaceItsOwnFolderOnARerunAndMarkIt() throws IOException {
        Path config = write("t.json", TIMER);
        Path out = dir.resolve("out");
        assertThat(protsim("run", config.toString(), "--out", out.toString()).code()).isZero();
        assertThat(Files.readString(out.resolve(OutputFolder.MARKER))).isEqualTo("written by protsim run\n");
        Files.writeString(out.resolve("stale.txt"), "from an older run");
        CliTest.Outcome again = protsim("run", config.toString(), "--out", out.toString());
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(out.resolve("summary.json")).exists();
        assertThat(out.resolve("stale.txt")).doesNotExist(); // the folder was protsim's: replaced whole
        Path cmp = dir.resolve("cmp");
        for (int i = 0; i < 2; i++) {
            CliTest.Outcome c = protsim("compare", "--workloads", config.toString(), "--models", "conventional",
                    "--out", cmp.toString());
            assertThat(c.code()).as(c.err()).isZero();
        }
        assertThat(Files.readString(cmp.resolve(OutputFolder.MARKER))).isEqualTo("written by protsim compare\n");
        // an empty folder the user made is free to take
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThat(protsim("run", config.toString(), "--out", empty.toString()).code()).isZero();
    }

    @Test
    void shouldRemoveTheTemporaryFoldersAnInterruptedRunOrCompareLeft() throws IOException {
        Path config = write("t.json", TIMER);
        for (String command : new String[]{"run", "compare"}) {
            Path out = dir.resolve(command + "-out");
            // what SIGKILL leaves: a half-written folder and a moved-away old one, hidden beside the target
            Path tmp = write("." + command + "-out.tmp-123456/summary.json", "{\"half");
            Path old = Files.createDirectories(dir.resolve("." + command + "-out.old-99"));
            Path neighbour = write(".other.tmp-1/keep", "another target's");
            String[] args = command.equals("run") ? new String[]{"run", config.toString(), "--out", out.toString()}
                    : new String[]{"compare", "--workloads", config.toString(), "--models", "conventional", "--out",
                    out.toString()};
            CliTest.Outcome o = protsim(args);
            assertThat(o.code()).as(o.err()).isZero();
            assertThat(tmp.getParent()).doesNotExist();
            assertThat(old).doesNotExist();
            assertThat(neighbour).exists();
        }
    }

    @Test
    void shouldCreateFilesWithTheUmaskNotOwnerOnly() throws IOException {
        Path config = write("t.json", TIMER);
        Path spec = write("spec.json", SWEEP);
        // the permissions this JVM's umask gives a plain new file and folder, for comparison
        Set<PosixFilePermission> file = Files.getPosixFilePermissions(Files.createFile(dir.resolve("probe")));
        Set<PosixFilePermission> folder = Files.getPosixFilePermissions(Files.createDirectory(dir.resolve("probed")));
        assertThat(protsim("run", config.toString(), "--out", dir.resolve("r").toString()).code()).isZero();
        assertThat(protsim("sweep", spec.toString(), "--out", dir.resolve("s").toString()).code()).isZero();
        assertThat(protsim("compare", "--workloads", config.toString(), "--models", "conventional", "--out",
                dir.resolve("c").toString()).code()).isZero();
        for (String f : new String[]{"r/summary.json", "r/histograms/timer.interarrival.hlog", "s/spec.json",
                "s/sweep.csv", "s/points/p0000/r0/summary.json", "c/compare.csv", "c/runs/t-conventional/config.json"}) {
            assertThat(Files.getPosixFilePermissions(dir.resolve(f))).as(f).isEqualTo(file);
        }
        for (String d : new String[]{"r", "r/histograms", "s", "s/points/p0000/r0", "c", "c/runs/t-conventional"}) {
            assertThat(Files.getPosixFilePermissions(dir.resolve(d))).as(d).isEqualTo(folder);
        }
    }

    @Test
    void shouldLeaveNoOutWhenMergingACorruptShard() throws IOException {
        Path spec = write("spec.json", SWEEP);
        Path shard = dir.resolve("shard");
        assertThat(protsim("sweep", spec.toString(), "--out", shard.toString()).code()).isZero();
        Files.writeString(shard.resolve("points/p0001/r0/summary.json"), "{\"counters\": {\"ref"); // cut short
        Path out = dir.resolve("merged");
        assertRefused(protsim("merge", shard.toString(), "--out", out.toString()), "p0001");
        assertThat(out).doesNotExist();
    }

    @Test
    void aFailedSweepShouldNotBlockTheCorrectedSpec() throws IOException {
        Path bad = write("bad.lackey", "I  0400,4\n L 1000,8\noops\n"); // fails at line 3, when a run reads it
        Path broken = write("broken.json", "{\"base\": {\"workload\": {\"type\": \"lackey\", \"bare\": true, \"path\": \""
                + bad + "\"}}, \"axes\": {\"machine.cpus\": [1, 2]}}");
        Path out = dir.resolve("sweep");
        assertRefused(protsim("sweep", broken.toString(), "--out", out.toString()), bad + ":3");
        Path fixed = write("fixed.json", SWEEP);
        CliTest.Outcome o = protsim("sweep", fixed.toString(), "--out", out.toString());
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(out.resolve("sweep.csv")).exists();
        // a folder whose runs finished stays that sweep's
        assertRefused(protsim("sweep", broken.toString(), "--out", out.toString()), "holds another sweep");
    }

    @Test
    @Timeout(60)
    void shouldRefuseASweepAboveTheLimitBeforeBuildingAPoint() throws IOException {
        // 3 axes of 1,000 values: 10^9 points; 10^7 with one axis of 10 (both above 10^6 runs)
        StringBuilder thousand = new StringBuilder();
        for (int i = 1; i <= 1000; i++) {
            thousand.append(i == 1 ? "" : ",").append(i);
        }
        Path huge = write("huge.json", "{\"axes\": {\"machine.cpus\": [" + thousand + "], \"kernel.quantumCycles\": ["
                + thousand + "], \"machine.memory.frames\": [" + thousand + "]}}");
        assertRefused(protsim("sweep", huge.toString(), "--out", dir.resolve("h").toString()),
                "1000 x 1000 x 1000 values x 1 replications is 1,000,000,000 runs", "limit of 1,000,000");
        Path big = write("big.json", "{\"axes\": {\"machine.cpus\": [" + thousand + "], \"kernel.quantumCycles\": ["
                + thousand + "]}, \"replications\": 10}");
        assertRefused(protsim("sweep", big.toString(), "--out", dir.resolve("b").toString()), "10,000,000 runs");
        // an overflowing product (2^63 and more) is refused the same way
        StringBuilder axes = new StringBuilder();
        for (int a = 0; a < 7; a++) {
            axes.append(a == 0 ? "" : ", ").append("\"workload.x").append(a).append("\": [").append(thousand).append(']');
        }
        Path overflow = write("overflow.json", "{\"axes\": {" + axes + "}}");
        assertRefused(protsim("sweep", overflow.toString(), "--out", dir.resolve("o").toString()), "more than");
        assertThat(dir.resolve("h")).doesNotExist();
        assertThat(dir.resolve("b")).doesNotExist();
    }

    @Test
    void shouldRefuseAnAxisPathThatIsNotExactlyAConfigKey() throws IOException {
        Path spec = write("s.json", "{\"base\": " + TIMER + ", \"axes\": {\"seed \": [1, 2]}}");
        assertRefused(protsim("sweep", spec.toString(), "--out", dir.resolve("s").toString()),
                "axis \"seed \": not a config path");
        assertThat(dir.resolve("s")).doesNotExist();
    }
}
