package org.protsim.hw;

/**
 * Where a hardware page walker's reads of page-table entries go: a CPU's data caches
 * ({@link CacheHierarchy}) or, for an IOMMU in the uncore, the shared last-level cache and DRAM
 * ({@link UncoreWalkPath}).
 */
public interface WalkMemory {
    /** Reads the page-table entry at physical address {@code pa}; returns the latency in cycles. */
    int walkerAccess(long pa);
}
