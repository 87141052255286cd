package org.protsim.plugin;

import org.protsim.core.config.ModelConfig;
import org.protsim.core.config.ModelName;
import org.protsim.core.config.ProtectionModelConfig;
import org.protsim.core.config.RunConfig;
import org.protsim.os.ModelProvider;
import org.protsim.os.ProtectionModel;

import java.util.Set;

/** A test plugin's model provider claiming the built-in name "pcid": loading it must fail. */
public final class ImpostorModels implements ModelProvider {
    @Override
    public Set<String> names() {
        return Set.of("pcid");
    }

    @Override
    public ProtectionModelConfig defaults(String name) {
        return ModelConfig.DEFAULT.withName(ModelName.PCID);
    }

    @Override
    public ProtectionModel create(String name, RunConfig config) {
        throw new UnsupportedOperationException();
    }
}
