package org.protsim.core.config;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The protection models a loader accepts: {@code model.name} → defaults (whose class is the
 * model's config record; the built-in models share {@link ModelConfig}).
 */
public final class ModelTypes {
    /** The model of a config that names none: Linux/x86 without PCID, the baseline of every comparison. */
    public static final String DEFAULT_MODEL = "conventional";

    private final Map<String, ProtectionModelConfig> defaults = new TreeMap<>(); // sorted, for messages

    public ModelTypes(Map<String, ? extends ProtectionModelConfig> defaultsByName) {
        for (Map.Entry<String, ? extends ProtectionModelConfig> e : defaultsByName.entrySet()) {
            if (!e.getKey().equals(e.getValue().name())) {
                throw new IllegalArgumentException("model " + e.getKey() + ": defaults are named " + e.getValue().name());
            }
            defaults.put(e.getKey(), e.getValue());
        }
        if (!defaults.containsKey(DEFAULT_MODEL)) {
            throw new IllegalArgumentException("the default model " + DEFAULT_MODEL + " is not registered");
        }
    }

    /** The five built-in models, all of the shared record {@link ModelConfig}. */
    public static ModelTypes builtin() {
        Map<String, ProtectionModelConfig> m = new TreeMap<>();
        for (ModelName n : ModelName.values()) {
            m.put(n.json(), ModelConfig.DEFAULT.withName(n));
        }
        return new ModelTypes(m);
    }

    /** Defaults of model {@code name}, or null if there is no such model. */
    public ProtectionModelConfig defaults(String name) {
        return defaults.get(name);
    }

    public Map<String, ProtectionModelConfig> all() {
        return Collections.unmodifiableMap(defaults);
    }
}
