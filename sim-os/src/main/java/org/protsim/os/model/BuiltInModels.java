package org.protsim.os.model;

import org.protsim.core.config.ModelConfig;
import org.protsim.core.config.ModelName;
import org.protsim.core.config.ProtectionModelConfig;
import org.protsim.core.config.RunConfig;
import org.protsim.os.ModelProvider;
import org.protsim.os.ProtectionModel;

import java.util.Set;

/** The five protection models protsim ships (DESIGN.md section 4), registered by name as a plugin's are. */
public final class BuiltInModels implements ModelProvider {
    @Override
    public Set<String> names() {
        return Set.of("conventional", "pcid", "sasos", "shared-asid", "vas");
    }

    @Override
    public ProtectionModelConfig defaults(String name) {
        return ModelConfig.DEFAULT.withName(ModelName.fromJson(name));
    }

    @Override
    public ProtectionModel create(String name, RunConfig config) {
        ModelConfig m = (ModelConfig) config.model();
        return switch (name) {
            case "conventional" -> new ConventionalModel();
            case "pcid" -> new PcidModel(m);
            case "sasos" -> new SasosModel(m);
            case "shared-asid" -> new SharedAsidModel(m);
            case "vas" -> new VasModel(m);
            default -> throw new IllegalArgumentException("not a built-in model: " + name);
        };
    }
}
