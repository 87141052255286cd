package org.protsim.os.mechanism.proxy;

import org.protsim.core.config.ProxyConfig;
import org.protsim.core.config.RunConfig;
import org.protsim.os.KernelMechanism;
import org.protsim.os.MechanismProvider;

import java.util.Set;

/** Makes the {@code kernel.proxy} mechanisms, {@code map-time} and {@code pager} ({@link ProxyMechanism}). */
public final class ProxyProvider implements MechanismProvider {
    @Override
    public String switchName() {
        return "proxy";
    }

    @Override
    public Set<String> modes() {
        return Set.of(ProxyConfig.Mode.MAP_TIME.json(), ProxyConfig.Mode.PAGER.json());
    }

    @Override
    public KernelMechanism create(String mode, RunConfig config) {
        return new ProxyMechanism(config.kernel().proxy());
    }
}
