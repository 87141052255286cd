package org.protsim.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.math3.stat.regression.SimpleRegression;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.protsim.core.Simulation;
import org.protsim.core.config.RunConfig;
import org.protsim.core.stats.Summary;
import org.protsim.hw.Cpu;
import org.protsim.hw.PhysicalMemory;
import org.protsim.os.Image;
import org.protsim.os.Kernel;
import org.protsim.os.Op;
import org.protsim.os.RefBuffer;
import org.protsim.os.TaskProgram;
import org.protsim.orchestration.Comparison;
import org.protsim.workloads.RunContext;
import org.protsim.workloads.Workloads;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./protsim bench}: every performance figure of protsim in one table. The per-reference
 * throughputs come from JMH (medians over measurement iterations, with their range); fork
 * scaling, memory and parallel speed-up from whole runs. {@code --quick} shortens every
 * measurement (for a smoke test; the figures are then rougher).
 */
public final class Figures {
    private final boolean quick;
    private final List<String[]> rows = new ArrayList<>();

    private Figures(boolean quick) {
        this.quick = quick;
    }

    public static void main(String[] args) throws Exception {
        if (Arrays.asList(args).contains("--help")) {
            System.out.println("usage: protsim bench [--quick] [--only jmh|forks|memory|parallel]\n"
                    + "Measures simulation speed (JMH), fork scaling, memory per page and frame, and the parallel\n"
                    + "speed-up of compare, and prints them as a table. Takes about 10 minutes (--quick: about 3).");
            return;
        }
        boolean quick = Arrays.asList(args).contains("--quick");
        int only = Arrays.asList(args).indexOf("--only");
        String part = only >= 0 && only + 1 < args.length ? args[only + 1] : "all";
        Figures f = new Figures(quick);
        System.out.printf(Locale.ROOT, "protsim bench on %s, %d cores, Java %s, max heap %d MiB%n",
                System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20);
        if (part.equals("all") || part.equals("jmh")) {
            f.throughput();
        }
        if (part.equals("all") || part.equals("forks")) {
            f.forks();
        }
        if (part.equals("all") || part.equals("memory")) {
            f.memory();
        }
        if (part.equals("all") || part.equals("parallel")) {
            f.parallel();
        }
        f.print();
    }

    private void row(String figure, String value, String target, String note) {
        rows.add(new String[]{figure, value, target, note});
        System.out.printf(Locale.ROOT, "  %-46s %s%n", figure, value);
    }

    private void print() {
        System.out.println();
        System.out.println("| figure | measured | target | note |");
        System.out.println("|---|---|---|---|");
        for (String[] r : rows) {
            System.out.println("| " + String.join(" | ", r) + " |");
        }
    }

    // ------------------------------------------------------------------ JMH throughputs

    private void throughput() throws RunnerException {
        int iterations = quick ? 3 : 5;
        TimeValue time = TimeValue.seconds(quick ? 2 : 5);
        Options o = new OptionsBuilder()
                .include(SyntheticRefsBenchmark.class.getName())
                .include(LackeyReplayBenchmark.class.getName())
                .include(TraceLimitBenchmark.class.getName())
                .warmupIterations(2).warmupTime(time)
                .measurementIterations(iterations).measurementTime(time)
                .forks(1).verbosity(VerboseMode.SILENT).build();
        Collection<RunResult> results = new Runner(o).run();
        double synthetic = 0;
        double bare = 0;
        double kernel = 0;
        double limit = 0;
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            for (BenchmarkResult b : r.getBenchmarkResults()) {
                boolean aux = name.endsWith("advance");
                double[] scores = b.getIterationResults().stream().mapToDouble(it -> score(it, aux)).sorted().toArray();
                String v = String.format(Locale.ROOT, "%.2f M refs/s (%.2f..%.2f)", median(scores) / 1e6,
                        scores[0] / 1e6, scores[scores.length - 1] / 1e6);
                if (name.endsWith("advance")) {
                    synthetic = median(scores);
                    row("synthetic references (shared-libc, pcid)", v, ">= 20 M refs/s", "steady state, 2 CPUs on 1 thread");
                } else if (name.endsWith("bareLs")) {
                    bare = median(scores);
                    row("lackey replay from gzip, bare", v, ">= 8 M refs/s", "ls /usr/bin, 4.67 M refs, parse included");
                } else if (name.endsWith("kernelLs")) {
                    kernel = median(scores);
                    row("lackey replay from gzip, under the kernel", v, ">= 8 M refs/s", "conventional model");
                } else if (name.endsWith("parseAndLookUp")) {
                    limit = median(scores);
                    row("limit: gunzip + parse + one LRU TLB array", v, "-", "the physical limit of a replay");
                }
            }
        }
        if (limit > 0) {
            row("full bare replay / limit", String.format(Locale.ROOT, "%.2f", bare / limit), ">= 0.5", "same JMH run");
            row("full kernel replay / limit", String.format(Locale.ROOT, "%.2f", kernel / limit), ">= 0.5",
                    "same JMH run");
        }
        if (synthetic == 0) {
            throw new IllegalStateException("no synthetic result");
        }
    }

    private static double score(IterationResult it, boolean aux) {
        if (!aux) {
            return it.getPrimaryResult().getScore();
        }
        Result<?> r = it.getSecondaryResults().get("references");
        return r.getScore();
    }

    static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    // ------------------------------------------------------------------ fork scaling

    /**
     * One parent with {@code pages} resident pages forks {@code forks} children that exit at once:
     * the simulator's wall time per fork (page-table copy at fork, teardown at exit, and the
     * parent's copy-on-write protection) less a run without forks, against resident pages.
     */
    private void forks() throws Exception {
        int[] sizes = {512, 2048, 8192, 32768};
        int reps = quick ? 3 : 5;
        for (String model : List.of("conventional", "sasos")) {
            SimpleRegression fit = new SimpleRegression();
            double[] perFork = new double[sizes.length];
            double[] cycles = new double[sizes.length];
            for (int i = 0; i < sizes.length; i++) {
                // about a million page-table entries copied per measurement, whatever the size
                int forks = Math.max(16, (quick ? 1 << 18 : 1 << 20) / sizes[i]);
                forkRun(model, sizes[i], forks); // warm-up
                double[] with = new double[reps];
                double[] without = new double[reps];
                for (int r = 0; r < reps; r++) {
                    without[r] = forkRun(model, sizes[i], 0)[0];
                    double[] w = forkRun(model, sizes[i], forks);
                    with[r] = w[0];
                    cycles[i] = w[1];
                }
                Arrays.sort(with);
                Arrays.sort(without);
                perFork[i] = Math.max(0, median(with) - median(without)) / forks;
                fit.addData(sizes[i], perFork[i] * 1e6);
                row(String.format(Locale.ROOT, "fork storm %s, %d resident pages", model, sizes[i]),
                        String.format(Locale.ROOT, "%.0f forks/s (%.1f us/fork; simulated fork %,.0f cycles)",
                                1 / perFork[i], perFork[i] * 1e6, cycles[i]),
                        "-", forks + " forks, median of " + reps + ", spread " + String.format(Locale.ROOT, "%.0f%%",
                                100 * (with[reps - 1] - with[0]) / median(with)));
            }
            StringBuilder residuals = new StringBuilder();
            for (int i = 0; i < sizes.length; i++) {
                double predicted = fit.predict(sizes[i]);
                double observed = perFork[i] * 1e6;
                residuals.append(String.format(Locale.ROOT, "%s%d: %+.0f us (%+.0f%% of measured)", i == 0 ? "" : ", ",
                        sizes[i], observed - predicted, 100 * (observed - predicted) / observed));
            }
            row("fork cost fit, " + model, String.format(Locale.ROOT, "%.3f us/page + %.1f us (R^2 %.4f)",
                    fit.getSlope(), fit.getIntercept(), fit.getRSquare()), "linear", "residuals " + residuals);
        }
    }

    /** Returns {wall seconds, mean simulated fork latency in cycles}. */
    private static double[] forkRun(String model, int pages, int forks) throws Exception {
        RunConfig c = Workloads.loader().fromTree(new ObjectMapper().readTree(String.format(Locale.ROOT,
                "{\"machine\": {\"memory\": {\"sizeMiB\": 262144}}, \"workload\": {\"type\": \"fork-storm\", "
                        + "\"parents\": 1, \"residentPages\": %d, \"forks\": %d, \"execFraction\": 0.0, "
                        + "\"childRefs\": 0, \"imagePages\": 16, \"parentRefsPerFork\": 0}}", pages, forks)),
                List.of("model.name=" + model));
        long t = System.nanoTime();
        Summary s = org.protsim.orchestration.Runner.run(c).summary();
        double wall = (System.nanoTime() - t) / 1e9;
        return new double[]{wall, s.histograms().get("fork.latency").mean()};
    }

    // ------------------------------------------------------------------ memory

    /**
     * 10,000 live processes, each with 2,048 resident pages, under conventional: the simulator's
     * page-table state per page-table entry and per mapped page, and frame metadata per frame.
     */
    private void memory() throws Exception {
        int processes = quick ? 1000 : 10_000;
        int pages = 2048;
        System.gc();
        long before = heapUsed();
        RunConfig c = Workloads.loader().fromTree(new ObjectMapper().readTree(
                "{\"machine\": {\"memory\": {\"sizeMiB\": 262144}}, \"workload\": {\"type\": \"timer\"}}"), List.of());
        Simulation sim = new Simulation(1);
        RunContext run = new RunContext(c, sim);
        Kernel kernel = run.kernel();
        Image image = kernel.newImage("resident", 1, pages, 1);
        int[] resident = {0};
        long t = System.nanoTime();
        for (int p = 0; p < processes; p++) {
            kernel.spawn(image, new TaskProgram() {
                private int touched;

                @Override
                public Op next(RefBuffer b) {
                    b.clear();
                    if (touched < pages) {
                        while (!b.isFull() && touched < pages) {
                            b.add(image.dataBase() + touched++ * 4096L, 8, Cpu.WRITE);
                        }
                        return Op.REFS;
                    }
                    if (touched++ == pages && ++resident[0] == processes) {
                        sim.stop("all resident");
                    }
                    return new Op.Yield();
                }
            });
        }
        sim.run(Long.MAX_VALUE);
        double seconds = (System.nanoTime() - t) / 1e9;
        PhysicalMemory mem = run.machine().memory();
        long mapped = 0;
        for (org.protsim.os.Process p : kernel.processes()) {
            mapped += p.mm().residentPages();
        }
        System.gc();
        long heap = heapUsed() - before;
        long tableFrames = mem.tableFramesInUse();
        row(String.format(Locale.ROOT, "memory: %,d processes x %,d resident pages", processes, pages),
                String.format(Locale.ROOT, "%,d pages mapped, %,d page-table frames", mapped, tableFrames), "-",
                String.format(Locale.ROOT, "built in %.0f s", seconds));
        row("page-table state per page-table entry", String.format(Locale.ROOT, "%.2f bytes",
                (double) mem.tableBytes() / (tableFrames * PhysicalMemory.ENTRIES_PER_TABLE)), "<= 12 bytes (1.5 x 8)",
                "512-entry long arrays");
        row("page-table state per mapped page", String.format(Locale.ROOT, "%.2f bytes",
                (double) mem.tableBytes() / mapped), "-", "upper levels included");
        row("frame metadata per frame", String.format(Locale.ROOT, "%.2f bytes",
                (double) mem.metadataBytes() / mem.framesTouched()), "<= 16 bytes",
                String.format(Locale.ROOT, "%,d frames", mem.framesTouched()));
        row("whole heap per process", String.format(Locale.ROOT, "%,.0f bytes", (double) heap / processes), "-",
                String.format(Locale.ROOT, "%,d MiB in all", heap >> 20));
    }

    private static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    // ------------------------------------------------------------------ parallel

    private void parallel() {
        int cores = Runtime.getRuntime().availableProcessors();
        Comparison c = new Comparison(Comparison.DEFAULT_WORKLOADS, Comparison.ALL_MODELS, List.of());
        double warm = time(c, cores);
        double one = time(c, 1);
        double all = time(c, cores);
        int runs = c.runCount();
        row(String.format(Locale.ROOT, "compare (%d runs), 1 thread", runs), String.format(Locale.ROOT, "%.1f s", one),
                "-", "");
        row(String.format(Locale.ROOT, "compare (%d runs), %d threads", runs, cores), String.format(Locale.ROOT,
                "%.1f s (%.2fx)", all, one / all), "uses every core", String.format(Locale.ROOT,
                "first (cold JIT) run %.1f s", warm));
    }

    private static double time(Comparison c, int threads) {
        long t = System.nanoTime();
        c.run(threads, null, p -> { });
        return (System.nanoTime() - t) / 1e9;
    }
}
