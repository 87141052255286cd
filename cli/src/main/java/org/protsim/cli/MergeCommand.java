package org.protsim.cli;

import org.protsim.core.InputError;
import org.protsim.core.results.OutputFolder;
import org.protsim.core.results.RunFolder;
import org.protsim.core.sweep.SweepResults;
import org.protsim.core.sweep.SweepSpec;
import org.protsim.orchestration.Sweep;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "merge", mixinStandardHelpOptions = true,
        description = {"Combine the folders of a sharded sweep: every run is collected into OUT/points/, then "
                + "sweep.csv, points.csv, sweep.json and plots/ are written, with histograms merged exactly and figures "
                + "summarised across replications (mean, standard deviation, 95%% confidence interval)."})
final class MergeCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", arity = "1..*", description = "sweep folders (shards) of one spec")
    List<Path> dirs;

    @Option(names = "--out", required = true, paramLabel = "OUT", description = "where the merged sweep goes")
    Path out;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec cmd;

    @Override
    public Integer call() throws IOException {
        String canonical = null;
        Path specFile = null;
        for (Path d : dirs) {
            Path f = d.resolve("spec.json");
            if (!Files.isRegularFile(f)) {
                throw new InputError(d + ": not a sweep folder (no spec.json)");
            }
            String text = Files.readString(f);
            if (canonical == null) {
                canonical = text;
                specFile = f;
            } else if (!canonical.equals(text)) {
                throw new InputError(d + ": its spec.json differs from " + specFile + ": these are different sweeps");
            }
        }
        SweepSpec spec = SweepSpec.load(specFile);
        // refused before anything is read or written: a file or a folder of the user's
        OutputFolder.claim(out, "--out", "merge", OutputFolder.Mode.ADD, false, "spec.json");
        Map<Integer, Path> source = new HashMap<>();
        for (SweepSpec.Run r : spec.runs()) {
            Path found = null;
            for (Path d : dirs) {
                if (Sweep.finished(d, spec, r)) {
                    Path here = Sweep.folder(d, spec, r);
                    if (found != null && !Arrays.equals(Files.readAllBytes(found.resolve("summary.json")),
                            Files.readAllBytes(here.resolve("summary.json")))) {
                        throw new InputError("run " + Sweep.folder(Path.of(""), spec, r) + " differs between " + found
                                + " and " + here);
                    }
                    found = found == null ? here : found;
                }
            }
            if (found == null) {
                throw new InputError("run " + Sweep.folder(Path.of(""), spec, r) + " is in none of the folders: "
                        + "a shard has not finished (rerun it: runs already done are skipped)");
            }
            source.put(r.index(), found);
        }
        // every input read (summaries and histogram logs) before --out is touched: a corrupt shard
        // fails here and leaves no half-filled folder behind
        SweepResults results = SweepResults.read(spec, r -> source.get(r.index()));
        Path target = Sweep.claim(out.toAbsolutePath().normalize(), "merge", spec);
        List<Path> copied = new ArrayList<>();
        for (SweepSpec.Run r : spec.runs()) {
            Path to = Sweep.folder(target, spec, r);
            Path from = source.get(r.index());
            if (!from.toAbsolutePath().normalize().equals(to) && !Sweep.finished(target, spec, r)) {
                RunFolder.deleteLeftoversOf(to);
                RunFolder.copyFolder(from, to);
                copied.add(to);
            }
        }
        results.write(target);
        int plots = SweepPlots.write(results, target.resolve("plots"));
        cmd.commandLine().getOut().println("merged " + spec.runCount() + " runs from " + dirs.size() + " folder(s) into "
                + target + " (" + copied.size() + " copied, " + plots + " plots)");
        cmd.commandLine().getOut().flush();
        return 0;
    }
}
