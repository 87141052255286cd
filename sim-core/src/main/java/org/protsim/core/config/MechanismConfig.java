package org.protsim.core.config;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * The config of one kernel mechanism switch, {@code kernel.<switch> = {"mode": ..., parameters}}:
 * which mechanism of that kind the kernel runs (DESIGN.md section 4), mode {@code none} for none.
 * A mode's record is registered by name with {@link MechanismTypes} (the built-in modes exactly as
 * a plugin's), and the loader binds the user's object to the record of the mode it names, as
 * strictly as every other part of the config; a config never names a class.
 *
 * <p>A record implementing this interface has {@code String mode} as its first component: the
 * mode it was chosen by, written back into {@code config.json}.
 */
public interface MechanismConfig {
    /** The mode of every switch that means "no mechanism", and the default of every switch. */
    String NONE = "none";

    /** The registered mode, as {@code kernel.<switch>.mode} spells it. */
    String mode();

    /** True if the switch is off (mode {@code none}): such a switch is left out of a written config. */
    @JsonIgnore
    default boolean off() {
        return NONE.equals(mode());
    }

    /**
     * {@code {"mode": "none"}}: a switch that is off and takes no parameters, the off record of a
     * switch whose providers declare none of their own ({@code MechanismProvider.offDefaults}).
     */
    record Off(String mode) implements MechanismConfig {
        public static final Off DEFAULT = new Off(NONE);

        public Off {
            Check.that(NONE.equals(mode), "mode", "must be " + NONE);
        }
    }
}
