package org.protsim.os.dma;

import org.protsim.core.config.DmaConfig;
import org.protsim.core.config.RunConfig;
import org.protsim.os.KernelMechanism;
import org.protsim.os.MechanismProvider;

import java.util.LinkedHashSet;
import java.util.Set;

/** The built-in {@code kernel.dma} modes. */
public final class DmaProvider implements MechanismProvider {
    @Override
    public String switchName() {
        return "dma";
    }

    @Override
    public Set<String> modes() {
        Set<String> m = new LinkedHashSet<>();
        for (DmaConfig.Mode mode : DmaConfig.Mode.values()) {
            if (mode != DmaConfig.Mode.NONE) {
                m.add(mode.json());
            }
        }
        return m;
    }

    @Override
    public KernelMechanism create(String mode, RunConfig config) {
        return new DmaMechanism(config.kernel().dma().mode());
    }
}
