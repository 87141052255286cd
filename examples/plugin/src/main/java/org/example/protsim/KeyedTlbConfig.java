package org.example.protsim;

import org.protsim.core.config.Check;
import org.protsim.core.config.MachineConfig;
import org.protsim.core.config.ProtectionModelConfig;

/**
 * {@code "model": {"name": "keyed-tlb", "keyBits": 12}}: the config record of {@link KeyedTlbModel},
 * checked as strictly as the built-in models' (an unknown key is refused with its path).
 *
 * @param name    the registered name, {@code keyed-tlb}
 * @param keyBits width of the per-process key every TLB entry carries; 12 by default, the width of
 *                an x86 PCID (and protsim's default machine.tlb.asidBits)
 */
public record KeyedTlbConfig(String name, int keyBits) implements ProtectionModelConfig {
    public static final String NAME = "keyed-tlb";
    public static final KeyedTlbConfig DEFAULT = new KeyedTlbConfig(NAME, 12);

    public KeyedTlbConfig {
        Check.that(NAME.equals(name), "name", "must be " + NAME);
        Check.range("keyBits", keyBits, 2, 16);
    }

    @Override
    public void check(MachineConfig machine) {
        Check.that(keyBits <= machine.tlb().asidBits(), "model.keyBits",
                keyBits + " exceeds the TLB's tag width machine.tlb.asidBits " + machine.tlb().asidBits());
    }
}
