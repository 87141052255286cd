package org.protsim.core.config;

import com.fasterxml.jackson.annotation.JsonValue;

/** How a cache forms its set index and tag: from the physical or the virtual address. */
public enum Indexing {
    /** Physically indexed, physically tagged: needs the translation first (L2, LLC). */
    PIPT("pipt"),
    /** Virtually indexed, physically tagged: index in parallel with the TLB (x86 L1). */
    VIPT("vipt"),
    /** Virtually indexed, virtually tagged: no translation on a hit, but homonyms across address spaces. */
    VIVT("vivt");

    private final String json;

    Indexing(String json) {
        this.json = json;
    }

    @JsonValue
    public String json() {
        return json;
    }
}
