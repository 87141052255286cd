package org.protsim.core.config;

/**
 * The simulated kernel.
 *
 * @param quantumCycles   time slice before a runnable task is preempted (1 ms at 3 GHz, in the range
 *                        of Linux CFS's minimum granularity of 0.75 to 3 ms)
 * @param lookaheadCycles how far a CPU may run ahead of the global clock before it yields to other
 *                        events; interactions between CPUs (IPIs) are seen at most this late
 * @param textPages       pages of kernel text entries and faults run through (the hot paths: 128 KiB),
 *                        mapped global in every address space
 * @param refsPerEntry    kernel references (over its text) made at every system call and fault, so the
 *                        kernel's global mappings compete for the TLB as on real hardware
 * @param audit           test mode: after every kernel operation, check that no TLB entry maps a page its
 *                        context may no longer reach, and that every reference used its own mapping (slow)
 */
public record KernelConfig(long quantumCycles, long lookaheadCycles, int textPages, int refsPerEntry, boolean audit) {
    public static final KernelConfig DEFAULT = new KernelConfig(3_000_000, 2_000, 32, 16, false);

    public KernelConfig {
        Check.positive("quantumCycles", quantumCycles);
        Check.positive("lookaheadCycles", lookaheadCycles);
        Check.range("textPages", textPages, 1, 1 << 18);
        Check.range("refsPerEntry", refsPerEntry, 0, 10_000);
    }
}
