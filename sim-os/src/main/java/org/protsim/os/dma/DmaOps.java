package org.protsim.os.dma;

import org.protsim.os.Op;

/**
 * The system calls of the DMA mechanism (DESIGN.md section 4's {@code dmaMap}/{@code dmaUnmap},
 * plus the transfer and the I/O-memory mapping the driver-dma workload needs). A client's
 * request runs its driver in the kernel on the client's behalf, as Linux's block and network
 * drivers do on a system call: the driver maps the client's buffer for DMA, starts the
 * transfer, and unmaps the buffer when it completes.
 */
public final class DmaOps {
    private DmaOps() {
    }

    /** No wild write. */
    public static final int WILD_NONE = 0;
    /** The device writes a random bus address (IOVA, or physical address without an IOMMU). */
    public static final int WILD_RANDOM_ADDRESS = 1;
    /** The driver writes a random address of its own space (the shared kernel map, or its protection domain). */
    public static final int WILD_DRIVER_OUTSIDE = 2;

    /** Region numbers for {@link MapRegion}. */
    public static final int REGISTERS = 0;
    public static final int APERTURE = 1;

    /**
     * dma_map_sg of {@code bytes} from the caller's address {@code va} (pages already present)
     * for {@code device}: returns the handle the device will use (the bus address), or -14
     * (-EFAULT) if a page is not present.
     */
    public record DmaMap(DmaDevice device, long va, long bytes, boolean toDevice) implements Op.MechanismOp {
    }

    /**
     * Starts the device on the buffer of {@code handle} and blocks the caller until it completes
     * (returns 0). {@code wild} ({@link #WILD_NONE}, ...) makes the device or driver misbehave
     * once during this request.
     *
     * <p>Not a record: a client makes one per request, with a handle that need not repeat (shared-pool
     * hands out a new one per map), so it keeps one and {@link #set}s it for its next request; the
     * mechanism reads it during the call and keeps nothing of it.
     */
    public static final class DmaTransfer implements Op.MechanismOp {
        private final DmaDevice device;
        private long handle;
        private int wild;
        private long wildTarget;

        public DmaTransfer(DmaDevice device, long handle, int wild, long wildTarget) {
            this.device = device;
            set(handle, wild, wildTarget);
        }

        /** The next request on the same device; returns this. */
        public DmaTransfer set(long handle, int wild, long wildTarget) {
            this.handle = handle;
            this.wild = wild;
            this.wildTarget = wildTarget;
            return this;
        }

        public DmaDevice device() {
            return device;
        }

        public long handle() {
            return handle;
        }

        public int wild() {
            return wild;
        }

        public long wildTarget() {
            return wildTarget;
        }

        @Override
        public String toString() {
            return "DmaTransfer[device=" + device.name() + ", handle=0x" + Long.toHexString(handle) + ", wild=" + wild + "]";
        }
    }

    /**
     * dma_unmap_sg of {@code handle}. With {@code lateWriteCycles} >= 0 the faulty device writes
     * the buffer once more that many cycles after the unmap returned (use after unmap). Kept and
     * {@link #set} again by its client, as {@link DmaTransfer} is.
     */
    public static final class DmaUnmap implements Op.MechanismOp {
        private final DmaDevice device;
        private long handle;
        private long lateWriteCycles;

        public DmaUnmap(DmaDevice device, long handle, long lateWriteCycles) {
            this.device = device;
            set(handle, lateWriteCycles);
        }

        /** The next unmap on the same device; returns this. */
        public DmaUnmap set(long handle, long lateWriteCycles) {
            this.handle = handle;
            this.lateWriteCycles = lateWriteCycles;
            return this;
        }

        public DmaDevice device() {
            return device;
        }

        public long handle() {
            return handle;
        }

        public long lateWriteCycles() {
            return lateWriteCycles;
        }

        @Override
        public String toString() {
            return "DmaUnmap[device=" + device.name() + ", handle=0x" + Long.toHexString(handle)
                    + ", lateWriteCycles=" + lateWriteCycles + "]";
        }
    }

    /**
     * Maps page {@code firstPage} onward ({@code pages} pages) of one of {@code device}'s I/O
     * memory regions into the caller with cache attribute {@code attribute} (Linux's
     * remap_pfn_range, as a driver's mmap or a user-space driver does). Returns the address, or
     * -16 (-EBUSY) if the page-attribute check refused a page (nothing stays mapped).
     */
    public record MapRegion(DmaDevice device, int region, int firstPage, int pages, int attribute)
            implements Op.MechanismOp {
    }

    public static final long EFAULT = -14;
    public static final long EBUSY = -16;
}
