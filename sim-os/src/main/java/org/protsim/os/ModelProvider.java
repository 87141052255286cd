package org.protsim.os;

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

    /** A new model {@code name} for one run of {@code config}. */
    ProtectionModel create(String name, RunConfig config);
}
