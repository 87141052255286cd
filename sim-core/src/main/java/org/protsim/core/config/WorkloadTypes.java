package org.protsim.core.config;

import java.util.Collections;
import java.util.TreeMap;
import java.util.Map;

/** The workload types a loader accepts: {@code type} name → defaults (whose class is the config record). */
public final class WorkloadTypes {
    private final Map<String, WorkloadConfig> defaults = new TreeMap<>(); // sorted: messages list types in a stable order
    private final String defaultType;

    public WorkloadTypes(String defaultType, Map<String, WorkloadConfig> defaultsByType) {
        this.defaults.putAll(defaultsByType);
        if (!defaults.containsKey(defaultType)) {
            throw new IllegalArgumentException("default workload type " + defaultType + " is not registered");
        }
        this.defaultType = defaultType;
    }

    public String defaultType() {
        return defaultType;
    }

    /** Defaults of {@code type}, or null if there is no such type. */
    public WorkloadConfig defaults(String type) {
        return defaults.get(type);
    }

    public Map<String, WorkloadConfig> all() {
        return Collections.unmodifiableMap(defaults);
    }

    public String typeOf(WorkloadConfig config) {
        for (Map.Entry<String, WorkloadConfig> e : defaults.entrySet()) {
            if (e.getValue().getClass() == config.getClass()) {
                return e.getKey();
            }
        }
        throw new IllegalArgumentException("unregistered workload config " + config.getClass().getName());
    }
}
