package org.protsim.core.config;

import com.fasterxml.jackson.annotation.JsonValue;

/** The protection models protsim compares (DESIGN.md section 4). */
public enum ModelName {
    CONVENTIONAL("conventional"),
    PCID("pcid"),
    SASOS("sasos"),
    SHARED_ASID("shared-asid"),
    VAS("vas");

    private final String json;

    ModelName(String json) {
        this.json = json;
    }

    @JsonValue
    public String json() {
        return json;
    }

    public static ModelName fromJson(String s) {
        for (ModelName m : values()) {
            if (m.json.equals(s)) {
                return m;
            }
        }
        return null;
    }
}
