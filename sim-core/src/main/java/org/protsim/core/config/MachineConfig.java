package org.protsim.core.config;

/**
 * The simulated machine. Defaults follow a current x86 core (Intel Skylake); each part's
 * record cites its sources, by their row in docs/hardware-costs.md.
 *
 * @param cpus               number of CPUs
 * @param cyclesPerNs        clock rate, used only to convert cycles to time for people
 * @param cyclesPerReference cycles a memory reference's instruction takes apart from TLB and cache latency
 */
public record MachineConfig(int cpus, double cyclesPerNs, int cyclesPerReference,
                            TlbsConfig tlb, WalkerConfig walker, CachesConfig caches, MemoryConfig memory,
                            PlbConfig plb, CostsConfig costs) {
    /** Maximum number of CPUs: CPU sets are kept in a {@code long} bitmask. */
    public static final int MAX_CPUS = 64;

    public static final MachineConfig DEFAULT = new MachineConfig(2, 3.0, 1,
            TlbsConfig.DEFAULT, WalkerConfig.DEFAULT, CachesConfig.DEFAULT, MemoryConfig.DEFAULT,
            PlbConfig.DEFAULT, CostsConfig.DEFAULT);

    public MachineConfig {
        Check.range("cpus", cpus, 1, MAX_CPUS);
        Check.positive("cyclesPerNs", cyclesPerNs);
        Check.nonNegative("cyclesPerReference", cyclesPerReference);
    }
}
