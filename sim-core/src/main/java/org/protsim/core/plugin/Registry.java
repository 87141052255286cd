package org.protsim.core.plugin;

import org.protsim.core.config.ConfigException;

import java.net.URL;
import java.security.CodeSource;
import java.util.Collections;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The providers of one extension point, by name: everything {@link ServiceLoader} finds for
 * {@code kind} through a class loader (protsim's own and any plugin jars). Names are checked once,
 * here: malformed or duplicate names are refused, so a config can never pick an ambiguous one. A
 * config names a provider; it never names a class.
 *
 * @param <P> the extension point, e.g. {@code ReplacementPolicy}
 */
public final class Registry<P extends Provider> {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    private final String what;
    private final Map<String, P> byName; // sorted: messages list names in a stable order

    private Registry(String what, Map<String, P> byName) {
        this.what = what;
        this.byName = Collections.unmodifiableMap(byName);
    }

    /**
     * Finds every provider of {@code kind} visible to {@code loader}.
     *
     * @param what what the providers are, for messages ("replacement policy")
     * @throws PluginException if a provider cannot be loaded or a name is malformed or taken twice
     */
    public static <P extends Provider> Registry<P> discover(Class<P> kind, String what, ClassLoader loader) {
        Map<String, P> found = new TreeMap<>();
        ServiceLoader<P> services = ServiceLoader.load(kind, loader);
        try {
            for (P p : services) {
                String name = p.name();
                checkName(what, name, p);
                P other = found.putIfAbsent(name, p);
                if (other != null) {
                    throw new PluginException(what + " \"" + name + "\" is registered twice: by "
                            + p.getClass().getName() + " (" + origin(p) + ") and by " + other.getClass().getName()
                            + " (" + origin(other) + ")");
                }
            }
        } catch (ServiceConfigurationError | LinkageError e) {
            // a services file naming a missing class, a class that does not implement the interface, or
            // one compiled against another protsim: say which, in one line
            throw new PluginException("cannot load a " + what + ": " + firstLine(e));
        }
        return new Registry<>(what, found);
    }

    /**
     * Checks a provider's name: lower-case letters, digits and single dashes, starting with a letter.
     *
     * @throws PluginException naming {@code what}, the provider's class and its jar
     */
    public static void checkName(String what, String name, Object provider) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new PluginException(what + " " + provider.getClass().getName() + " (" + origin(provider) + "): name "
                    + (name == null ? "null" : "\"" + name + "\"")
                    + " must be lower-case letters, digits and single dashes, starting with a letter");
        }
    }

    /** A registry of exactly {@code providers}, for tests and for harnesses that build runs in code. */
    @SafeVarargs
    public static <P extends Provider> Registry<P> of(String what, P... providers) {
        Map<String, P> m = new TreeMap<>();
        for (P p : providers) {
            if (m.putIfAbsent(p.name(), p) != null) {
                throw new IllegalArgumentException(what + " \"" + p.name() + "\" given twice");
            }
        }
        return new Registry<>(what, m);
    }

    /** The provider called {@code name}, or null. */
    public P get(String name) {
        return byName.get(name);
    }

    /**
     * The provider called {@code name}.
     *
     * @param path the JSON path that named it, for the error
     * @throws ConfigException naming the path and the known names if there is none
     */
    public P require(String path, String name) {
        P p = byName.get(name);
        if (p == null) {
            throw new ConfigException(path, (name == null ? "nothing" : "\"" + name + "\"") + " is not a known "
                    + what + " (known: " + String.join(", ", byName.keySet()) + ")");
        }
        return p;
    }

    /** The registered names, sorted. */
    public Set<String> names() {
        return byName.keySet();
    }

    /** The providers by name, sorted. */
    public Map<String, P> all() {
        return byName;
    }

    /** What this registry's providers are ("replacement policy"). */
    public String what() {
        return what;
    }

    /** Where a provider's class was loaded from (its jar or class folder), for messages. */
    public static String origin(Object provider) {
        CodeSource cs = provider.getClass().getProtectionDomain().getCodeSource();
        URL url = cs == null ? null : cs.getLocation();
        return url == null ? "the JDK" : url.getPath();
    }

    private static String firstLine(Throwable e) {
        String m = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null) {
            m = m + ": " + cause.getClass().getSimpleName() + " " + cause.getMessage();
        }
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
