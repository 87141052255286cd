package org.protsim.os.mechanism.ukva;

import org.protsim.os.Mm;
import org.protsim.os.Task;

/**
 * One asynchronous I/O context as its program sees it: how many completions wait, and (under a
 * ring mode) the user addresses of the ring lines it reads and writes itself. The program makes
 * those references as ordinary references of its task, so they go through its TLB and caches and
 * meet the completing CPU's writes in the coherence directory.
 *
 * <p>Layout of the area, after io_uring's: page 0 holds the four ring indexes on lines of their
 * own (submission head and tail, completion head and tail), then the completion entries
 * ({@value Ukva#CQE_BYTES} bytes, as Linux aio's {@code struct io_event}), then the submission
 * entries ({@value Ukva#SQE_BYTES} bytes, as io_uring's SQE and aio's {@code struct iocb}).
 */
public final class Ring {
    static final int SQ_HEAD = 0;
    static final int SQ_TAIL = 64;
    static final int CQ_HEAD = 128;
    static final int CQ_TAIL = 192;

    final RingIo owner;
    final int index;
    final long id;
    final Mm mm;
    final Task task;
    final boolean shared;
    final long userBase;
    final int entries;
    final int[] frames;
    final int cqOffset;
    final int sqOffset;
    final long[] doneAt;
    int inFlight;
    int ready;
    int taken;
    int head;
    int tail;
    int sqNext;
    long submitStart = -1;
    Task waiter;
    int waitMin;
    int waitMax;
    int waitCpu;
    int sqPending;
    boolean dead;

    Ring(RingIo owner, int index, long id, Mm mm, Task task, boolean shared, long userBase, int entries) {
        this.owner = owner;
        this.index = index;
        this.id = id;
        this.mm = mm;
        this.task = task;
        this.shared = shared;
        this.userBase = userBase;
        this.entries = entries;
        this.cqOffset = 4096;
        this.sqOffset = cqOffset + pages(entries * Ukva.CQE_BYTES) * 4096;
        this.frames = new int[sqOffset / 4096 + pages(entries * Ukva.SQE_BYTES)];
        this.doneAt = new long[entries];
    }

    static int pages(long bytes) {
        return (int) ((bytes + 4095) / 4096);
    }

    /** The context id (io_setup's answer): under a ring mode the area's user address, as in Linux aio. */
    public long id() {
        return id;
    }

    /** True if the ring is mapped in the process (per-mm, per-task): the program reads and writes it itself. */
    public boolean shared() {
        return shared;
    }

    /** Completions in the ring the program has not consumed yet. */
    public int ready() {
        return ready;
    }

    /** I/Os submitted and not yet completed. */
    public int inFlight() {
        return inFlight;
    }

    /** True once destroyed (or its address space or task is gone). */
    public boolean dead() {
        return dead;
    }

    public int entries() {
        return entries;
    }

    /** Bytes of the area (header, completion and submission entries). */
    public long bytes() {
        return frames.length * 4096L;
    }

    public long sqTailAddress() {
        return userBase + SQ_TAIL;
    }

    public long cqTailAddress() {
        return userBase + CQ_TAIL;
    }

    public long cqHeadAddress() {
        return userBase + CQ_HEAD;
    }

    /** The user address of the {@code k}-th completion not yet consumed. */
    public long cqeAddress(int k) {
        return userBase + cqOffset + (long) ((head + k) % entries) * Ukva.CQE_BYTES;
    }

    /** The user address of the {@code k}-th submission entry the program fills next. */
    public long sqeAddress(int k) {
        return userBase + sqOffset + (long) ((sqNext + k) % entries) * Ukva.SQE_BYTES;
    }

    /** The program starts to submit now (for aio.submit.latency). */
    public void beginSubmit() {
        submitStart = owner.now();
    }

    /**
     * The program wrote {@code n} submission entries and the tail (sqPoll: no system call); the
     * kernel's polling thread picks them up.
     */
    public void post(int n) {
        owner.post(this, n);
    }

    /** The program has the {@code n} oldest completions now (read from the ring, or returned by a reap). */
    public void consume(int n) {
        owner.consume(this, n);
    }

    /** Drops the ring's references to its frames (the page tables hold their own). */
    void release(org.protsim.hw.PhysicalMemory memory) {
        for (int f : frames) {
            if (f != 0) {
                memory.release(f);
            }
        }
        java.util.Arrays.fill(frames, 0);
    }

    @Override
    public String toString() {
        return "aio context 0x" + Long.toHexString(id) + " of " + mm;
    }
}
