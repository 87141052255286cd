package org.protsim.validate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import org.protsim.core.config.ConfigLoader;
import org.protsim.core.config.CoreConfig;
import org.protsim.core.config.RunConfig;
import org.protsim.workloads.Workloads;

import java.util.List;

/** Experiment configs: JSON over protsim's defaults, read as strictly as a user's file, with the core chosen. */
final class Configs {
    private static final ConfigLoader LOADER = Workloads.loader();

    private Configs() {
    }

    static RunConfig of(String json, CoreConfig core, String... overrides) {
        JsonNode tree;
        try {
            tree = ConfigLoader.strictMapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("experiment config is not JSON: " + e.getOriginalMessage(), e);
        }
        RunConfig c = LOADER.fromTree(tree, List.of(overrides));
        return new RunConfig(c.seed(), c.machine().withCore(core), c.model(), c.kernel(), c.workload(), c.limits());
    }

    /** The resolved config as protsim writes it beside a run. */
    static String json(RunConfig c) {
        return LOADER.toJson(c);
    }
}
