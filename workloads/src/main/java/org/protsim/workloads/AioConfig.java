package org.protsim.workloads;

import com.fasterxml.jackson.annotation.JsonValue;
import org.protsim.core.config.Check;
import org.protsim.core.config.WorkloadConfig;

/**
 * A storage server doing asynchronous I/O (DESIGN.md's aio workload): {@code processes} processes
 * of {@code threads} threads each; every thread sets up a context, then loops: {@code workRefs}
 * references over its private pages and the process's shared pages, submit a batch that fills its
 * queue to {@code queueDepth}, reap at least one completion (polling the ring, or blocking in the
 * reap call), until {@code iosPerThread} I/Os are done; then it destroys the context and exits.
 *
 * @param processes    processes of the server
 * @param threads      threads per process, each with its own context and queue
 * @param iosPerThread I/Os each thread completes
 * @param queueDepth   I/Os a thread keeps in flight
 * @param workRefs     references of work between one reap and the next submission
 * @param privatePages pages of data private to a thread
 * @param sharedPages  pages of data every thread of a process reads and writes
 * @param reap         {@code poll}: look at the ring (or, without one, reap without waiting) until something
 *                     is there; {@code block}: wait in the reap call (the thread sleeps, the CPU runs another)
 */
public record AioConfig(int processes, int threads, int iosPerThread, int queueDepth, int workRefs, int privatePages,
                        int sharedPages, Reap reap) implements WorkloadConfig {
    public static final String TYPE = "aio";
    public static final AioConfig DEFAULT = new AioConfig(2, 2, 256,
            // queue depth 16 per thread: the depth at which docs/hardware-costs.md "NVMe SSD" gives the device's
            // rated random-read IOPS (AnandTech's P4800X review), as fio jobs of storage benchmarks use
            16,
            // about 1 us of work per I/O batch at 3 GHz: a server parsing requests between its I/Os (an estimate)
            1_000,
            16, 16, Reap.BLOCK);

    /** How a thread waits for completions. */
    public enum Reap {
        POLL("poll"),
        BLOCK("block");

        private final String json;

        Reap(String json) {
            this.json = json;
        }

        @JsonValue
        public String json() {
            return json;
        }
    }

    public AioConfig {
        Check.range("processes", processes, 1, 64);
        Check.range("threads", threads, 1, 64);
        Check.range("iosPerThread", iosPerThread, 1, 10_000_000);
        Check.range("queueDepth", queueDepth, 1, 4096);
        Check.range("workRefs", workRefs, 0, 100_000_000);
        Check.range("privatePages", privatePages, 1, 1 << 20);
        Check.range("sharedPages", sharedPages, 1, 1 << 20);
        Check.that(reap != null, "reap", "must be given");
    }

    /** This record's workload type ({@link #TYPE}), registered in {@code META-INF/services} as a plugin's is. */
    public static final class Type implements WorkloadProvider {
        @Override
        public String name() {
            return TYPE;
        }

        @Override
        public String description() {
            return "a storage server doing asynchronous I/O: submit, reap, work, over its contexts' rings";
        }

        @Override
        public WorkloadConfig defaults() {
            return DEFAULT;
        }

        @Override
        public Workload create(WorkloadConfig config) {
            return new Aio((AioConfig) config);
        }
    }
}
