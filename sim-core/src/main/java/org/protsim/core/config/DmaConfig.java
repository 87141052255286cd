package org.protsim.core.config;

/**
 * {@code kernel.dma}: how memory is protected from devices and their drivers (docs/sources.md [000] and
 * [004]). The IOMMU's sizes and costs are {@code machine.iommu}'s.
 *
 * @param mode which mechanism runs; {@code none} (the default) runs none
 */
public record DmaConfig(String mode) implements MechanismConfig {
    public static final DmaConfig DEFAULT = new DmaConfig(NONE);

    /** No IOMMU: a device reaches every frame, map and unmap cost nothing (Linux without an IOMMU; DAMN's pool). */
    public static final String SHARED_POOL = "shared-pool";
    /** Map writes I/O PTEs; unmap clears them, invalidates the IOTLB and waits (Linux iommu.strict=1). */
    public static final String IOMMU_STRICT = "iommu-strict";
    /** Unmap queues the invalidation on Linux's flush queue (iommu.strict=0): a window of exposure. */
    public static final String IOMMU_DEFERRED = "iommu-deferred";
    /** The owner exposes its pages to the driver's protection domain for the call (docs/sources.md [000]). */
    public static final String OWNED_PAGES = "owned-pages";

    public DmaConfig {
        Check.that(mode != null, "mode", "must be given");
    }
}
