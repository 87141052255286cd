package org.protsim.core.config;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * {@code kernel.dma}: how driver DMA is confined (docs/sources.md [000], [004]);
 * the IOMMU modes come with the DMA issue.
 *
 * @param mode which mechanism runs; {@code none} (the default) runs none
 */
public record DmaConfig(Mode mode) implements MechanismConfig {
    public static final DmaConfig DEFAULT = new DmaConfig(Mode.NONE);

    /** The modes of {@code kernel.dma}. */
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

    public DmaConfig {
        Check.that(mode != null, "mode", "must be given");
    }

    @Override
    public String modeName() {
        return mode.json();
    }
}
