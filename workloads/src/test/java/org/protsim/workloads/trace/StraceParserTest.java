package org.protsim.workloads.trace;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protsim.core.InputError;
import org.protsim.os.Vma;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StraceParserTest {
    @TempDir
    Path dir;

    private StraceTrace parse(String text) throws IOException {
        Path f = dir.resolve("t.strace");
        Files.writeString(f, text);
        return StraceParser.parse(f.toString());
    }

    private static final String SAMPLE = """
            100 10:00:00.000000 execve("/usr/bin/make", ["make", "-j4"], 0x7ffd /* 35 vars */) = 0
            100 10:00:00.000100 brk(NULL)         = 0x5616d3960000
            100 10:00:00.000200 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7fe4e1081000
            100 10:00:00.000300 mmap(0x7fe4e1074000, 4096, PROT_READ|PROT_EXEC, MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE, 3, 0x1000) = 0x7fe4e1074000
            100 10:00:00.000400 clone3({flags=CLONE_VM|CLONE_VFORK, exit_signal=SIGCHLD, stack=0x7fe4e0e25000, stack_size=0x9000}, 88 <unfinished ...>
            101 10:00:00.000500 execve("/usr/bin/gcc", ["gcc", "-c", "a, b.c"], 0x5616 /* 38 vars */ <unfinished ...>
            101 10:00:00.000600 <... execve resumed>) = 0
            100 10:00:00.000700 <... clone3 resumed>) = 101
            101 10:00:00.000800 execve("/root/bin/as", ["as"], 0x1598 /* 42 vars */) = -1 ENOENT (No such file or directory)
            101 10:00:00.000900 mprotect(0x7fe4e1060000, 16384, PROT_READ) = 0
            101 10:00:00.001000 munmap(0x7fe4e1078000, 34547) = 0
            100 10:00:00.001100 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=101, si_status=0} ---
            101 10:00:00.001200 exit_group(0)     = ?
            101 10:00:00.001300 +++ exited with 0 +++
            100 10:00:00.001400 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f) = 102
            100 10:00:00.001500 clone3({flags=CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD|CLONE_SYSVSEM, child_tid=0x7fd9} => {parent_tid=[103]}, 88) = 103
            102 10:00:00.001600 wait4(-1,  <unfinished ...>
            103 10:00:00.001700 exit(0)           = ?
            103 10:00:00.001800 +++ exited with 0 +++
            102 10:00:00.001900 +++ killed by SIGKILL +++
            100 10:00:00.002000 mremap(0x7fe4e1081000, 8192, 16384, MREMAP_MAYMOVE) = 0x7fe4e2000000
            100 10:00:00.002100 madvise(0x7fe4e2000000, 16384, MADV_DONTNEED) = 0
            100 10:00:00.002200 madvise(0x7fe4e2000000, 16384, MADV_HUGEPAGE) = 0
            100 10:00:00.002300 exit_group(0)     = ?
            100 10:00:00.002400 +++ exited with 0 +++
            """;

    @Test
    void shouldReadWhatARealRecordingContains() throws IOException {
        StraceTrace t = parse(SAMPLE);
        assertThat(t.roots()).containsExactly(100);
        assertThat(t.events().keySet()).containsExactly(100, 101, 102, 103);
        assertThat(t.forks()).isEqualTo(2);   // 101 (clone3 CLONE_VM|CLONE_VFORK) and 102 (clone without CLONE_VM)
        assertThat(t.threads()).isEqualTo(1); // 103
        assertThat(t.execs()).isEqualTo(2);   // make, then gcc; the failed execve of as does not count
        assertThat(t.failedCalls()).isEqualTo(1);
        List<StraceTrace.Event> p = t.of(100);
        assertThat(p.get(0)).isEqualTo(new StraceTrace.Exec(36_000_000_000L, 1, "/usr/bin/make"));
        assertThat(p.get(1)).isEqualTo(new StraceTrace.Brk(36_000_000_100L, 2, 0, 0x5616d3960000L));
        assertThat(p.get(2)).isEqualTo(new StraceTrace.Mmap(36_000_000_200L, 3, 8192, Vma.READ | Vma.WRITE,
                Vma.PRIVATE | Vma.ANONYMOUS, -1, 0, 0x7fe4e1081000L));
        assertThat(p.get(3)).isEqualTo(new StraceTrace.Mmap(36_000_000_300L, 4, 4096, Vma.READ | Vma.EXEC,
                Vma.PRIVATE | Vma.FIXED, 3, 0x1000, 0x7fe4e1074000L));
        // the unfinished clone3 completes on line 8, where its result is
        assertThat(p.get(4)).isEqualTo(new StraceTrace.Spawn(36_000_000_700L, 8, 101, false, true));
        assertThat(p.get(5)).isEqualTo(new StraceTrace.Spawn(36_000_001_400L, 15, 102, false, false));
        assertThat(p.get(6)).isEqualTo(new StraceTrace.Spawn(36_000_001_500L, 16, 103, true, true));
        assertThat(p.get(7)).isEqualTo(new StraceTrace.Mremap(36_000_002_000L, 21, 0x7fe4e1081000L, 8192, 16384,
                0x7fe4e2000000L));
        assertThat(p.get(8)).isEqualTo(new StraceTrace.Discard(36_000_002_100L, 22, 0x7fe4e2000000L, 16384));
        assertThat(p.get(9)).isEqualTo(new StraceTrace.Exit(36_000_002_300L, 24, 0, true));
        assertThat(t.of(101).get(0)).isEqualTo(new StraceTrace.Exec(36_000_000_600L, 7, "/usr/bin/gcc"));
        assertThat(t.of(101)).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("Exec", "Mprotect", "Munmap", "Exit", "Gone");
        assertThat(t.of(102)).containsExactly(new StraceTrace.Gone(36_000_001_900L, 20, 128));
        assertThat(t.of(103)).extracting(e -> e.getClass().getSimpleName()).containsExactly("Exit", "Gone");
        // ignored: the signal, wait4 (unfinished, never resumed), madvise(MADV_HUGEPAGE)
        assertThat(t.ignoredLines()).isEqualTo(2);
        assertThat(t.lines()).isEqualTo(25);
    }

    @Test
    void shouldReadGzipAndEpochTimestampsAndWrapPastMidnight() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(("7 23:59:59.999000 brk(NULL) = 0x1000000\n7 00:00:00.001000 brk(0x1021000) = 0x1021000\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        Path gz = dir.resolve("t.strace.gz");
        Files.write(gz, bytes.toByteArray());
        StraceTrace t = StraceParser.parse(gz.toString());
        assertThat(t.of(7).get(1).time() - t.of(7).get(0).time()).isEqualTo(2000); // 2 ms, across midnight
        StraceTrace epoch = parse("9 1700000000.500000 munmap(0x1000, 4096) = 0\n");
        assertThat(epoch.of(9).get(0).time()).isEqualTo(1_700_000_000_500_000L);
    }

    private void assertBad(String text, String expected) {
        assertThatThrownBy(() -> parse(text)).isInstanceOf(InputError.class).hasMessageContaining(expected);
    }

    @Test
    void shouldNameFileAndLineOfWhatItCannotRead() {
        String ok = "1 10:00:00.000001 brk(NULL) = 0x1000\n";
        assertBad(ok + "garbage here\n", "t.strace:2: not a line of strace -f -tt output");
        assertBad(ok + ok + "1 10:00:00.000002 ???\n", "t.strace:3: not a system call, signal or exit line");
        assertBad(ok + "1 10:00:00.000002 mmap(NULL, 4096) = 0x1000\n", "t.strace:2: expected 6 arguments");
        assertBad(ok + "1 10:00:00.000002 munmap(0xZZ, 4096) = 0\n", "t.strace:2: expected a number");
        assertBad(ok + "1 10:00:00.000002 munmap(0x1000, 4096)\n", "t.strace:2: a call without its result");
        assertBad(ok + "1 10:00:00.000002 +++ exited somehow +++\n", "t.strace:2: unreadable exit line");
        assertBad("1 10:00:00.000001 clone(child_stack=NULL, flags=SIGCHLD <unfinished ...>\n"
                + "1 10:00:00.000002 <... execve resumed>) = 0\n", "t.strace:2: resumes execve but pid 1 left clone");
    }

    @Test
    void shouldRefuseTruncatedGarbledAndEmptyFiles() throws IOException {
        assertBad("", "t.strace:1: empty trace");
        assertBad("1 10:00:00.000001 brk(NULL) = 0x1000\n1 10:00:00.000002 mmap(NULL, 40",
                "t.strace:2: truncated last line");
        byte[] garbage = new byte[300];
        Arrays.fill(garbage, (byte) 0x9c);
        Path g = dir.resolve("garbled.strace");
        Files.write(g, garbage);
        assertThatThrownBy(() -> StraceParser.parse(g.toString())).isInstanceOf(InputError.class)
                .hasMessageStartingWith(g + ":1: ");
        assertThatThrownBy(() -> StraceParser.parse(dir.resolve("absent").toString()))
                .isInstanceOf(InputError.class).hasMessageEndingWith("absent: no such file");
    }

    /**
     * Every number a line carries, one too big (or otherwise impossible) for its field at a
     * time: each is an input error naming file and line, never a NumberFormatException or a
     * silently truncated value. The limits: pids 1..4194304 (Linux's PID_MAX_LIMIT), a clock
     * time of day, epoch seconds up to 10^11, exit status 0..255 (WEXITSTATUS), addresses and
     * lengths below 2^57 (x86-64's largest user space), file descriptors and exit codes within
     * a C int, file offsets non-negative.
     */
    @Test
    void shouldRefuseEveryNumberTooBigForItsFieldNamingFileAndLine() {
        String ok = "1 10:00:00.000001 brk(NULL) = 0x1000\n";
        String at = "1 10:00:00.000002 ";
        assertBad(ok + "99999999999 10:00:00.000002 brk(NULL) = 0x1000\n", "t.strace:2: pid 99999999999 is outside 1..4194304");
        assertBad(ok + "4194305 10:00:00.000002 brk(NULL) = 0x1000\n", "t.strace:2: pid 4194305 is outside");
        assertBad(ok + "0 10:00:00.000002 brk(NULL) = 0x1000\n", "t.strace:2: pid 0 is outside");
        assertBad(ok + "99999999999999999999999 1700000000.5 brk(NULL) = 0x1000\n", "t.strace:2: pid 999999999999999999999");
        assertBad(ok + "1 25:00:00.000002 brk(NULL) = 0x1000\n", "t.strace:2: time of day 25:00:00 is not a clock time");
        assertBad(ok + "1 10:61:00.000002 brk(NULL) = 0x1000\n", "t.strace:2: time of day 10:61:00");
        assertBad(ok + "1 99999999999999999999999.5 brk(NULL) = 0x1000\n", "t.strace:2: timestamp 99999999999999999999999");
        assertBad(ok + "1 100000000001.5 brk(NULL) = 0x1000\n", "t.strace:2: timestamp 100000000001 s is after the year 5138");
        assertBad(ok + at + "+++ exited with 99999999999 +++\n", "t.strace:2: exit status 99999999999 is outside 0..255");
        assertBad(ok + at + "+++ exited with 256 +++\n", "t.strace:2: exit status 256 is outside 0..255");
        String mmap = "mmap(NULL, %s, PROT_READ, MAP_PRIVATE, %s, %s) = %s\n";
        assertBad(ok + at + String.format(mmap, "0x8000000000000000", "3", "0", "0x1000"),
                "t.strace:2: length 0x8000000000000000 is outside 0..2^57");
        assertBad(ok + at + String.format(mmap, "-4096", "3", "0", "0x1000"), "t.strace:2: length -4096 is outside");
        assertBad(ok + at + String.format(mmap, "99999999999999999999", "3", "0", "0x1000"),
                "t.strace:2: expected a number, got \"99999999999999999999\"");
        assertBad(ok + at + String.format(mmap, "4096", "4294967296", "0", "0x1000"),
                "t.strace:2: file descriptor 4294967296 is outside -1..2147483647");
        assertBad(ok + at + String.format(mmap, "4096", "3", "-1", "0x1000"), "t.strace:2: file offset -1 is outside");
        assertBad(ok + at + String.format(mmap, "4096", "3", "0", "0xffffffffffffffff"),
                "t.strace:2: address 0xffffffffffffffff is outside 0..2^57-1");
        assertBad(ok + at + "munmap(0x200000000000000, 4096) = 0\n", "t.strace:2: address 0x200000000000000 is outside");
        assertBad(ok + at + "mprotect(0x1000, 0x200000000000001, PROT_READ) = 0\n", "t.strace:2: length 0x200000000000001");
        assertBad(ok + at + "brk(NULL) = 0x10000000000000000\n", "t.strace:2: expected a number, got \"0x10000000000000000\"");
        assertBad(ok + at + "mremap(0x1000, 4096, 0x1000000000000000, MREMAP_MAYMOVE) = 0x2000\n",
                "t.strace:2: length 0x1000000000000000 is outside");
        assertBad(ok + at + "madvise(0x1000, 999999999999999999, MADV_DONTNEED) = 0\n", "t.strace:2: length 999999999999999999 is outside");
        assertBad(ok + at + "clone(child_stack=NULL, flags=SIGCHLD) = 99999999999\n",
                "t.strace:2: child pid 99999999999 is outside 1..4194304");
        assertBad(ok + at + "exit_group(99999999999) = ?\n", "t.strace:2: exit status 99999999999 is outside");
    }

    /** The largest value of each field is still read, as the value written. */
    @Test
    void shouldReadTheLargestValueOfEachField() throws IOException {
        StraceTrace t = parse("4194304 23:59:60.999999 mmap(NULL, 144115188075855872, PROT_READ, MAP_SHARED, 2147483647, "
                + "9223372036854775807) = 0x1ffffffffffffff\n"
                + "4194304 100000000000.000001 exit_group(-2147483648) = ?\n"
                + "4194304 100000000000.000002 +++ exited with 255 +++\n");
        StraceTrace.Mmap m = (StraceTrace.Mmap) t.of(4194304).get(0);
        assertThat(m.length()).isEqualTo(1L << 57);
        assertThat(m.fd()).isEqualTo(Integer.MAX_VALUE);
        assertThat(m.offset()).isEqualTo(Long.MAX_VALUE);
        assertThat(m.result()).isEqualTo((1L << 57) - 1);
        assertThat(((StraceTrace.Exit) t.of(4194304).get(1)).status()).isEqualTo(Integer.MIN_VALUE);
        assertThat(((StraceTrace.Gone) t.of(4194304).get(2)).status()).isEqualTo(255);
        // 100000000000 s since the epoch, in microseconds
        assertThat(t.of(4194304).get(2).time()).isEqualTo(100_000_000_000_000_002L);
    }
}
