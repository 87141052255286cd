package org.protsim.core.config;

/** The TLB hierarchy: L1 instruction and data TLBs backed by one unified L2 (the STLB), and the tag width. */
public record TlbsConfig(int asidBits, TlbConfig l1i, TlbConfig l1d, TlbConfig l2) {
    // Defaults: Intel Skylake (Intel optimization manual, TLB parameters; docs/hardware-costs.md
    // "Skylake L1 dTLB", "Skylake L1 iTLB", "Skylake STLB", "STLB hit after dTLB miss": ~9 cycles);
    // a 12-bit PCID (docs/hardware-costs.md "x86 PCID"). An L1 TLB hit overlaps the VIPT L1 cache
    // access, so it adds no cycles.
    public static final TlbsConfig DEFAULT = new TlbsConfig(12,
            TlbConfig.of(128, 8, 0),
            TlbConfig.of(64, 4, 0),
            TlbConfig.of(1536, 12, 9));

    public TlbsConfig {
        Check.range("asidBits", asidBits, 1, 16);
    }
}
