package org.protsim.core.config;

import com.fasterxml.jackson.annotation.JsonValue;

/** How the {@code pcid} model hands out address-space identifiers. */
public enum AsidPolicy {
    /** Linux x86: each CPU keeps a few recently used mms in ASID slots (TLB_NR_DYN_ASIDS = 6). */
    PERCPU_SLOTS("percpu-slots"),
    /** arm64: global ASIDs with a generation number; running out of ASIDs flushes every TLB (rollover). */
    GENERATION("generation");

    private final String json;

    AsidPolicy(String json) {
        this.json = json;
    }

    @JsonValue
    public String json() {
        return json;
    }
}
