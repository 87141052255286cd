package org.protsim.cli;

import org.protsim.core.InputError;
import org.protsim.core.results.OutputFolder;
import org.protsim.core.sweep.SweepResults;
import org.protsim.core.sweep.SweepSpec;
import org.protsim.orchestration.Sweep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "plot", mixinStandardHelpOptions = true,
        description = "Redraw a finished sweep's plots (DIR/plots/*.png) from its run folders.")
final class PlotCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "a finished sweep folder")
    Path dir;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec cmd;

    @Override
    public Integer call() {
        Path specFile = dir.resolve("spec.json");
        if (!Files.isRegularFile(specFile)) {
            throw new InputError(dir + ": not a sweep folder (no spec.json)");
        }
        OutputFolder.claim(dir, "DIR", "plot", OutputFolder.Mode.ADD, false, "spec.json");
        SweepSpec spec = SweepSpec.load(specFile);
        SweepResults results = SweepResults.read(spec, r -> Sweep.folder(dir, spec, r));
        int n = SweepPlots.write(results, dir.resolve("plots"));
        cmd.commandLine().getOut().println(n + " plots in " + dir.resolve("plots"));
        cmd.commandLine().getOut().flush();
        return 0;
    }
}
