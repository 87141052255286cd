package org.protsim.cli;

import org.protsim.core.plugin.PluginJars;
import org.protsim.workloads.Plugins;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code --plugin JAR} (repeatable) and {@code PROTSIM_PLUGINS}: the plugin jars of run, compare and sweep. */
final class PluginOptions {
    @Option(names = "--plugin", paramLabel = "JAR",
            description = "load protection models, workload types, replacement policies from this jar (repeatable; "
                    + "also the " + PluginJars.ENV + " environment variable, a path-separator list)")
    List<Path> jars = new ArrayList<>();

    /** The built-ins and every plugin of the environment and the command line, each jar once. */
    Plugins load() {
        return Plugins.load(PluginJars.of(System.getenv(PluginJars.ENV), jars));
    }
}
