package org.protsim.os.model;

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
    public ProtectionModel create(String name, RunConfig config) {
        return switch (name) {
            case "conventional" -> new ConventionalModel();
            case "pcid" -> new PcidModel(config.model());
            case "sasos" -> new SasosModel(config.model());
            case "shared-asid" -> new SharedAsidModel(config.model());
            case "vas" -> new VasModel(config.model());
            default -> throw new IllegalArgumentException("not a built-in model: " + name);
        };
    }
}
