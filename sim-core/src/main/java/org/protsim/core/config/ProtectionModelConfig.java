package org.protsim.core.config;

import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * The config of the protection model: a record per model, chosen by its {@code name} key
 * ({@code "model": {"name": "pcid", "asidSlots": 6}}). The built-in models share one record,
 * {@link ModelConfig}; a plugin's model declares its own, which the loader binds as strictly as
 * every other part of the config (an unknown key is refused with its path). Models are registered
 * by name with {@link ModelTypes}; a config never names a class.
 *
 * <p>A record implementing this interface has {@code String name} as its first component: the
 * name it was chosen by, written back into {@code config.json}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.EXISTING_PROPERTY, property = "name",
        visible = true)
public interface ProtectionModelConfig {
    /** The registered name of the model ({@code model.name}). */
    String name();

    /**
     * Checks this model's parameters against the machine it runs on (a tag width, a page-table
     * depth); throws a {@link ConfigException} whose path is relative to the config's root.
     */
    default void check(MachineConfig machine) {
    }

    /** The machine defaults this model needs (sasos: 5-level tables); the user's own values still win. */
    default MachineConfig machineDefaults(MachineConfig machine) {
        return machine;
    }
}
