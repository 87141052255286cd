package org.protsim.core.config;

import com.fasterxml.jackson.annotation.JsonValue;

/** When the {@code sasos} model copies a forked child's writable data into the child's own range. */
public enum ForkCopy {
    /** All writable pages at fork. */
    EAGER("eager"),
    /** Each page when the child first touches it. */
    ON_TOUCH("on-touch");

    private final String json;

    ForkCopy(String json) {
        this.json = json;
    }

    @JsonValue
    public String json() {
        return json;
    }
}
