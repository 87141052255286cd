package org.protsim.os.mechanism.proxy;

import org.protsim.core.config.ProxyConfig;
import org.protsim.os.mechanism.SharedRecordProvider;

import java.util.List;

/**
 * Makes the {@code kernel.proxy} mechanisms, {@code map-time} and {@code pager} ({@link ProxyMechanism}),
 * of the record {@link ProxyConfig}, whose parameters may be set while the switch is off too.
 */
public final class ProxyProvider extends SharedRecordProvider<ProxyConfig> {
    public ProxyProvider() {
        super("proxy", List.of(ProxyConfig.MAP_TIME, ProxyConfig.PAGER), ProxyConfig.class, ProxyConfig.DEFAULT,
                ProxyConfig::withMode, ProxyMechanism::new);
    }
}
