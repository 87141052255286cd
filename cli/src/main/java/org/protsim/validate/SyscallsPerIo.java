package org.protsim.validate;

import org.protsim.core.config.CoreConfig;
import org.protsim.core.config.RunConfig;
import org.protsim.orchestration.RunResult;
import org.protsim.orchestration.Runner;

/**
 * System calls per I/O, Linux aio against io_uring with polling, as Axboe counts them (J. Axboe,
 * "Efficient IO with io_uring", 2019: aio needs "two system calls (submit + wait-for-completion)"
 * per I/O; with IORING_SETUP_SQPOLL and a completion ring the application reads itself, an I/O
 * needs none). Both come from the {@code aio} workload, one thread keeping one I/O in flight (the
 * case his count describes; batching would share calls between I/Os):
 * <ul>
 *   <li>{@link Interface#LIBAIO}: {@code kernel.ukva none}, reap {@code block}: io_submit, then
 *       io_getevents waiting for the completion (libaio's calls).</li>
 *   <li>{@link Interface#SAVED_BY_IO_URING}: what io_uring saves per I/O: the libaio count less
 *       the count under {@code kernel.ukva per-mm} with {@code sqPoll} (the submission ring polled by
 *       a kernel thread) and reap {@code poll} (the completion ring read in user space). Published
 *       as 2 - 0; a ratio needs a non-zero figure, so the row holds the difference.</li>
 * </ul>
 * Counts, not times: the core model cannot move them.
 */
final class SyscallsPerIo implements Experiment {
    /** Which count the row holds. */
    enum Interface { LIBAIO, SAVED_BY_IO_URING }

    private static final String CONFIG = """
            {"machine": {"cpus": 2},
             "model": {"name": "pcid"},
             "workload": {"type": "aio", "processes": 1, "threads": 1, "queueDepth": 1}}""";

    private final Interface which;

    SyscallsPerIo(Interface which) {
        this.which = which;
    }

    @Override
    public String id() {
        return which == Interface.LIBAIO ? "syscalls-per-io-libaio" : "syscalls-saved-io_uring";
    }

    @Override
    public Published published() {
        String source = "J. Axboe, \"Efficient IO with io_uring\" (2019)";
        String condition = "one I/O in flight; io_uring with IORING_SETUP_SQPOLL and a polled completion ring";
        return which == Interface.LIBAIO
                ? new Published("system calls per I/O, Linux aio (io_submit + io_getevents)", "calls", 2, 2, source,
                condition)
                : new Published("system calls per I/O io_uring with polling saves over Linux aio (2 - 0)", "calls", 2, 2,
                source, condition);
    }


    @Override
    public String basisNote() {
        return which == Interface.LIBAIO
                ? "counted by kernel.ukva none (aio.syscallsPerIo); no constant involved"
                : "aio.syscallsPerIo under none less under per-mm with sqPoll and reap poll; no constant involved";
    }

    @Override
    public double bandLow() {
        return 1.0; // "at least two": fewer would contradict the interface
    }

    @Override
    public double bandHigh() {
        return 1.5;
    }

    @Override
    public double predict(CoreConfig core, boolean quick) {
        String ios = "workload.iosPerThread=" + (quick ? 64 : 256);
        double libaio = syscallsPerIo(Configs.of(CONFIG, core, ios, "kernel.ukva.mode=none", "workload.reap=block"));
        if (which == Interface.LIBAIO) {
            return libaio;
        }
        return libaio - syscallsPerIo(Configs.of(CONFIG, core, ios, "kernel.ukva.mode=per-mm",
                "kernel.ukva.sqPoll=true", "workload.reap=poll"));
    }

    private static double syscallsPerIo(RunConfig c) {
        RunResult r = Runner.run(c);
        return (double) r.summary().counter("aio.syscalls") / r.summary().counter("aio.completed");
    }
}
