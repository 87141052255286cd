package org.protsim.core.config;

import org.protsim.core.InputError;

/**
 * A configuration value that cannot be used. {@link #path()} is the JSON path of the value
 * (relative to the record that threw, until the loader prefixes the record's own path), so
 * the user reads e.g. {@code machine.tlb.l1d.ways: 3 does not divide entries 64}.
 */
public final class ConfigException extends InputError {
    private final String path;
    private final String detail;

    public ConfigException(String path, String detail) {
        super(path.isEmpty() ? detail : path + ": " + detail);
        this.path = path;
        this.detail = detail;
    }

    public String path() {
        return path;
    }

    public String detail() {
        return detail;
    }

    /** The same error with {@code prefix} in front of its path. */
    public ConfigException under(String prefix) {
        if (prefix.isEmpty()) {
            return this;
        }
        return new ConfigException(path.isEmpty() ? prefix : prefix + "." + path, detail);
    }
}
