package org.protsim.workloads.trace;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * A parsed {@code strace -f -tt -e trace=process,memory} recording: per pid, the events that
 * matter to memory protection, in the order the recording completed them; the pids nobody in
 * the recording created (the roots); and what the recording shows, counted while parsing.
 */
public record StraceTrace(String file, List<Integer> roots, SortedMap<Integer, List<Event>> events,
                          long lines, long ignoredLines, long failedCalls, long forks, long threads, long execs) {

    /** Something a pid did, at {@code time} microseconds, completed on line {@code line}. */
    public sealed interface Event {
        long time();

        long line();
    }

    /** A successful mmap: {@code result} is where it went. {@code prot}/{@code flags} use the Vma constants. */
    public record Mmap(long time, long line, long length, int prot, int flags, int fd, long offset, long result)
            implements Event {
    }

    public record Munmap(long time, long line, long addr, long length) implements Event {
    }

    public record Mprotect(long time, long line, long addr, long length, int prot) implements Event {
    }

    /** brk: {@code requested} 0 is a query; {@code result} is the break afterwards. */
    public record Brk(long time, long line, long requested, long result) implements Event {
    }

    public record Mremap(long time, long line, long addr, long oldLength, long newLength, long result)
            implements Event {
    }

    /** madvise(MADV_DONTNEED or MADV_FREE). */
    public record Discard(long time, long line, long addr, long length) implements Event {
    }

    /** A successful clone/clone3/fork/vfork: {@code thread} for CLONE_THREAD, {@code sharesVm} for CLONE_VM. */
    public record Spawn(long time, long line, int child, boolean thread, boolean sharesVm) implements Event {
    }

    /** A successful execve. */
    public record Exec(long time, long line, String path) implements Event {
    }

    /** exit (one thread) or exit_group (the process). */
    public record Exit(long time, long line, int status, boolean group) implements Event {
    }

    /** "+++ exited with N +++" or "+++ killed by SIG +++": the pid is gone. */
    public record Gone(long time, long line, int status) implements Event {
    }

    /**
     * io_setup (the context id {@code key} is the ring's user address) or io_uring_setup ({@code key}
     * is the ring's file descriptor), for {@code entries} I/Os.
     */
    public record AioSetup(long time, long line, long key, int entries, boolean uring) implements Event {
    }

    /** io_submit, or io_uring_enter with to_submit: {@code count} I/Os the kernel took (the call's result). */
    public record AioSubmit(long time, long line, long key, int count) implements Event {
    }

    /**
     * io_getevents ({@code count} events returned, at least {@code min} waited for), or io_uring_enter
     * with IORING_ENTER_GETEVENTS waiting for {@code min} completions ({@code count} -1: read from the ring).
     */
    public record AioReap(long time, long line, long key, int min, int count, boolean uring) implements Event {
    }

    public record AioDestroy(long time, long line, long key) implements Event {
    }

    /** An mmap of an io_uring ring (IORING_OFF_SQ_RING 0, IORING_OFF_CQ_RING 0x8000000, IORING_OFF_SQES 0x10000000). */
    public record AioRingMmap(long time, long line, int fd, long offset, long length, long result) implements Event {
    }

    public List<Event> of(int pid) {
        return events.getOrDefault(pid, List.of());
    }

    public Map<Integer, List<Event>> all() {
        return events;
    }
}
