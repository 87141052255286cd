package org.protsim.os;

import org.protsim.core.config.MechanismConfig;
import org.protsim.core.config.RunConfig;

import java.util.List;

/**
 * Makes kernel mechanisms by switch and mode ({@code kernel.<switch>.mode}); found with
 * {@link java.util.ServiceLoader} (a {@code META-INF/services/org.protsim.os.MechanismProvider}
 * entry), the built-in mechanisms exactly as a plugin's. Each mode has a config record of its own
 * (or shares one with the other modes of its provider), whose keys the loader checks as strictly
 * as every other part of the config. Mode {@code none} of every switch is the default.
 */
public interface MechanismProvider {
    /**
     * The switch its mechanisms are chosen by: a built-in one ({@code ukva}, {@code dma}, {@code pat},
     * {@code proxy}), to add modes to it, or a new one of its own (e.g. {@code l1d-flush}); lower-case
     * letters, digits and dashes.
     */
    String switchName();

    /** The modes of that switch this provider makes, in the order messages list them; never {@code none}. */
    List<String> modes();

    /**
     * The defaults of {@code mode} (one of {@link #modes()}): an instance of its config record, whose
     * first component is {@code String mode} (= {@code mode}).
     */
    MechanismConfig defaults(String mode);

    /** A new mechanism of {@code mode} for one run of {@code config} ({@code config.kernel().mechanism(switchName())} is of its record). */
    KernelMechanism create(String mode, RunConfig config);

    /**
     * The config record of the switch while it is off (mode {@code none}), for a switch whose
     * parameters apply in every mode, or null (the default): the switch then takes only
     * {@code {"mode": "none"}}. At most one provider of a switch may give one; it is the provider
     * whose {@link #createOff} runs.
     */
    default MechanismConfig offDefaults() {
        return null;
    }

    /**
     * The mechanism that runs while the switch is off (mode none), or null (the default): for a switch
     * whose system calls exist in every mode and only cost differently (ukva's classic aio calls).
     * Called only on the provider that gives {@link #offDefaults()}.
     */
    default KernelMechanism createOff(RunConfig config) {
        return null;
    }
}
