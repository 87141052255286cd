package org.example.protsim;

import org.protsim.core.config.Check;
import org.protsim.core.config.MechanismConfig;

/**
 * {@code "kernel": {"l1d-flush": {"mode": "msr", ...}}}: the config record of {@link L1dFlush}, a
 * switch of the plugin's own, checked as strictly as the built-in switches (an unknown key is
 * refused with its path). Its mode {@code none}, the default, takes no parameters.
 *
 * @param mode               {@code msr}: the kernel writes IA32_FLUSH_CMD.L1D_FLUSH when a CPU switches away
 *                           from an address space, as Linux does for a task that opted in with
 *                           {@code prctl(PR_SET_SPECULATION_CTRL, PR_SPEC_L1D_FLUSH, PR_SPEC_ENABLE)}
 * @param fixedCycles        cycles of one flush beyond its write-backs: the serializing MSR write and the
 *                           invalidation of every line, taken as the CR3 write's "order of a hundred cycles"
 *                           (docs/hardware-costs.md "L1D flush")
 * @param cyclesPerDirtyLine cycles per dirty line written back to L2: one line per cycle, the L1D-to-L2
 *                           bandwidth of 64 bytes per cycle (docs/hardware-costs.md "L1D flush")
 */
public record L1dFlushConfig(String mode, long fixedCycles, int cyclesPerDirtyLine) implements MechanismConfig {
    public static final String SWITCH = "l1d-flush";
    public static final String MSR = "msr";
    public static final L1dFlushConfig DEFAULT = new L1dFlushConfig(MSR, 100, 1);

    public L1dFlushConfig {
        Check.that(MSR.equals(mode), "mode", "must be " + MSR);
        Check.range("fixedCycles", fixedCycles, 0, 1_000_000);
        Check.range("cyclesPerDirtyLine", cyclesPerDirtyLine, 0, 1_000);
    }
}
