package org.protsim.os.mechanism.proxy;

import org.protsim.core.config.MechanismConfig;
import org.protsim.core.config.ProxyConfig;
import org.protsim.core.config.RunConfig;
import org.protsim.os.KernelMechanism;
import org.protsim.os.MechanismProvider;

import java.util.List;

/**
 * Makes the {@code kernel.proxy} mechanisms, {@code map-time} and {@code pager} ({@link ProxyMechanism}),
 * of the record {@link ProxyConfig}, whose parameters may be set while the switch is off too.
 */
public final class ProxyProvider implements MechanismProvider {
    @Override
    public String switchName() {
        return "proxy";
    }

    @Override
    public List<String> modes() {
        return List.of(ProxyConfig.MAP_TIME, ProxyConfig.PAGER);
    }

    @Override
    public MechanismConfig defaults(String mode) {
        return ProxyConfig.DEFAULT.withMode(mode);
    }

    @Override
    public MechanismConfig offDefaults() {
        return ProxyConfig.DEFAULT;
    }

    @Override
    public KernelMechanism create(String mode, RunConfig config) {
        return new ProxyMechanism(config.kernel().mechanism("proxy", ProxyConfig.class, null));
    }
}
