package org.protsim.core.plugin;

import org.protsim.core.InputError;

/**
 * A plugin that cannot be used: a jar that is missing or not a jar, a provider that fails to load,
 * a name that is malformed or registered twice. Bad input, so the command line prints it as one
 * line and exits with code 2.
 */
public final class PluginException extends InputError {
    public PluginException(String message) {
        super(message);
    }
}
