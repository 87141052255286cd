package org.protsim.core.config;

import com.fasterxml.jackson.annotation.JsonValue;

/** How a CPU turns the latencies of its references into cycles (see {@link CoreConfig}). */
public enum CoreModel {
    /** An in-order core without overlap: every TLB lookup, walk and cache access adds its full latency. */
    SERIAL("serial"),
    /** An out-of-order core after the interval model: the reorder window hides latency, independent misses overlap. */
    INTERVAL("interval");

    private final String json;

    CoreModel(String json) {
        this.json = json;
    }

    @JsonValue
    public String json() {
        return json;
    }
}
