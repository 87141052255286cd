package org.protsim.os.dma;

/** One buffer mapped for DMA ({@code kernel.dma}). */
final class Mapping {
    final int owner;
    final int[] frames;
    final boolean toDevice;
    long bus;       // what the device uses: IOVA, or (shared-pool, owned-pages) a handle over physical frames
    long driverVa;  // owned-pages: where the driver's space has it (per-process models), or its hw address (sasos)

    Mapping(int owner, int[] frames, boolean toDevice) {
        this.owner = owner;
        this.frames = frames;
        this.toDevice = toDevice;
    }
}
