package org.protsim.core.config;

import com.fasterxml.jackson.annotation.JsonValue;

/** Page sizes of x86-64 (and arm64 with a 4 KiB granule). */
public enum PageSize {
    SIZE_4K("4K", 12),
    SIZE_2M("2M", 21),
    SIZE_1G("1G", 30);

    private final String json;
    private final int shift;

    PageSize(String json, int shift) {
        this.json = json;
        this.shift = shift;
    }

    @JsonValue
    public String json() {
        return json;
    }

    /** log2 of the size in bytes. */
    public int shift() {
        return shift;
    }

    public long bytes() {
        return 1L << shift;
    }
}
