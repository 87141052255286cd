package org.protsim.core.config;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * {@code kernel.ukva}: user-kernel shared areas for completions (docs/sources.md [003]);
 * per-mm and per-task come with the aio issue.
 *
 * @param mode which mechanism runs; {@code none} (the default) runs none
 */
public record UkvaConfig(Mode mode) implements MechanismConfig {
    public static final UkvaConfig DEFAULT = new UkvaConfig(Mode.NONE);

    /** The modes of {@code kernel.ukva}. */
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

    public UkvaConfig {
        Check.that(mode != null, "mode", "must be given");
    }

    @Override
    public String modeName() {
        return mode.json();
    }
}
