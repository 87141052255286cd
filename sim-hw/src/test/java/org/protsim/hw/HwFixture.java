package org.protsim.hw;

import org.protsim.core.Simulation;
import org.protsim.core.config.CachesConfig;
import org.protsim.core.config.MachineConfig;
import org.protsim.core.config.WalkerConfig;

/** Machines for tests, from the default (Skylake) config with a few changes. */
final class HwFixture {
    private HwFixture() {
    }

    static MachineConfig config(int cpus) {
        MachineConfig d = MachineConfig.DEFAULT;
        return d.withCpus(cpus);
    }

    static MachineConfig config(int cpus, WalkerConfig walker, CachesConfig caches) {
        MachineConfig d = MachineConfig.DEFAULT;
        return new MachineConfig(cpus, d.cyclesPerNs(), d.cyclesPerReference(), d.tlb(), walker, caches,
                d.memory(), d.plb(), d.costs(), d.coherence(), d.disk(), d.iommu(), d.core());
    }

    static Machine machine(int cpus) {
        return new Machine(config(cpus), new Simulation(1));
    }

    /** Maps the 4 KiB page at {@code va} under {@code root} to a new data frame with {@code flags}; returns the frame. */
    static int map(Machine m, long root, long va, long flags) {
        int frame = m.memory().allocate(PhysicalMemory.DATA, 1);
        m.pageTable().map(root, va, Pte.of(frame, flags), 1, 1, null);
        return frame;
    }
}
