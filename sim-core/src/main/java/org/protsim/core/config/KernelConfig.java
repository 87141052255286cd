package org.protsim.core.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
 * @param mechanisms      the mechanism switches, {@code kernel.<switch>} → the config record of its mode, in
 *                        the order the kernel calls them; a switch not in the map is off (mode none, its
 *                        default parameters). The loader fills in every registered switch
 *                        ({@link MechanismTypes}); JSON has them beside the other keys, not under this name.
 */
public record KernelConfig(long quantumCycles, long lookaheadCycles, int textPages, int refsPerEntry, boolean audit,
                           @JsonIgnore Map<String, MechanismConfig> mechanisms) {
    /** The switches protsim itself ships, in the order the kernel calls them (docs/architecture.md). */
    public static final List<String> BUILTIN_SWITCHES = List.of("ukva", "dma", "pat", "proxy");

    /** Every switch off. */
    public static final KernelConfig DEFAULT = new KernelConfig(3_000_000, 2_000, 32, 16, false, Map.of());

    public KernelConfig {
        Check.positive("quantumCycles", quantumCycles);
        Check.positive("lookaheadCycles", lookaheadCycles);
        Check.range("textPages", textPages, 1, 1 << 18);
        Check.range("refsPerEntry", refsPerEntry, 0, 10_000);
        Check.that(mechanisms != null, "mechanisms", "must be given");
        for (Map.Entry<String, MechanismConfig> e : mechanisms.entrySet()) {
            Check.that(e.getValue() != null, e.getKey(), "must be given");
        }
        mechanisms = Collections.unmodifiableMap(new LinkedHashMap<>(mechanisms));
    }

    /** The kernel's own keys, as JSON has them; the mechanism switches are bound by {@link ConfigLoader}. */
    @JsonCreator
    static KernelConfig fromJson(@JsonProperty("quantumCycles") long quantumCycles,
                                 @JsonProperty("lookaheadCycles") long lookaheadCycles,
                                 @JsonProperty("textPages") int textPages,
                                 @JsonProperty("refsPerEntry") int refsPerEntry,
                                 @JsonProperty("audit") boolean audit) {
        return new KernelConfig(quantumCycles, lookaheadCycles, textPages, refsPerEntry, audit, Map.of());
    }

    /** The config of switch {@code name}: its record, or {@link MechanismConfig.Off} if it is not set. */
    public MechanismConfig mechanism(String name) {
        MechanismConfig c = mechanisms.get(name);
        return c == null ? MechanismConfig.Off.DEFAULT : c;
    }

    /**
     * The config of switch {@code name} as its provider's record {@code type}, or {@code ifOff} if the
     * switch is not set (a config built in code that leaves it off).
     */
    public <T extends MechanismConfig> T mechanism(String name, Class<T> type, T ifOff) {
        MechanismConfig c = mechanisms.get(name);
        if (c == null) {
            return ifOff;
        }
        if (!type.isInstance(c)) {
            throw new IllegalArgumentException("kernel." + name + " is a " + c.getClass().getName() + ", not a "
                    + type.getName());
        }
        return type.cast(c);
    }

    /** This config with test mode's audit on or off. */
    public KernelConfig withAudit(boolean on) {
        return new KernelConfig(quantumCycles, lookaheadCycles, textPages, refsPerEntry, on, mechanisms);
    }

    /** This config with switch {@code name} set to {@code c} (added after the others if it was not set). */
    public KernelConfig withMechanism(String name, MechanismConfig c) {
        Map<String, MechanismConfig> m = new LinkedHashMap<>(mechanisms);
        m.put(name, c);
        return new KernelConfig(quantumCycles, lookaheadCycles, textPages, refsPerEntry, audit, m);
    }

    /** This config with these switches (and no others). */
    public KernelConfig withMechanisms(Map<String, MechanismConfig> m) {
        return new KernelConfig(quantumCycles, lookaheadCycles, textPages, refsPerEntry, audit, m);
    }

    /** This config with another quantum. */
    public KernelConfig withQuantumCycles(long cycles) {
        return new KernelConfig(cycles, lookaheadCycles, textPages, refsPerEntry, audit, mechanisms);
    }
}
