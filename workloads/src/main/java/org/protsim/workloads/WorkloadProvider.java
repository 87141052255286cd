package org.protsim.workloads;

import org.protsim.core.config.WorkloadConfig;
import org.protsim.core.plugin.Provider;

/**
 * Extension point: a workload type, chosen by {@code workload.type} = {@link #name()}. protsim's
 * own types ({@code timer}, {@code fork-storm}, {@code shared-libc}, ...) register exactly as a
 * plugin's do: a {@code META-INF/services/org.protsim.workloads.WorkloadProvider} file naming the
 * provider class, found by {@link java.util.ServiceLoader}.
 *
 * <p>A type declares its own config record (a Java record implementing {@link WorkloadConfig},
 * validated in its compact constructor with {@link org.protsim.core.config.Check}); the loader
 * lays the user's {@code workload} object over {@link #defaults()} and binds it to that record as
 * strictly as every other part of the config: an unknown key is refused with its path. The record
 * must be distinct for each type.
 */
public interface WorkloadProvider extends Provider {

    /** The defaults of every key; their class is the type's config record. */
    WorkloadConfig defaults();

    /**
     * The workload of {@code config}, which is always an instance of {@link #defaults()}'s class.
     * Called once per run; the workload's {@link Workload#start} then builds processes or events.
     */
    Workload create(WorkloadConfig config);
}
