package org.protsim.hw;

/**
 * An IOMMU's path to page tables: it sits in the uncore beside the last-level cache, so its
 * walks read through the shared LLC and DRAM, never a core's private caches (Intel VT-d spec
 * 3.x, ECAP.C "page-walk coherency": walks snoop the processor caches). On an LLC miss the
 * line is filled, as a coherent read would allocate it.
 */
public final class UncoreWalkPath implements WalkMemory {
    private final Cache llc;
    private final int lineShift;
    private final int memoryCycles;
    private long memoryAccesses;

    public UncoreWalkPath(Cache llc, int lineBytes, int memoryCycles) {
        this.llc = llc;
        this.lineShift = Integer.numberOfTrailingZeros(lineBytes);
        this.memoryCycles = memoryCycles;
    }

    @Override
    public int walkerAccess(long pa) {
        long line = pa >>> lineShift;
        if (llc.access(line, line, line, false)) {
            return llc.hitCycles();
        }
        memoryAccesses++;
        return memoryCycles;
    }

    public long memoryAccesses() {
        return memoryAccesses;
    }
}
