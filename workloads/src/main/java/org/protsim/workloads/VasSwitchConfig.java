package org.protsim.workloads;

import org.protsim.core.config.Check;
import org.protsim.core.config.WorkloadConfig;

/**
 * Threads of one process alternating among large data sets (SpaceJMP's comparison, El Hajj et
 * al., ASPLOS 2016). Under {@code vas} each data set is a first-class address space and a
 * visit is a switch into it; under the other models a visit unmaps the data set the thread
 * had mapped and maps the next (shared-memory objects, so contents persist).
 *
 * @param threads       threads of the process
 * @param dataSets      data sets
 * @param dataSetPages  pages of each data set
 * @param visits        visits in all, shared among the threads; a thread visits data sets in turn
 * @param refsPerVisit  references a visit makes, uniform over the data set's pages
 * @param writeFraction fraction of those references that are writes
 */
public record VasSwitchConfig(int threads, int dataSets, int dataSetPages, int visits, int refsPerVisit,
                              double writeFraction) implements WorkloadConfig {
    public static final String TYPE = "vas-switch";
    public static final VasSwitchConfig DEFAULT = new VasSwitchConfig(2, 4, 16384, 2000, 20_000, 0.3);

    public VasSwitchConfig {
        Check.range("threads", threads, 1, 1024);
        Check.range("dataSets", dataSets, 1, 200);
        Check.range("dataSetPages", dataSetPages, 1, 1 << 27);
        Check.nonNegative("visits", visits);
        Check.nonNegative("refsPerVisit", refsPerVisit);
        Check.fraction("writeFraction", writeFraction);
    }

    /** This record's workload type ({@link #TYPE}), registered in {@code META-INF/services} as a plugin's is. */
    public static final class Type implements WorkloadProvider {
        @Override
        public String name() {
            return TYPE;
        }

        @Override
        public String description() {
            return "threads alternating among large data sets: VAS switches or unmap + map";
        }

        @Override
        public WorkloadConfig defaults() {
            return DEFAULT;
        }

        @Override
        public Workload create(WorkloadConfig config) {
            VasSwitchConfig c = (VasSwitchConfig) config;
            return new VasSwitch(c);
        }
    }
}
