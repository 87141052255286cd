package org.protsim.cli;

import org.protsim.core.results.OutputFolder;
import org.protsim.core.results.RunFolder;
import org.protsim.orchestration.Comparison;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Run every protection model on every workload of a set, in parallel, and print them side by "
                + "side: TLB misses per 1,000 references, flushes, shootdowns, total cycles relative to "
                + "the baseline model (--baseline), p99 fork latency; proxy-share under each kernel.proxy mode; and aio "
                + "and the fio replays under each kernel.ukva mode.",
                "Writes compare.md, compare.csv, compare.json, PNG figures, compare.html (tables, figures, configs) and "
                        + "each run's folder (runs/<workload>-<model>/)."})
final class CompareCommand implements Callable<Integer> {
    @Option(names = "--models", split = ",", paramLabel = "MODEL",
            description = "models to run (default: all: conventional, pcid, sasos, shared-asid, vas)")
    List<String> models = new ArrayList<>(Comparison.ALL_MODELS);

    @Option(names = "--workloads", split = ",", paramLabel = "WORKLOAD",
            description = "built-in workloads (fork-spawn, fork-prefork, shared-libc, vas-switch, strace-build, "
                    + "driver-dma, proxy-share, aio, fio-libaio-thread, fio-io_uring-thread: the default) or paths of "
                    + "run configs")
    List<String> workloads = new ArrayList<>(Comparison.DEFAULT_WORKLOADS);

    @Option(names = "--baseline", paramLabel = "MODEL", description = "the model cycles are reported relative to; "
            + "one of --models (default: conventional if it is run, else the first model; outputs name it)")
    String baseline;

    static final Path DEFAULT_OUT = Path.of("results", "compare");

    @Option(names = "--out", paramLabel = "DIR", description = "output folder (default: results/compare); replaced "
            + "only if protsim wrote it: an existing file or a folder of yours is refused")
    Path out = DEFAULT_OUT;

    @Option(names = "--set", paramLabel = "PATH=VALUE", description = "override a config value in every run")
    List<String> sets = new ArrayList<>();

    @Option(names = "--threads", paramLabel = "N", description = "runs in parallel (default: every core)")
    int threads = Runtime.getRuntime().availableProcessors();

    @Mixin
    PluginOptions pluginOptions;

    @Option(names = "--replications", paramLabel = "N", description = "runs of each (workload, model) with seeds "
            + "derived as sweeps derive them; the figures show the mean and a 95%% Student-t interval, the tables "
            + "replication 0 (default: 1)")
    int replications = 1;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (threads < 1) {
            throw new org.protsim.core.InputError("--threads: " + threads + " must be at least 1");
        }
        if (replications < 1) {
            throw new org.protsim.core.InputError("--replications: " + replications + " must be at least 1");
        }
        Comparison c = new Comparison(workloads, models, sets, baseline, pluginOptions.load());
        Path target = OutputFolder.claim(out, "--out", "compare", OutputFolder.Mode.REPLACE, out.equals(DEFAULT_OUT), null);
        Path tmp = temporarySibling(target);
        int runs = c.runCount() + (replications - 1) * c.replicationRunCount();
        Progress progress = new Progress(spec.commandLine().getErr(), runs, "runs");
        try {
            long start = System.nanoTime();
            List<Comparison.Row> rows = c.run(threads, tmp.resolve("runs"), p -> progress.done(p.id()));
            List<Path> runDirs = new ArrayList<>(List.of(tmp.resolve("runs")));
            List<List<org.protsim.orchestration.BarFigure>> mechanism = new ArrayList<>();
            mechanism.add(c.mechanismFigures());
            for (int r = 1; r < replications; r++) {
                Path dir = tmp.resolve("runs-r" + r);
                int rep = r;
                Comparison replication = c.replication(r);
                replication.run(threads, dir, p -> progress.done(p.id() + " r" + rep));
                mechanism.add(replication.mechanismFigures());
                runDirs.add(dir);
            }
            progress.finish();
            c.writeReports(tmp, rows);
            long drawing = System.nanoTime();
            CompareFigures figures = new CompareFigures(tmp, rows, runDirs);
            figures.page(c.markdown(rows), figures.draw(mechanism), commandLine());
            double drawSeconds = (System.nanoTime() - drawing) / 1e9;
            OutputFolder.mark(tmp, "compare");
            try {
                RunFolder.moveIntoPlace(tmp, target);
            } catch (IOException e) {
                throw OutputFolder.cannotWrite(target, e);
            }
            PrintWriter o = spec.commandLine().getOut();
            o.print(c.table(rows));
            o.printf(Locale.ROOT, "results: %s (%d runs, %.1f s wall, %d threads; figures and compare.html %.1f s)%n",
                    out, runs, (System.nanoTime() - start) / 1e9, threads, drawSeconds);
            o.flush();
            return 0;
        } finally {
            deleteQuietly(tmp);
        }
    }

    /** The command line as typed ("protsim compare ..."), each argument quoted for a POSIX shell where it needs it. */
    private String commandLine() {
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        StringBuilder sb = new StringBuilder("protsim");
        if (!args.contains(spec.name())) {
            sb.append(' ').append(spec.name()); // picocli handed this command only its own arguments
        }
        for (String a : args) {
            sb.append(' ').append(a.matches("[A-Za-z0-9_./=,:+@%-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return sb.toString();
    }

    private static Path temporarySibling(Path target) {
        try {
            Files.createDirectories(target.getParent());
            return OutputFolder.newDirectory(target.getParent(), "." + target.getFileName() + ".tmp-", "");
        } catch (IOException e) {
            throw OutputFolder.cannotWrite(target, e);
        }
    }

    static void deleteQuietly(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (var walk = Files.walk(p)) {
            for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        } catch (IOException e) {
            // a leftover temporary folder is harmless: it is hidden and never read
        }
    }
}
