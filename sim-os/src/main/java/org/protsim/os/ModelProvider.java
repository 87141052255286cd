package org.protsim.os;

import org.protsim.core.config.ProtectionModelConfig;
import org.protsim.core.config.RunConfig;

import java.util.Set;

/**
 * Makes protection models by name; found with {@link java.util.ServiceLoader} (a
 * {@code META-INF/services/org.protsim.os.ModelProvider} entry), the built-in models exactly
 * as a plugin's (as JDBC drivers are found).
 */
public interface ModelProvider {
    /** The names this provider makes, as {@code model.name} spells them. */
    Set<String> names();

    /**
     * The defaults of model {@code name}: an instance of its config record, whose first component
     * is {@code String name} (= {@code name}); the loader binds the user's {@code model} object to
     * that record as strictly as every other part of the config.
     */
    ProtectionModelConfig defaults(String name);

    /** A new model {@code name} for one run of {@code config} ({@code config.model()} is of its record). */
    ProtectionModel create(String name, RunConfig config);
}
