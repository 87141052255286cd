package org.protsim.core.config;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * {@code kernel.pat}: how cache-attribute aliases are tracked (docs/sources.md [004]);
 * vma-walk and memtype-tree come with the PAT issue.
 *
 * @param mode which mechanism runs; {@code none} (the default) runs none
 */
public record PatConfig(Mode mode) implements MechanismConfig {
    public static final PatConfig DEFAULT = new PatConfig(Mode.NONE);

    /** The modes of {@code kernel.pat}. */
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

    public PatConfig {
        Check.that(mode != null, "mode", "must be given");
    }

    @Override
    public String modeName() {
        return mode.json();
    }
}
