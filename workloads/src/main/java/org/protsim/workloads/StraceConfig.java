package org.protsim.workloads;

import org.protsim.core.config.Check;
import org.protsim.core.config.WorkloadConfig;

/**
 * Replay of a process-tree recording made with {@code strace -f -tt -e trace=process,memory}.
 *
 * @param path               the recording (plain or gzip), or {@code builtin:NAME} for one shipped
 * @param refsPerMicrosecond references a task makes per microsecond of recorded time between its
 *                           system calls (300: about one reference per 10 cycles at 3 GHz)
 * @param maxRefsPerGap      at most this many references between two calls (long waits are not busy)
 * @param imagePages         text pages given to each executable (strace does not show their size)
 */
public record StraceConfig(String path, double refsPerMicrosecond, int maxRefsPerGap, int imagePages)
        implements WorkloadConfig {
    public static final String TYPE = "strace";
    public static final StraceConfig DEFAULT = new StraceConfig("builtin:build.strace.gz", 300, 200_000, 64);

    public StraceConfig {
        Check.notBlank("path", path);
        Check.that(refsPerMicrosecond >= 0 && refsPerMicrosecond <= 1e6, "refsPerMicrosecond",
                refsPerMicrosecond + " is outside 0..1000000");
        Check.nonNegative("maxRefsPerGap", maxRefsPerGap);
        Check.range("imagePages", imagePages, 1, 1 << 20);
    }

    /** This record's workload type ({@link #TYPE}), registered in {@code META-INF/services} as a plugin's is. */
    public static final class Type implements WorkloadProvider {
        @Override
        public String name() {
            return TYPE;
        }

        @Override
        public String description() {
            return "replay of a process tree recorded with strace -f";
        }

        @Override
        public WorkloadConfig defaults() {
            return DEFAULT;
        }

        @Override
        public Workload create(WorkloadConfig config) {
            StraceConfig c = (StraceConfig) config;
            return new StraceReplay(c);
        }
    }
}
