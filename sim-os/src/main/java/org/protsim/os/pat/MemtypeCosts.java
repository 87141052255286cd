package org.protsim.os.pat;

import org.protsim.core.config.Check;

/**
 * Primitive costs of a memtype check; what a check costs in total comes from the steps the
 * tracker really takes.
 *
 * @param fixedCycles cycles every reservation or release pays: taking Linux's memtype_lock and
 *                    the entry's allocation or release
 * @param stepCycles  cycles per step: one list entry scanned or one tree node visited
 */
public record MemtypeCosts(int fixedCycles, int stepCycles) {
    public static final MemtypeCosts DEFAULT = new MemtypeCosts(
            // an uncontended spinlock on a line another CPU last held, about an LLC round trip plus the
            // atomic (as IommuConfig.Iova lockCycles, 60), and a slab allocation or free (~40)
            100,
            // a dependent load of the next VMA or tree node, which misses L1 and L2 once the structure
            // outgrows them: an LLC hit, CachesConfig llc 42 cycles
            42);

    public MemtypeCosts {
        Check.nonNegative("fixedCycles", fixedCycles);
        Check.nonNegative("stepCycles", stepCycles);
    }

    long cycles(long steps) {
        return fixedCycles + steps * stepCycles;
    }
}
