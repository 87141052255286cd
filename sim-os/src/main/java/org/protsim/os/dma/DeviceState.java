package org.protsim.os.dma;

import org.protsim.hw.Cpu;
import org.protsim.hw.CycleCategory;
import org.protsim.hw.Iommu;
import org.protsim.hw.PhysicalMemory;
import org.protsim.os.MechanismServices;
import org.protsim.os.PageTables;

import java.util.ArrayDeque;

/**
 * What the kernel keeps of one device ({@code kernel.dma}): its descriptor ring, its I/O memory
 * (registers, aperture), its IOMMU domain where there is one, and the buffers mapped for it.
 */
final class DeviceState {
    final DmaDevice device;
    final int domain;
    final int ringFrame;
    final long ringBus;
    final int[][] regionFrames = new int[2][];
    long busyUntil;
    int inFlight;
    int slot;
    final ArrayDeque<DmaMechanism.Request> waiting = new ArrayDeque<>();
    /** Its buffers mapped now, by bus address (each device has its own IOVA space); a primitive map: one lookup per request. */
    final LongObjectMap<Mapping> mappings = new LongObjectMap<>();

    /** {@code iommu}: null in the modes without one. */
    DeviceState(DmaDevice d, Cpu cpu, MechanismServices services, PhysicalMemory memory, Iommu iommu) {
        this.device = d;
        this.ringFrame = memory.allocate(PhysicalMemory.KERNEL, PageTables.KERNEL_OWNER);
        if (iommu != null) {
            domain = iommu.attachToNewDomain(d.id(), PageTables.KERNEL_OWNER);
            long pfn = iommu.iova(domain).alloc(cpu.id(), 1);
            iommu.map(domain, pfn << 12, ringFrame, true, PageTables.KERNEL_OWNER);
            iommu.flushQueue(domain).setListener((dom, time, cycles, byTimer) ->
                    services.charge(services.cpu(0), CycleCategory.FLUSH, cycles));
            ringBus = pfn << 12;
        } else {
            domain = -1;
            ringBus = (long) ringFrame << 12;
        }
        regionFrames[DmaOps.REGISTERS] = deviceFrames(memory, d.registerPages());
        regionFrames[DmaOps.APERTURE] = deviceFrames(memory, d.aperturePages());
    }

    private static int[] deviceFrames(PhysicalMemory memory, int pages) {
        int[] f = new int[pages];
        for (int i = 0; i < pages; i++) {
            f[i] = memory.allocate(PhysicalMemory.DEVICE, PageTables.KERNEL_OWNER);
        }
        return f;
    }
}
