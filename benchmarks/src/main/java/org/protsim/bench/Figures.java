package org.protsim.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.math3.stat.regression.SimpleRegression;
import org.openjdk.jmh.profile.GCProfiler;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
                    + "Measures simulation speed (JMH: every throughput as a ratio against the limit loop of the same\n"
                    + "run, with its range over iterations, and allocation per reference), fork scaling, memory per page\n"
                    + "and frame, and the wall time of compare, and prints them as a table. Takes about 15 minutes\n"
                    + "(--quick: about 5).");
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

    /**
     * The issue-17 figures from one JMH run: every throughput as a ratio against the limit loop of
     * the same run (the machine's clock drifts by about 2x from hour to hour, so only ratios within a
     * run compare), on the same trace where there is one. A ratio is the ratio of medians; its range
     * is every iteration's score over the limit's median. Allocation per reference comes from JMH's
     * GC profiler in the same run.
     */
    private void throughput() throws RunnerException {
        int iterations = quick ? 3 : 5;
        TimeValue time = TimeValue.seconds(quick ? 2 : 5);
        Options o = new OptionsBuilder()
                .include(TraceLimitBenchmark.class.getName())
                .include(SyntheticRefsBenchmark.class.getName())
                .include(LackeyReplayBenchmark.class.getName())
                .include(RandomTraceBenchmark.class.getName())
                .include(MechanismRefsBenchmark.class.getName())
                .addProfiler(GCProfiler.class)
                .warmupIterations(quick ? 1 : 2).warmupTime(time)
                .measurementIterations(iterations).measurementTime(time)
                .forks(1).verbosity(VerboseMode.SILENT).build();
        Map<String, double[]> scores = new LinkedHashMap<>();
        Map<String, Double> bytesPerRef = new LinkedHashMap<>();
        for (RunResult r : new Runner(o).run()) {
            String name = r.getParams().getBenchmark();
            String key = name.substring(name.lastIndexOf('.', name.lastIndexOf('.') - 1) + 1);
            String workload = r.getParams().getParam("workload");
            if (workload != null) {
                key += ":" + workload;
            }
            // a whole-run benchmark's operation is one reference; a steady-state one's is an advance,
            // its references counted in the "references" secondary result
            boolean advance = name.endsWith(".advance");
            for (BenchmarkResult b : r.getBenchmarkResults()) {
                scores.put(key, b.getIterationResults().stream().mapToDouble(it -> refsPerSecond(it, advance))
                        .sorted().toArray());
                Result<?> norm = b.getSecondaryResults().get("gc.alloc.rate.norm");
                if (norm != null) {
                    double perOp = norm.getScore();
                    double refsPerOp = advance ? median(scores.get(key)) / b.getPrimaryResult().getScore() : 1;
                    bytesPerRef.put(key, perOp / refsPerOp);
                }
            }
        }
        double[] limit = scores.get("TraceLimitBenchmark.parseAndLookUp");
        double[] randomLimit = scores.get("RandomTraceBenchmark.limit");
        if (limit == null || randomLimit == null || !scores.containsKey("SyntheticRefsBenchmark.advance")) {
            throw new IllegalStateException("JMH returned no result for a benchmark the figures need: " + scores.keySet());
        }
        row("limit loop: gunzip + parse + one LRU TLB array, ls trace", rate(limit), "-",
                "the yardstick of every ratio below");
        ratio("synthetic: shared-libc under pcid, every TLB, walker and cache", "SyntheticRefsBenchmark.advance",
                scores, limit, 1.0, "steady state, 2 CPUs on 1 thread; parses nothing");
        ratio("real trace (ls) replay from gzip, bare", "LackeyReplayBenchmark.bareLs", scores, limit, 0.8,
                "4.67 M refs, parse included");
        ratio("real trace (ls) replay from gzip, under the kernel", "LackeyReplayBenchmark.kernelLs", scores, limit,
                0.8, "conventional model");
        row("limit loop on the random-reference trace", rate(randomLimit), "-",
                String.format(Locale.ROOT, "%,d uniformly random refs over 1 GiB, seed %d", RandomTraceBenchmark.REFERENCES,
                        RandomTraceBenchmark.SEED));
        ratio("random-reference trace replay, bare", "RandomTraceBenchmark.bare", scores, randomLimit, 0.5,
                "against the limit loop on the same trace");
        ratio("random-reference trace replay, under the kernel", "RandomTraceBenchmark.kernel", scores, randomLimit,
                0.5, "conventional model, demand-zero faults");
        for (Map.Entry<String, Double> e : bytesPerRef.entrySet()) {
            String k = e.getKey();
            boolean steady = k.endsWith(".advance") || k.contains(".advance:");
            row("allocation per reference, " + k, String.format(Locale.ROOT, "%.4f bytes", e.getValue()),
                    steady ? "0 (hot path)" : "-", steady ? (k.startsWith("Mechanism")
                            ? "steady state, ukva per-mm, dma " + (k.contains("owned-pages") ? "owned-pages" : "iommu-strict")
                            + ", pat memtype-tree, interval core" : "steady state")
                            : "whole run: config, machine and trace reader included");
        }
    }

    private void ratio(String figure, String key, Map<String, double[]> scores, double[] limit, double target,
                       String note) {
        double[] s = scores.get(key);
        double l = median(limit);
        double r = median(s) / l;
        row(figure, String.format(Locale.ROOT, "%.2fx (%.2f..%.2f); %s", r, s[0] / l, s[s.length - 1] / l, rate(s)),
                String.format(Locale.ROOT, ">= %.1fx: %s", target, r >= target ? "met" : "**not met**"), note);
    }

    private static String rate(double[] sorted) {
        return String.format(Locale.ROOT, "%.2f M refs/s (%.2f..%.2f)", median(sorted) / 1e6, sorted[0] / 1e6,
                sorted[sorted.length - 1] / 1e6);
    }

    private static double refsPerSecond(IterationResult it, boolean advance) {
        if (!advance) {
            return it.getPrimaryResult().getScore();
        }
        return it.getSecondaryResults().get("references").getScore();
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
