package org.protsim.core.config;

import com.fasterxml.jackson.annotation.JsonValue;

/** Replacement policy of a set-associative structure. */
public enum Replacement {
    /** True least-recently-used. */
    LRU("lru"),
    /** Tree pseudo-LRU (one bit per internal node of a binary tree over the ways), as in most x86 TLBs and L1 caches. */
    PLRU("plru"),
    /** A uniformly random way, drawn from the run's random stream. */
    RANDOM("random");

    private final String json;

    Replacement(String json) {
        this.json = json;
    }

    @JsonValue
    public String json() {
        return json;
    }
}
