package org.protsim.core.config;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One kernel mechanism switch, {@code kernel.<switch> = {"mode": ..., parameters}}: which
 * mechanism of that kind the kernel runs (DESIGN.md section 4), mode {@code none} for none.
 * Each switch is its own record, so its keys are checked as strictly as every other.
 */
public interface MechanismConfig {
    /** The mode as the config spells it. */
    @JsonIgnore
    String modeName();

    /** True if the switch is off (mode {@code none}): such a switch is left out of a written config. */
    @JsonIgnore
    default boolean off() {
        return modeName().equals("none");
    }
}
