package org.protsim.core.config;

import com.fasterxml.jackson.annotation.JsonValue;

/** How the CPUs' private caches are kept coherent with each other. */
public enum CoherenceProtocol {
    /** Invalidation-based MESI with a directory at the shared level: a write invalidates the other private copies. */
    MESI("mesi"),
    /** No coherence: each CPU's private caches keep stale copies (protsim before coherence was modelled). */
    NONE("none");

    private final String json;

    CoherenceProtocol(String json) {
        this.json = json;
    }

    @JsonValue
    public String json() {
        return json;
    }
}
