package org.protsim.core.config;

/**
 * {@code kernel.pat}: how cache-attribute aliases are tracked (docs/sources.md [004]; Linux
 * arch/x86/mm/pat/memtype.c).
 *
 * @param mode        which mechanism runs; {@code none} (the default) checks nothing
 * @param fixedCycles cycles every reservation or release pays: taking Linux's memtype_lock (an uncontended
 *                    spinlock on a line another CPU last held, as machine.iommu.iova.lockCycles, 60) and the
 *                    entry's slab allocation or free (about 40)
 * @param stepCycles  cycles per VMA scanned or tree node visited: a dependent load that hits the LLC once the
 *                    structure outgrows L2 (machine.caches.llc, 42 cycles; docs/hardware-costs.md "Skylake caches")
 */
public record PatConfig(String mode, int fixedCycles, int stepCycles) implements MechanismConfig {
    public static final PatConfig DEFAULT = new PatConfig(NONE, 100, 42);

    /** Find every mapping of the pfn by walking every VMA (Biederman's proposal): linear. */
    public static final String VMA_WALK = "vma-walk";
    /** An interval tree of reserved pfn ranges with reference counts (Linux memtype_interval.c): logarithmic. */
    public static final String MEMTYPE_TREE = "memtype-tree";

    public PatConfig {
        Check.that(mode != null, "mode", "must be given");
        Check.nonNegative("fixedCycles", fixedCycles);
        Check.nonNegative("stepCycles", stepCycles);
    }

    /** This config with another mode. */
    public PatConfig withMode(String m) {
        return new PatConfig(m, fixedCycles, stepCycles);
    }
}
