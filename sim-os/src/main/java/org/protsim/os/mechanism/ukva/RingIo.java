package org.protsim.os.mechanism.ukva;

import org.protsim.core.Event;
import org.protsim.core.InputError;
import org.protsim.core.Priority;
import org.protsim.core.config.UkvaConfig;
import org.protsim.core.stats.Counter;
import org.protsim.core.stats.LatencyRecorder;
import org.protsim.core.stats.Stats;
import org.protsim.hw.Cpu;
import org.protsim.hw.CycleCategory;
import org.protsim.os.MechanismServices;
import org.protsim.os.Task;

import java.util.List;

/**
 * {@code kernel.ukva}'s I/O path: submissions from a program to the block device and completions
 * back, through a context's rings (per-mm, per-task: references to the shared lines on both
 * sides, locked index updates) or the classic calls' copies (none). {@link Ukva} sets the
 * contexts up and tears them down; the counters of asynchronous I/O are this path's.
 */
final class RingIo {
    private final UkvaConfig config;
    private final MechanismServices services;
    private final List<Ring> rings;
    private Counter submitted;
    private Counter completed;
    private Counter syscalls;
    private Counter bytesCopied;
    private Counter ringUpdates;
    private LatencyRecorder completionLatency;
    private LatencyRecorder submitLatency;
    private long firstSubmit = -1;
    private long lastCompletion;

    RingIo(UkvaConfig config, MechanismServices services, List<Ring> rings) {
        this.config = config;
        this.services = services;
        this.rings = rings;
    }

    void registerStats(Stats st) {
        submitted = st.counter("aio.submitted", "I/Os", "asynchronous I/Os handed to the kernel");
        completed = st.counter("aio.completed", "I/Os", "completions the program has (read from the ring or returned)");
        syscalls = st.counter("aio.syscalls", "calls", "submit and reap system calls (io_submit, io_getevents, io_uring_enter)");
        bytesCopied = st.counter("aio.bytesCopied", "bytes", "bytes of requests and events copied between user and kernel");
        ringUpdates = st.counter("ukva.ringUpdates", "updates",
                "ring index updates (submission and completion heads and tails), by the kernel or the program");
        completionLatency = st.histogram("aio.completion.latency", "cycles",
                "device completion to the program having the event");
        submitLatency = st.histogram("aio.submit.latency", "cycles",
                "the program starting to submit to the request reaching the device");
        st.counter("aio.spanCycles", "cycles", "first submission to last completion", () -> lastCompletion
                - Math.max(0, firstSubmit));
        st.derived("aio.syscallsPerIo", "calls/I/O", "aio.syscalls over aio.completed",
                sum -> sum.counter("aio.completed") == 0 ? Double.NaN
                        : (double) sum.counter("aio.syscalls") / sum.counter("aio.completed"));
        double cyclesPerSecond = services.config().machine().cyclesPerNs() * 1e9;
        st.derived("aio.iops", "I/Os/s", "completions per simulated second, first submission to last completion",
                sum -> sum.counter("aio.spanCycles") == 0 ? Double.NaN
                        : sum.counter("aio.completed") * cyclesPerSecond / sum.counter("aio.spanCycles"));
    }

    long now() {
        return services.now();
    }

    private long pa(Ring r, int offset) {
        return ((long) r.frames[offset >>> 12] << 12) | (offset & 4095);
    }

    void submit(Cpu cpu, Task task, Ring r, int count) {
        syscalls.increment();
        if (count < 0 || r.inFlight + count > r.entries) {
            throw new InputError(task + " submitted " + count + " I/Os to " + r + " with " + r.inFlight
                    + " in flight: more than its " + r.entries + " entries");
        }
        if (r.shared) {
            if (config.sqPoll()) {
                // io_uring_enter is still allowed under SQPOLL (to wake the thread); the poller does the work
                services.complete(task, count);
                post(r, count);
                return;
            }
            ringUpdates.increment(); // the program's store of the submission tail
            takeSubmissions(cpu, r, count);
        } else {
            long bytes = (long) count * (Ukva.IOCB_BYTES + Ukva.IOCB_POINTER_BYTES);
            copy(cpu, bytes);
            toDevice(cpu, r, count);
        }
        services.complete(task, count);
    }

    /** The kernel reads the tail, then {@code count} entries, from the submission ring, and advances the head. */
    private void takeSubmissions(Cpu cpu, Ring r, int count) {
        cpu.referencePhysical(pa(r, Ring.SQ_TAIL), Cpu.READ);
        for (int i = 0; i < count; i++) {
            int slot = (r.sqNext + i) % r.entries;
            cpu.referencePhysical(pa(r, r.sqOffset + slot * Ukva.SQE_BYTES), Cpu.READ);
        }
        r.sqNext = (r.sqNext + count) % r.entries;
        cpu.referencePhysical(pa(r, Ring.SQ_HEAD), Cpu.WRITE);
        ringUpdates.increment();
        toDevice(cpu, r, count);
    }

    private void toDevice(Cpu cpu, Ring r, int count) {
        long at = Math.max(cpu.clock(), services.now());
        if (firstSubmit < 0) {
            firstSubmit = at;
        }
        if (r.submitStart >= 0) {
            submitLatency.record(Math.max(0, at - r.submitStart));
            r.submitStart = -1;
        }
        for (int i = 0; i < count; i++) {
            services.disk().submit(cpu, r.index);
        }
        r.inFlight += count;
        submitted.add(count);
    }

    /** The program posted {@code n} entries (the tail written): the polling thread takes them. */
    void post(Ring r, int n) {
        if (!r.shared || !config.sqPoll()) {
            throw new IllegalStateException("post needs a ring with kernel.ukva.sqPoll");
        }
        if (r.inFlight + r.sqPending + n > r.entries) {
            throw new InputError("the program posted " + n + " I/Os to " + r + " with " + (r.inFlight + r.sqPending)
                    + " pending: more than its " + r.entries + " entries");
        }
        ringUpdates.increment(); // the program's store of the submission tail
        r.sqPending += n;
        if (!poller.isScheduled()) {
            services.scheduleAt(poller, services.now());
        }
    }

    /** io_uring's SQ thread, on the last CPU: takes what every ring has posted. */
    private final Event poller = Event.of(Priority.DEVICE, "ukva.sqpoll", this::poll);

    private void poll() {
        Cpu cpu = services.cpu(services.cpuCount() - 1);
        cpu.advanceTo(services.now());
        for (int i = 0; i < rings.size(); i++) { // indexed: no iterator per poll
            Ring r = rings.get(i);
            if (r.sqPending > 0 && !r.dead) {
                int n = r.sqPending;
                r.sqPending = 0;
                takeSubmissions(cpu, r, n);
            }
        }
    }

    // ------------------------------------------------------------------ completion

    void completedOnDevice(Cpu cpu, long tag, long submittedAt, long completedAt) {
        Ring r = rings.get((int) tag);
        if (r.dead) {
            return; // the context went away with I/O in flight; nobody reads this event
        }
        r.inFlight--;
        int slot = (r.head + r.ready + r.taken) % r.entries;
        r.doneAt[slot] = completedAt;
        // the event written to the ring (or, under none, the kernel's queue), then the tail advanced atomically
        cpu.referencePhysical(pa(r, r.cqOffset + slot * Ukva.CQE_BYTES), Cpu.WRITE);
        if (r.shared) {
            cpu.referencePhysical(pa(r, Ring.CQ_TAIL), Cpu.WRITE);
            cpu.charge(CycleCategory.INTERRUPT, config.atomicCycles());
            ringUpdates.increment();
        }
        r.ready++;
        lastCompletion = Math.max(lastCompletion, completedAt);
        if (r.waiter != null && r.ready >= r.waitMin) {
            Task t = r.waiter;
            r.waiter = null;
            deliver(services.cpu(r.waitCpu), t, r, r.waitMax);
            services.wake(t, Math.max(services.now(), cpu.clock()));
        }
    }

    void reap(Cpu cpu, Task task, Ring r, int min, int max) {
        syscalls.increment();
        if (min < 0 || max < 1 || min > max) {
            throw new InputError(task + ": reap of " + r + " with min " + min + " and max " + max);
        }
        if (min > r.ready + r.inFlight + r.sqPending) {
            throw new InputError(task + " waits for " + min + " completions of " + r + " but only "
                    + (r.ready + r.inFlight + r.sqPending) + " can come");
        }
        if (r.ready >= min) {
            deliver(cpu, task, r, max);
            return;
        }
        r.waiter = task;
        r.waitMin = min;
        r.waitMax = max;
        r.waitCpu = cpu.id();
        services.block(task);
    }

    /**
     * Returns up to {@code max} completions to {@code task}: under none the events are read from the
     * kernel's queue and copied out on {@code cpu} (the one the task waits on), under a ring mode the
     * count only (the program reads the ring).
     */
    private void deliver(Cpu cpu, Task task, Ring r, int max) {
        int k = Math.min(r.ready, max);
        if (!r.shared) {
            for (int i = 0; i < k; i++) {
                int slot = (r.head + r.taken + i) % r.entries;
                cpu.referencePhysical(pa(r, r.cqOffset + slot * Ukva.CQE_BYTES), Cpu.READ);
            }
            copy(cpu, (long) k * Ukva.EVENT_BYTES);
            r.ready -= k;
            r.taken += k;
        }
        services.complete(task, k);
    }

    private void copy(Cpu cpu, long bytes) {
        bytesCopied.add(bytes);
        // copy_from_user/copy_to_user at the rate of a page copy (machine.costs.pageCopyCycles per 4 KiB)
        services.charge(cpu, CycleCategory.COPY, (bytes * services.costs().pageCopyCycles() + 4095) / 4096);
    }

    /** The program has the {@code n} oldest completions of {@code r}. */
    void consume(Ring r, int n) {
        int have = r.shared ? r.ready : r.taken;
        if (n < 0 || n > have) {
            throw new IllegalStateException("consume " + n + " of " + r + " with " + have + " there");
        }
        long now = services.now();
        for (int i = 0; i < n; i++) {
            completionLatency.record(Math.max(0, now - r.doneAt[(r.head + i) % r.entries]));
        }
        r.head = (r.head + n) % r.entries;
        if (r.shared) {
            r.ready -= n;
            if (n > 0) {
                ringUpdates.increment(); // the program's store of the completion head
            }
        } else {
            r.taken -= n;
        }
        completed.add(n);
    }
}
