package org.example.protsim;

import org.protsim.core.config.MechanismConfig;
import org.protsim.core.config.RunConfig;
import org.protsim.os.KernelMechanism;
import org.protsim.os.MechanismProvider;

import java.util.List;

/**
 * Registers the switch {@code kernel.l1d-flush} and its mode {@code msr}
 * (META-INF/services/org.protsim.os.MechanismProvider names this class).
 */
public final class L1dFlushes implements MechanismProvider {
    @Override
    public String switchName() {
        return L1dFlushConfig.SWITCH;
    }

    @Override
    public List<String> modes() {
        return List.of(L1dFlushConfig.MSR);
    }

    @Override
    public MechanismConfig defaults(String mode) {
        return L1dFlushConfig.DEFAULT;
    }

    @Override
    public KernelMechanism create(String mode, RunConfig config) {
        return new L1dFlush(config.kernel().mechanism(L1dFlushConfig.SWITCH, L1dFlushConfig.class, null));
    }
}
