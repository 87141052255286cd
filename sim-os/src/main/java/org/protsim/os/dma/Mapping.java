package org.protsim.os.dma;

/**
 * One buffer mapped for DMA ({@code kernel.dma}). {@link DmaMechanism} keeps the ones unmapped
 * on a free list and sets every field again when it maps the next buffer ({@link #reset}), so a
 * map allocates nothing once the list holds as many as are mapped at once.
 */
final class Mapping {
    int owner;
    int pages;
    /** The buffer's frames: the first {@link #pages} entries (the array may be longer, from an earlier use). */
    int[] frames = new int[0];
    boolean toDevice;
    long bus;       // what the device uses: IOVA, or (shared-pool, owned-pages) a handle over physical frames
    long driverVa;  // owned-pages: where the driver's space has it (per-process models), or its hw address (sasos)
    /** Mapped now (between dmaMap and dmaUnmap). */
    boolean mapped;
    /** Transfers on it not yet completed: it goes back to the free list only when none is left and it is unmapped. */
    int transfers;

    /** Makes this a mapping of {@code pages} pages of mm {@code owner}, with nothing left of its last use. */
    Mapping reset(int owner, int pages, boolean toDevice) {
        this.owner = owner;
        this.pages = pages;
        this.toDevice = toDevice;
        if (frames.length < pages) {
            frames = new int[pages];
        }
        bus = 0;
        driverVa = 0;
        mapped = true;
        transfers = 0;
        return this;
    }
}
