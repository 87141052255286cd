package org.protsim.cli;

import org.protsim.core.InputError;
import org.protsim.validate.Validation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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

    @Option(names = "--out", paramLabel = "DIR", description = "output folder (default: results/validate)")
    Path out = Path.of("results", "validate");

    @Option(names = "--threads", paramLabel = "N", description = "experiments in parallel (default: every core)")
    int threads = Runtime.getRuntime().availableProcessors();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (threads < 1) {
            throw new InputError("--threads: " + threads + " must be at least 1");
        }
        Path target = out.toAbsolutePath().normalize();
        if (Files.exists(target) && !(Files.isDirectory(target) && Files.exists(target.resolve("validation.json")))) {
            throw new InputError("--out: " + out + " exists and is not a folder protsim validate wrote; "
                    + "choose another");
        }
        long start = System.nanoTime();
        Progress progress = new Progress(spec.commandLine().getErr(), Validation.SUITE.size() * Validation.CORES.size(),
                "runs");
        List<Validation.Row> rows = Validation.run(Validation.SUITE, quick, threads, progress::done);
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

    /** Both files into a hidden sibling, then renamed into place: never a half-written folder. */
    private void write(Path target, List<Validation.Row> rows) {
        try {
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".tmp-");
            try {
                ValidationFigure.write(rows, tmp.resolve("validation.png"));
                Files.writeString(tmp.resolve("validation.md"), "# protsim validate\n\n"
                        + Validation.markdown(rows, quick) + "\n![protsim / published, by core model](validation.png)\n");
                Files.writeString(tmp.resolve("validation.json"), Validation.json(rows, quick));
                Path old = null;
                if (Files.exists(target)) {
                    old = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".old-");
                    Files.delete(old);
                    Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
                }
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                if (old != null) {
                    CompareCommand.deleteQuietly(old);
                }
            } finally {
                CompareCommand.deleteQuietly(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}
