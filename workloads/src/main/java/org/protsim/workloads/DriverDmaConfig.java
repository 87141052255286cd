package org.protsim.workloads;

import org.protsim.core.config.Check;
import org.protsim.core.config.WorkloadConfig;

import java.util.List;

/**
 * Driver DMA (DESIGN.md section 5; docs/sources.md [000], [004]): devices, each with a driver
 * and a descriptor ring; client processes each issue requests to one device: fill (or later
 * read) a buffer, ring the device's doorbell through its uncached registers, and make the
 * request, for which the driver maps the buffer for DMA, the device transfers it (an event,
 * its latency from size and bandwidth) and completes, and the driver unmaps the buffer. Every
 * client maps its device's registers uncached and its aperture write-combining, as user-space
 * drivers (DPDK, SPDK) and X servers do. Runs under a {@code kernel.dma} mode; {@code kernel.pat}
 * decides whether a wrongly cached mapping is refused.
 *
 * @param devices              the devices (defaults: a 10 GbE NIC and an NVMe drive)
 * @param clientsPerDevice     client processes per device
 * @param requestsPerClient    requests each client makes
 * @param refsPerRequest       the client's references to its buffer per request (at most 1,024: one buffer)
 * @param wildWritesPerMillion per request, the chance (per million) that the device or driver misbehaves
 *                             once: a write to a random bus address, a write after the unmap, or the
 *                             driver writing outside its buffers (equally likely)
 * @param lateWriteMaxCycles   a use after unmap comes uniformly within this many cycles of the unmap
 * @param aliasFraction        fraction of clients that map their device's registers write-back instead of
 *                             uncached (a faulty user-space driver: the attribute alias of [004])
 * @param extraMappings        pages of device 0's aperture its first client maps (a frame buffer it holds for
 *                             its life), one memtype reservation each, before any other client maps anything:
 *                             what later PAT checks must search (swept to show vma-walk's linear and
 *                             memtype-tree's logarithmic cost)
 */
public record DriverDmaConfig(List<Device> devices, int clientsPerDevice, int requestsPerClient, int refsPerRequest,
                              int wildWritesPerMillion, long lateWriteMaxCycles, double aliasFraction,
                              int extraMappings) implements WorkloadConfig {
    public static final String TYPE = "driver-dma";

    public static final DriverDmaConfig DEFAULT = new DriverDmaConfig(List.of(
            // Intel 82599 10 GbE (docs/hardware-costs.md "10 GbE NIC"): 1,250 MB/s line rate, 1,500-byte frames,
            // ixgbe's 512-descriptor rings, a 128 KiB register BAR; a 16-page write-combining doorbell
            // aperture as Mellanox's BlueFlame pages; about 2 us doorbell to completion ("device round trip")
            new Device("nic", 1500, 1250, 2_000, 512, 32, 16, 0.5),
            // Intel Optane SSD DC P4800X (docs/hardware-costs.md "NVMe drive"): 2,400 MB/s reads, 10 us read latency,
            // 4 KiB requests, Linux nvme's 1,024-entry queues, a 16 KiB register BAR and a 16-page controller
            // memory buffer mapped write-combining; 30% writes
            new Device("nvme", 4096, 2400, 10_000, 1024, 4, 16, 0.3)),
            2, 200, 256, 0, 100_000, 0.0, 0);

    /**
     * One device.
     *
     * @param name             its name
     * @param requestBytes     bytes one request moves
     * @param bandwidthMBps    transfer bandwidth, MB/s (10^6 bytes per second)
     * @param latencyNs        fixed latency of a request, doorbell to completion, ns
     * @param ringEntries      descriptors in its ring
     * @param registerPages    pages of its register BAR (mapped uncached)
     * @param aperturePages    pages of its aperture BAR (mapped write-combining)
     * @param toDeviceFraction fraction of requests that move data to the device (transmit, write)
     */
    public record Device(String name, int requestBytes, int bandwidthMBps, int latencyNs, int ringEntries,
                         int registerPages, int aperturePages, double toDeviceFraction) {
        public Device {
            Check.notBlank("name", name);
            Check.range("requestBytes", requestBytes, 1, 1 << 24);
            Check.range("bandwidthMBps", bandwidthMBps, 1, 1_000_000);
            Check.range("latencyNs", latencyNs, 0, 100_000_000);
            Check.range("ringEntries", ringEntries, 1, 65_536);
            Check.range("registerPages", registerPages, 1, 1 << 16);
            Check.range("aperturePages", aperturePages, 1, 1 << 20);
            Check.fraction("toDeviceFraction", toDeviceFraction);
        }
    }

    public DriverDmaConfig {
        Check.notEmpty("devices", devices);
        Check.that(devices.size() <= 64, "devices", devices.size() + " devices: at most 64");
        Check.range("clientsPerDevice", clientsPerDevice, 1, 10_000);
        Check.range("requestsPerClient", requestsPerClient, 0, 100_000_000);
        Check.range("refsPerRequest", refsPerRequest, 0, 1024); // one reference buffer
        Check.range("wildWritesPerMillion", wildWritesPerMillion, 0, 1_000_000);
        Check.nonNegative("lateWriteMaxCycles", lateWriteMaxCycles);
        Check.fraction("aliasFraction", aliasFraction);
        Check.range("extraMappings", extraMappings, 0, 1 << 20);
        devices = List.copyOf(devices);
    }

    /** This record's workload type ({@link #TYPE}), registered in {@code META-INF/services} as a plugin's is. */
    public static final class Type implements WorkloadProvider {
        @Override
        public String name() {
            return TYPE;
        }

        @Override
        public String description() {
            return "client processes making DMA requests to devices through their drivers";
        }

        @Override
        public WorkloadConfig defaults() {
            return DEFAULT;
        }

        @Override
        public Workload create(WorkloadConfig config) {
            return new DriverDma((DriverDmaConfig) config);
        }
    }
}
