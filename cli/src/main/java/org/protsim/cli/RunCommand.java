package org.protsim.cli;

import org.protsim.core.config.ConfigLoader;
import org.protsim.core.config.RunConfig;
import org.protsim.core.results.OutputFolder;
import org.protsim.core.results.RunFolder;
import org.protsim.orchestration.RunResult;
import org.protsim.orchestration.Runner;
import org.protsim.workloads.Plugins;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run one simulation, print its main figures and write its results folder.",
                "The folder holds config.json (the resolved config), summary.json and histograms/."})
final class RunCommand implements Callable<Integer> {
    @Parameters(paramLabel = "CONFIG", description = "run config (JSON; every key has a default)")
    Path config;

    @Option(names = "--out", paramLabel = "DIR",
            description = {"results folder (default: results/<config name>-<hash of the resolved config>); replaced "
                    + "only if protsim wrote it: an existing file or a folder of yours is refused"})
    Path out;

    @Option(names = "--set", paramLabel = "PATH=VALUE",
            description = "override one config value, e.g. --set model.name=pcid --set machine.cpus=4")
    List<String> sets = new ArrayList<>();

    @Mixin
    PluginOptions pluginOptions;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Plugins plugins = pluginOptions.load();
        ConfigLoader loader = plugins.loader();
        RunConfig rc = loader.load(config, sets);
        String configJson = loader.toJson(rc);
        Path dir = out != null ? out : Path.of("results", defaultRunId(config, configJson));
        OutputFolder.claim(dir, "--out", "run", OutputFolder.Mode.REPLACE, out == null, null);
        RunResult result = Runner.run(rc, plugins);
        RunFolder.write(dir, "run", configJson, result.summary(), result.histograms(), result.simulatedSeconds());
        Report.print(spec.commandLine().getOut(), result);
        spec.commandLine().getOut().println("results: " + dir);
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** "timer-1a2b3c4d": the config file's name and a hash of the resolved config, so equal runs share a folder. */
    static String defaultRunId(Path configFile, String resolvedJson) {
        String name = configFile.getFileName().toString().replaceFirst("(\\.json)?(\\.gz)?$", "");
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(resolvedJson.getBytes(StandardCharsets.UTF_8));
            return name + "-" + HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
