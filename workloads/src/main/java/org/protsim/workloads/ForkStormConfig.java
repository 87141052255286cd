package org.protsim.workloads;

import org.protsim.core.config.Check;
import org.protsim.core.config.WorkloadConfig;

/**
 * Parents with a resident set fork children. A fraction {@code execFraction} exec at once (the
 * spawn case); the rest run {@code childRefs} references over the parent's data, writing
 * {@code childWriteFraction} of its pages (the pre-fork server case). Children exit when done;
 * parents exit after their share of {@code forks}.
 *
 * @param parents            processes that fork
 * @param residentPages      pages of data each parent touches before forking (its resident set)
 * @param forks              children in all, spread evenly over the parents
 * @param execFraction       fraction of children that exec at once
 * @param childWriteFraction fraction of the parent's data pages a non-exec child writes
 * @param childRefs          references a child makes (after exec, in its new image)
 * @param imagePages         text pages of the parents' and the children's executables
 * @param parentRefsPerFork  references a parent makes over its own data between two forks (30% writes)
 */
public record ForkStormConfig(int parents, int residentPages, int forks, double execFraction, double childWriteFraction,
                              int childRefs, int imagePages, int parentRefsPerFork) implements WorkloadConfig {
    public static final String TYPE = "fork-storm";
    public static final ForkStormConfig DEFAULT = new ForkStormConfig(4, 2048, 2000, 0.5, 0.1, 20_000, 256, 2000);

    public ForkStormConfig {
        Check.range("parents", parents, 1, 100_000);
        Check.range("residentPages", residentPages, 1, 1 << 26);
        Check.nonNegative("forks", forks);
        Check.fraction("execFraction", execFraction);
        Check.fraction("childWriteFraction", childWriteFraction);
        Check.nonNegative("childRefs", childRefs);
        Check.range("imagePages", imagePages, 1, 1 << 20);
        Check.nonNegative("parentRefsPerFork", parentRefsPerFork);
    }

    /** This record's workload type ({@link #TYPE}), registered in {@code META-INF/services} as a plugin's is. */
    public static final class Type implements WorkloadProvider {
        @Override
        public String name() {
            return TYPE;
        }

        @Override
        public String description() {
            return "parents with a resident set forking children (spawn and pre-fork server cases)";
        }

        @Override
        public WorkloadConfig defaults() {
            return DEFAULT;
        }

        @Override
        public Workload create(WorkloadConfig config) {
            ForkStormConfig c = (ForkStormConfig) config;
            return new ForkStorm(c);
        }
    }
}
