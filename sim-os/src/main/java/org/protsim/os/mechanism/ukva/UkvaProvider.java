package org.protsim.os.mechanism.ukva;

import org.protsim.core.config.MechanismConfig;
import org.protsim.core.config.RunConfig;
import org.protsim.core.config.UkvaConfig;
import org.protsim.os.KernelMechanism;
import org.protsim.os.MechanismProvider;

import java.util.List;

/**
 * Makes {@code kernel.ukva}'s mechanisms, of the record {@link UkvaConfig}; under mode none, the
 * classic aio system calls ({@link Ukva} too), which read the same record.
 */
public final class UkvaProvider implements MechanismProvider {
    @Override
    public String switchName() {
        return "ukva";
    }

    @Override
    public List<String> modes() {
        return List.of(UkvaConfig.PER_MM, UkvaConfig.PER_TASK);
    }

    @Override
    public MechanismConfig defaults(String mode) {
        return UkvaConfig.DEFAULT.withMode(mode);
    }

    @Override
    public MechanismConfig offDefaults() {
        return UkvaConfig.DEFAULT;
    }

    @Override
    public KernelMechanism create(String mode, RunConfig config) {
        return new Ukva(config.kernel().mechanism("ukva", UkvaConfig.class, null));
    }

    @Override
    public KernelMechanism createOff(RunConfig config) {
        return new Ukva(config.kernel().mechanism("ukva", UkvaConfig.class, UkvaConfig.DEFAULT));
    }
}
