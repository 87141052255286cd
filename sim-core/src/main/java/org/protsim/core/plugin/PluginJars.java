package org.protsim.core.plugin;

import java.io.File;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Plugin jars given on the command line ({@code --plugin PATH.jar}, repeatable) and in the
 * environment ({@code PROTSIM_PLUGINS}, a {@link File#pathSeparator}-separated list), checked and
 * put behind one class loader whose parent is protsim's own, so {@link java.util.ServiceLoader}
 * finds the built-in providers and the plugins' together.
 */
public final class PluginJars {
    /** The environment variable listing plugin jars. */
    public static final String ENV = "PROTSIM_PLUGINS";
    /** Services files of protsim extension points start with this. */
    static final String SERVICES = "META-INF/services/org.protsim.";

    private final List<Path> jars;

    private PluginJars(List<Path> jars) {
        this.jars = List.copyOf(jars);
    }

    /** No plugins: protsim's built-ins only. */
    public static PluginJars none() {
        return new PluginJars(List.of());
    }

    /**
     * The jars of {@code env} (the value of {@link #ENV}, may be null or empty) followed by
     * {@code options}, each made absolute; a jar named twice (by either) counts once, so a Slurm task
     * that inherits the environment and is also given the jars loads each once.
     *
     * @throws PluginException naming the first path that is not a readable jar with protsim providers
     */
    public static PluginJars of(String env, List<Path> options) {
        Set<Path> all = new LinkedHashSet<>();
        if (env != null) {
            for (String s : env.split(File.pathSeparator)) {
                if (!s.isBlank()) {
                    all.add(check(Path.of(s.strip()), ENV));
                }
            }
        }
        for (Path p : options) {
            all.add(check(p, "--plugin"));
        }
        return new PluginJars(new ArrayList<>(all));
    }

    private static Path check(Path jar, String where) {
        Path abs = jar.toAbsolutePath().normalize();
        if (!Files.exists(abs)) {
            throw new PluginException(where + " " + jar + ": no such file");
        }
        if (!Files.isRegularFile(abs) || !Files.isReadable(abs)) {
            throw new PluginException(where + " " + jar + ": not a readable file");
        }
        try (JarFile f = new JarFile(abs.toFile())) {
            boolean provides = false;
            for (JarEntry e : (Iterable<JarEntry>) f.stream()::iterator) {
                if (e.getName().startsWith(SERVICES) && !e.isDirectory()) {
                    provides = true;
                    break;
                }
            }
            if (!provides) {
                throw new PluginException(where + " " + jar + ": provides no protsim extension (no "
                        + SERVICES + "* file)");
            }
        } catch (IOException e) {
            throw new PluginException(where + " " + jar + ": not a jar (" + e.getMessage() + ")");
        }
        try {
            return abs.toRealPath();
        } catch (IOException e) {
            return abs;
        }
    }

    /** The jars, absolute, in the order given. */
    public List<Path> jars() {
        return jars;
    }

    public boolean isEmpty() {
        return jars.isEmpty();
    }

    /** A class loader over the jars whose parent is {@code parent} (itself if there are no jars). */
    public ClassLoader classLoader(ClassLoader parent) {
        if (jars.isEmpty()) {
            return parent;
        }
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = jars.get(i).toUri().toURL();
            } catch (MalformedURLException e) {
                throw new PluginException("--plugin " + jars.get(i) + ": " + e.getMessage());
            }
        }
        // never closed: the plugins' classes are used until the JVM exits
        return new URLClassLoader("protsim-plugins", urls, parent);
    }
}
