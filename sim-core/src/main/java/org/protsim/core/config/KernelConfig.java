package org.protsim.core.config;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.util.List;

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
 * @param ukva            the user-kernel shared area mechanism (default none)
 * @param dma             the DMA protection mechanism (default none)
 * @param pat             the cache-attribute tracking mechanism (default none)
 * @param proxy           the proxy-object mechanism (default none)
 */
public record KernelConfig(long quantumCycles, long lookaheadCycles, int textPages, int refsPerEntry, boolean audit,
                           UkvaConfig ukva, DmaConfig dma, PatConfig pat, ProxyConfig proxy) {
    /** The mechanism switches, as they are spelled under {@code kernel.}, in the order the kernel calls them. */
    public static final List<String> SWITCHES = List.of("ukva", "dma", "pat", "proxy");

    public static final KernelConfig DEFAULT = new KernelConfig(3_000_000, 2_000, 32, 16, false,
            UkvaConfig.DEFAULT, DmaConfig.DEFAULT, PatConfig.DEFAULT, ProxyConfig.DEFAULT);

    public KernelConfig {
        Check.positive("quantumCycles", quantumCycles);
        Check.positive("lookaheadCycles", lookaheadCycles);
        Check.range("textPages", textPages, 1, 1 << 18);
        Check.range("refsPerEntry", refsPerEntry, 0, 10_000);
        Check.that(ukva != null, "ukva", "must be given");
        Check.that(dma != null, "dma", "must be given");
        Check.that(pat != null, "pat", "must be given");
        Check.that(proxy != null, "proxy", "must be given");
    }

    /** The config of mechanism switch {@code name} (one of {@link #SWITCHES}). */
    public MechanismConfig mechanism(String name) {
        return switch (name) {
            case "ukva" -> ukva;
            case "dma" -> dma;
            case "pat" -> pat;
            case "proxy" -> proxy;
            default -> throw new IllegalArgumentException("no mechanism switch kernel." + name);
        };
    }

    /** This config with test mode's audit on or off. */
    public KernelConfig withAudit(boolean on) {
        return new KernelConfig(quantumCycles, lookaheadCycles, textPages, refsPerEntry, on, ukva, dma, pat, proxy);
    }

    /** This config with another user-kernel shared area mechanism. */
    public KernelConfig withUkva(UkvaConfig u) {
        return new KernelConfig(quantumCycles, lookaheadCycles, textPages, refsPerEntry, audit, u, dma, pat, proxy);
    }

    /** This config with another quantum. */
    public KernelConfig withQuantumCycles(long cycles) {
        return new KernelConfig(cycles, lookaheadCycles, textPages, refsPerEntry, audit, ukva, dma, pat, proxy);
    }

    @JsonIgnore
    public List<MechanismConfig> mechanisms() {
        return List.of(ukva, dma, pat, proxy);
    }
}
