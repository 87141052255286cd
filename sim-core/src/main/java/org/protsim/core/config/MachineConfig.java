package org.protsim.core.config;

/**
 * The simulated machine. Defaults follow a current x86 core (Intel Skylake); each part's
 * record cites its sources, by their row in docs/hardware-costs.md.
 *
 * @param cpus               number of CPUs
 * @param cyclesPerNs        clock rate, used only to convert cycles to time for people
 * @param cyclesPerReference cycles a memory reference's instruction takes apart from TLB and cache latency
 * @param coherence          how the private caches are kept coherent ({@code mesi}, or {@code none})
 * @param disk               the block device asynchronous I/O goes to
 * @param iommu              the IOMMU devices' DMA goes through (used only by kernel.dma modes iommu-strict and
 *                           iommu-deferred; Intel VT-d with gem5 SMMUv3 sizes, see {@link IommuConfig})
 */
public record MachineConfig(int cpus, double cyclesPerNs, int cyclesPerReference,
                            TlbsConfig tlb, WalkerConfig walker, CachesConfig caches, MemoryConfig memory,
                            PlbConfig plb, CostsConfig costs, CoherenceProtocol coherence, DiskConfig disk,
                            IommuConfig iommu) {
    /** Maximum number of CPUs: CPU sets are kept in a {@code long} bitmask. */
    public static final int MAX_CPUS = 64;

    public static final MachineConfig DEFAULT = new MachineConfig(2, 3.0, 1,
            TlbsConfig.DEFAULT, WalkerConfig.DEFAULT, CachesConfig.DEFAULT, MemoryConfig.DEFAULT,
            PlbConfig.DEFAULT, CostsConfig.DEFAULT, CoherenceProtocol.MESI, DiskConfig.DEFAULT,
            IommuConfig.DEFAULT);

    public MachineConfig {
        Check.range("cpus", cpus, 1, MAX_CPUS);
        Check.positive("cyclesPerNs", cyclesPerNs);
        Check.nonNegative("cyclesPerReference", cyclesPerReference);
        Check.that(coherence != null, "coherence", "must be given");
        Check.that(disk != null, "disk", "must be given");
        Check.that(iommu != null, "iommu", "must be given");
        Check.that(disk.irq() != IrqRouting.FIXED || disk.irqCpu() < cpus, "disk.irqCpu",
                disk.irqCpu() + " is not a CPU of this machine (cpus " + cpus + ")");
    }

    /** This machine with another walker (the rest unchanged). */
    public MachineConfig withWalker(WalkerConfig w) {
        return new MachineConfig(cpus, cyclesPerNs, cyclesPerReference, tlb, w, caches, memory, plb, costs, coherence,
                disk, iommu);
    }
}
