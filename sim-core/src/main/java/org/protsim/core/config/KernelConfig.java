package org.protsim.core.config;

/**
 * The simulated kernel's scheduling parameters.
 *
 * @param quantumCycles   time slice before a runnable task is preempted (1 ms at 3 GHz, in the range
 *                        of Linux CFS's minimum granularity of 0.75 to 3 ms)
 * @param lookaheadCycles how far a CPU may run ahead of the global clock before it yields to other
 *                        events; interactions between CPUs (IPIs) are seen at most this late
 * @param audit           test mode: after every kernel operation, check that no TLB entry maps a
 *                        page its context may no longer reach (slow)
 */
public record KernelConfig(long quantumCycles, long lookaheadCycles, boolean audit) {
    public static final KernelConfig DEFAULT = new KernelConfig(3_000_000, 2_000, false);

    public KernelConfig {
        Check.positive("quantumCycles", quantumCycles);
        Check.positive("lookaheadCycles", lookaheadCycles);
    }
}
