package org.protsim.validate;

import org.protsim.core.Simulation;
import org.protsim.core.config.CoreConfig;
import org.protsim.core.config.RunConfig;
import org.protsim.core.stats.LatencyRecorder;
import org.protsim.hw.Cpu;
import org.protsim.os.Kernel;
import org.protsim.os.Op;
import org.protsim.os.RefBuffer;
import org.protsim.os.TaskProgram;
import org.protsim.os.Vma;
import org.protsim.os.dma.DmaDevice;
import org.protsim.os.dma.DmaOps;
import org.protsim.workloads.RunContext;

/**
 * A strict IOMMU unmap as Malka et al. measured it (rIOMMU, ASPLOS 2015, the cost breakdown of
 * Linux's intel-iommu in strict mode): a NIC driver keeps its receive ring's 512 buffers mapped
 * (ixgbe's default ring, docs/hardware-costs.md "10 GbE NIC") and maps, transfers and unmaps one
 * more buffer at a time, under {@code kernel.dma.mode iommu-strict} with the global IOVA
 * allocator (no per-CPU cache: the kernel they measured, before Linux 4.7). The figure is the
 * mean of {@code dma.unmap.latency}: clearing the I/O PTE, freeing the IOVA in a tree of a ring's
 * ranges, submitting the page-selective invalidation and waiting for its status word.
 */
final class StrictIommuUnmap implements Experiment {
    private static final String CONFIG = """
            {"machine": {"cpus": 1, "iommu": {"iova": {"perCpuCache": false}}},
             "kernel": {"dma": {"mode": "iommu-strict"}},
             "model": {"name": "conventional"}}""";
    private static final long BUFFERS = 0x1000_0000L;
    /** ixgbe's default receive ring (IXGBE_DEFAULT_RXD): buffers that stay mapped. */
    private static final int RING = 512;
    private static final int WARM_UP = 20;

    @Override
    public String id() {
        return "iommu-strict-unmap";
    }

    @Override
    public Published published() {
        return new Published("strict IOMMU unmap of one page (Linux intel-iommu, iommu.strict)", "cycles", 2100, 2100,
                "Malka, Amit, Ben-Yehuda, Tsafrir, \"rIOMMU\", ASPLOS 2015, cost breakdown table",
                "Intel VT-d, a NIC's ring mapped, global IOVA allocator; most of it the IOTLB invalidation");
    }


    @Override
    public String basisNote() {
        return "PTE write, IOVA tree, submit, status write and poll costs from their own rows; the unit's "
                + "page-invalidation time (invalidation.pageCycles 400) is an unpublished estimate";
    }

    @Override
    public double bandLow() {
        return 0.6;
    }

    @Override
    public double bandHigh() {
        return 1.67;
    }

    @Override
    public double predict(CoreConfig core, boolean quick) {
        int rounds = quick ? 200 : 2_000;
        RunConfig c = Configs.of(CONFIG, core);
        Simulation sim = new Simulation(c.seed());
        RunContext run = new RunContext(c, sim);
        Kernel kernel = run.kernel();
        // the NIC of driver-dma's default: 1,250 MB/s, about 2 us doorbell to completion
        double bytesPerCycle = 1250e6 / (c.machine().cyclesPerNs() * 1e9);
        DmaDevice nic = new DmaDevice(0, "nic", Math.round(2_000 * c.machine().cyclesPerNs()), bytesPerCycle,
                RING + 1, 32, 16);
        Driver driver = new Driver(nic, rounds);
        kernel.spawn(kernel.newImage("nic-driver", 4, 4, 4), driver);
        sim.run(c.limits().maxCycles());
        if (driver.unmapped != WARM_UP + rounds) {
            throw new IllegalStateException("strict unmap: " + driver.unmapped + " of " + (WARM_UP + rounds)
                    + " unmaps ran");
        }
        LatencyRecorder unmaps = sim.stats().histogram("dma.unmap.latency");
        // the warm-up's unmaps are in the histogram too; they find the same tree, so the mean stands
        return unmaps.histogram().getMean();
    }

    /** Maps the ring's buffers once, then maps, transfers and unmaps the buffer after them, round after round. */
    private static final class Driver implements TaskProgram {
        private final DmaDevice nic;
        private final int rounds;
        private int step;
        private int ringMapped;
        private long handle;
        private long last;
        int unmapped;

        Driver(DmaDevice nic, int rounds) {
            this.nic = nic;
            this.rounds = rounds;
        }

        @Override
        public Op next(RefBuffer b) {
            b.clear();
            switch (step) {
                case 0 -> {
                    step = 1;
                    return Op.Mmap.anonymous(BUFFERS, (RING + 1) * 4096L, Vma.READ | Vma.WRITE);
                }
                case 1 -> {
                    step = 2;
                    for (int p = 0; p <= RING; p++) {
                        b.add(BUFFERS + p * 4096L, 8, Cpu.WRITE); // the pages are present before they are mapped
                    }
                    return Op.REFS;
                }
                case 2 -> {
                    if (ringMapped < RING) {
                        return new DmaOps.DmaMap(nic, BUFFERS + 4096L * ringMapped++, 4096, false);
                    }
                    step = 3;
                    return next(b);
                }
                case 3 -> {
                    if (unmapped == WARM_UP + rounds) {
                        return new Op.Exit(0);
                    }
                    step = 4;
                    return new DmaOps.DmaMap(nic, BUFFERS + 4096L * RING, 1500, false);
                }
                case 4 -> {
                    step = 5;
                    handle = last;
                    return new DmaOps.DmaTransfer(nic, handle, DmaOps.WILD_NONE, 0);
                }
                default -> {
                    step = 3;
                    unmapped++;
                    return new DmaOps.DmaUnmap(nic, handle, -1);
                }
            }
        }

        @Override
        public void returned(long value) {
            last = value;
            if (value < 0 && step == 5) {
                throw new IllegalStateException("dmaMap failed: " + value);
            }
        }
    }
}
