package org.protsim.core.config;

import com.fasterxml.jackson.annotation.JsonValue;

/** The shape of a random duration, each given by its median. */
public enum Distribution {
    /** Always the median. */
    FIXED("fixed"),
    /** Log-normal: ln of the duration is normal with mean ln(median) and standard deviation sigma. */
    LOGNORMAL("lognormal"),
    /** Exponential (memoryless), mean = median / ln 2. */
    EXPONENTIAL("exponential");

    private final String json;

    Distribution(String json) {
        this.json = json;
    }

    @JsonValue
    public String json() {
        return json;
    }
}
