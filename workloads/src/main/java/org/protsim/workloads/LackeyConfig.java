package org.protsim.workloads;

import org.protsim.core.config.Check;
import org.protsim.core.config.WorkloadConfig;

/**
 * Replay of a valgrind lackey trace ({@code valgrind --tool=lackey --trace-mem=yes}).
 *
 * @param path trace file, plain text or gzip, relative to the current directory; or {@code builtin:NAME}
 *             for a recording shipped with protsim (e.g. {@code builtin:ls.lackey.gz})
 * @param bare true: replay on the hardware alone (one CPU, one address space mapped on first touch);
 *             false: as a process of the kernel, under the configured protection model
 */
public record LackeyConfig(String path, boolean bare) implements WorkloadConfig {
    public static final String TYPE = "lackey";
    public static final LackeyConfig DEFAULT = new LackeyConfig("builtin:ls.lackey.gz", false);

    public LackeyConfig {
        Check.notBlank("path", path);
    }

    /** This record's workload type ({@link #TYPE}), registered in {@code META-INF/services} as a plugin's is. */
    public static final class Type implements WorkloadProvider {
        @Override
        public String name() {
            return TYPE;
        }

        @Override
        public String description() {
            return "replay of a valgrind lackey trace, under the kernel or on the bare hardware";
        }

        @Override
        public WorkloadConfig defaults() {
            return DEFAULT;
        }

        @Override
        public Workload create(WorkloadConfig config) {
            LackeyConfig c = (LackeyConfig) config;
            return c.bare() ? new BareLackeyReplay(c) : new KernelLackeyReplay(c);
        }
    }
}
