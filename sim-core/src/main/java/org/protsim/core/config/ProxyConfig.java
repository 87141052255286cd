package org.protsim.core.config;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * {@code kernel.proxy}: proxy objects (docs/sources.md [002]);
 * map-time and pager come with the proxy issue.
 *
 * @param mode which mechanism runs; {@code none} (the default) runs none
 */
public record ProxyConfig(Mode mode) implements MechanismConfig {
    public static final ProxyConfig DEFAULT = new ProxyConfig(Mode.NONE);

    /** The modes of {@code kernel.proxy}. */
    public enum Mode {
        NONE("none");

        private final String json;

        Mode(String json) {
            this.json = json;
        }

        @JsonValue
        public String json() {
            return json;
        }
    }

    public ProxyConfig {
        Check.that(mode != null, "mode", "must be given");
    }

    @Override
    public String modeName() {
        return mode.json();
    }
}
