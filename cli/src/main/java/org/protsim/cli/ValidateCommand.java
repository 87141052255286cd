package org.protsim.cli;

import org.protsim.core.InputError;
import org.protsim.core.results.OutputFolder;
import org.protsim.core.results.RunFolder;
import org.protsim.validate.Experiment;
import org.protsim.validate.Validation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Hold protsim against published measurements of real machines: each experiment runs on a "
                + "machine resembling the measured one, under the serial and the interval core; prints the "
                + "prediction, its ratio to the published figure and whether it lies in the experiment's band.",
                "Writes validation.md, validation.json and validation.png (the ratios as bars). Exit code 1 if a calibrated figure leaves its band."})
final class ValidateCommand implements Callable<Integer> {
    @Option(names = "--quick", description = "smaller instances of every experiment (seconds, for tests)")
    boolean quick;

    @Option(names = "--out", paramLabel = "DIR", description = "output folder (default: results/validate); replaced "
            + "only if protsim wrote it: an existing file or a folder of yours is refused")
    Path out = DEFAULT_OUT;

    @Option(names = "--threads", paramLabel = "N", description = "experiments in parallel (default: every core)")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--only", paramLabel = "ID", split = ",", description = "run only these experiments "
            + "(their ids, comma-separated; default: the whole suite)")
    List<String> only;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    static final Path DEFAULT_OUT = Path.of("results", "validate");

    @Override
    public Integer call() {
        if (threads < 1) {
            throw new InputError("--threads: " + threads + " must be at least 1");
        }
        List<Experiment> suite = Validation.select(only);
        Path target = OutputFolder.claim(out, "--out", "validate", OutputFolder.Mode.REPLACE, out.equals(DEFAULT_OUT),
                null);
        long start = System.nanoTime();
        Progress progress = new Progress(spec.commandLine().getErr(), suite.size() * Validation.CORES.size(),
                "runs");
        List<Validation.Row> rows = Validation.run(suite, quick, threads, progress::done);
        progress.finish();
        write(target, rows);
        PrintWriter o = spec.commandLine().getOut();
        o.print(Validation.table(rows));
        o.printf(Locale.ROOT, "results: %s (%.1f s wall%s)%n", out, (System.nanoTime() - start) / 1e9,
                quick ? ", quick" : "");
        List<Validation.Row> broken = Validation.broken(rows);
        for (Validation.Row r : broken) {
            spec.commandLine().getErr().println("protsim: calibrated figure " + r.id() + " left its band");
        }
        o.flush();
        return broken.isEmpty() ? 0 : 1;
    }

    /** The files into a hidden sibling, marked as protsim's, then renamed into place: never a half-written folder. */
    private void write(Path target, List<Validation.Row> rows) {
        Path tmp;
        try {
            Files.createDirectories(target.getParent());
            tmp = OutputFolder.newDirectory(target.getParent(), "." + target.getFileName() + ".tmp-", "");
        } catch (IOException e) {
            throw OutputFolder.cannotWrite(target, e);
        }
        try {
            ValidationFigure.write(rows, tmp.resolve("validation.png"));
            RunFolder.writeAtomically(tmp.resolve("validation.md"), "# protsim validate\n\n"
                    + Validation.markdown(rows, quick) + "\n![protsim / published, by core model](validation.png)\n");
            RunFolder.writeAtomically(tmp.resolve("validation.json"), Validation.json(rows, quick));
            OutputFolder.mark(tmp, "validate");
            RunFolder.moveIntoPlace(tmp, target);
        } catch (IOException e) {
            throw OutputFolder.cannotWrite(target, e);
        } finally {
            CompareCommand.deleteQuietly(tmp);
        }
    }
}
