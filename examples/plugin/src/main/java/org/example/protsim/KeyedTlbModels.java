package org.example.protsim;

import org.protsim.core.config.ProtectionModelConfig;
import org.protsim.core.config.RunConfig;
import org.protsim.os.ModelProvider;
import org.protsim.os.ProtectionModel;

import java.util.Set;

/** Registers {@code keyed-tlb} (META-INF/services/org.protsim.os.ModelProvider names this class). */
public final class KeyedTlbModels implements ModelProvider {
    @Override
    public Set<String> names() {
        return Set.of(KeyedTlbConfig.NAME);
    }

    @Override
    public ProtectionModelConfig defaults(String name) {
        return KeyedTlbConfig.DEFAULT;
    }

    @Override
    public ProtectionModel create(String name, RunConfig config) {
        return new KeyedTlbModel((KeyedTlbConfig) config.model());
    }
}
