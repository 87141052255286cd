package org.protsim.os;

import org.protsim.core.config.RunConfig;

import java.util.Set;

/**
 * Makes kernel mechanisms by switch and mode ({@code kernel.<switch>.mode}); found with
 * {@link java.util.ServiceLoader} (a {@code META-INF/services/org.protsim.os.MechanismProvider}
 * entry). Mode {@code none} of every switch is no mechanism at all and needs no provider.
 */
public interface MechanismProvider {
    /** The switch its mechanisms are chosen by: {@code ukva}, {@code dma}, {@code pat}, {@code proxy}, or a new one. */
    String switchName();

    /** The modes of that switch this provider makes. */
    Set<String> modes();

    /** A new mechanism of {@code mode} for one run of {@code config}. */
    KernelMechanism create(String mode, RunConfig config);

    /**
     * The mechanism that runs while the switch is off (mode none), or null (the default): for a switch
     * whose system calls exist in every mode and only cost differently (ukva's classic aio calls).
     */
    default KernelMechanism createOff(RunConfig config) {
        return null;
    }
}
