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
}
