package org.protsim.os.dma;

/**
 * A DMA-capable device as its driver knows it: its id (the IOMMU's requester id), how fast it
 * moves data, how many requests its descriptor ring holds, and the size of its two I/O memory
 * regions (a PCI BAR each): the registers, mapped uncached, and an aperture (a NIC's on-device
 * buffer or NVMe's controller memory buffer), mapped write-combining.
 *
 * @param id                    device number, from 0 (its IOMMU domain is its own)
 * @param name                  for messages
 * @param setupCycles           the device's fixed latency per request (doorbell to first byte, completion write)
 * @param bytesPerCycle         transfer bandwidth in bytes per CPU cycle
 * @param ringEntries           descriptors in its ring: requests in flight at once; more wait for a slot
 * @param registerPages         pages of its register BAR
 * @param aperturePages         pages of its aperture BAR
 */
public record DmaDevice(int id, String name, long setupCycles, double bytesPerCycle, int ringEntries,
                        int registerPages, int aperturePages) {
    public DmaDevice {
        if (id < 0 || setupCycles < 0 || !(bytesPerCycle > 0) || ringEntries < 1 || registerPages < 1
                || aperturePages < 1) {
            throw new IllegalArgumentException("impossible device " + name);
        }
    }

    /** The cycles the device spends moving {@code bytes} (its latency is {@link #setupCycles} on top). */
    public long transferCycles(long bytes) {
        return (long) Math.ceil(bytes / bytesPerCycle);
    }
}
