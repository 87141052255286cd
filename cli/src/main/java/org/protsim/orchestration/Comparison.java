package org.protsim.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.protsim.core.InputError;
import org.protsim.core.config.ConfigLoader;
import org.protsim.core.config.ModelName;
import org.protsim.core.config.RunConfig;
import org.protsim.core.results.RunFolder;
import org.protsim.core.stats.HistogramSummary;
import org.protsim.core.stats.Summary;
import org.protsim.workloads.Plugins;
import org.protsim.workloads.Workloads;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Every model on every workload of a set, side by side: the engine behind {@code protsim
 * compare}. Runs are independent simulations, run in parallel; their results (and so every
 * file written) do not depend on how many threads ran them or in which order they finished.
 */
public final class Comparison {
    /** The default set: each a config shipped in src/main/resources/compare/. */
    public static final List<String> DEFAULT_WORKLOADS =
            List.of("fork-spawn", "fork-prefork", "shared-libc", "vas-switch", "strace-build", "driver-dma",
                    "proxy-share", "aio", "fio-libaio-thread", "fio-io_uring-thread");
    public static final List<String> ALL_MODELS =
            Arrays.stream(ModelName.values()).map(ModelName::json).toList();

    /** One run to make. */
    public record Plan(String workload, String model, RunConfig config, String configJson) {
        public String id() {
            return workload + "-" + model;
        }
    }

    /** What the comparison reports for one (workload, model). */
    public record Row(String workload, String model, double tlbMissesPerKiloRef, long flushes, long shootdowns,
                      long totalCycles, double cyclesRelative, long forkP99Cycles, long forks, long references,
                      long simulatedCycles) {
    }

    private final List<String> workloads;
    private final List<String> models;
    private final String baseline;
    private final List<Plan> plans = new ArrayList<>();
    /** Runs made for a table of their own (proxy-share's and the aio workloads' modes), not rows of the model tables. */
    private final List<Plan> extra = new ArrayList<>();
    /** Every run's summary by id, once {@link #run} has run. */
    private Map<String, Summary> summaries = Map.of();
    private final DmaTables dmaTables; // the mechanism tables, when driver-dma is compared
    private final Plugins plugins;
    private final ConfigLoader loader;

    /**
     * Plans every (workload, model); every config is loaded and validated here, before any run.
     *
     * @param workloads names from {@link #DEFAULT_WORKLOADS} or paths of config files
     * @param overrides {@code path=value} applied to every run after the model is set
     */
    public Comparison(List<String> workloads, List<String> models, List<String> overrides) {
        this(workloads, models, overrides, null);
    }

    /**
     * As {@link #Comparison(List, List, List)}, with cycles reported relative to model
     * {@code baseline}, which must be among {@code models}; null: conventional if it is run,
     * else the first model (every output names the baseline used).
     */
    public Comparison(List<String> workloads, List<String> models, List<String> overrides, String baseline) {
        this(workloads, models, overrides, baseline, Plugins.builtin());
    }

    /**
     * As {@link #Comparison(List, List, List, String)}, with the models and workload types of
     * {@code plugins} (protsim's own and those of plugin jars).
     */
    public Comparison(List<String> workloads, List<String> models, List<String> overrides, String baseline,
                      Plugins plugins) {
        this.plugins = plugins;
        this.loader = plugins.loader();
        this.workloads = List.copyOf(workloads);
        this.models = List.copyOf(models);
        if (workloads.isEmpty()) {
            throw new InputError("--workloads: no workload given");
        }
        for (String m : models) {
            if (loader.modelTypes().defaults(m) == null) {
                throw new InputError("--models: \"" + m + "\" is not one of "
                        + String.join(", ", loader.modelTypes().all().keySet()));
            }
            if (models.indexOf(m) != models.lastIndexOf(m)) {
                throw new InputError("--models: " + m + " is given twice: name each model once");
            }
        }
        if (models.isEmpty()) {
            throw new InputError("--models: no model given");
        }
        if (baseline == null) {
            this.baseline = models.contains("conventional") ? "conventional" : models.get(0);
        } else if (!models.contains(baseline)) {
            throw new InputError("--baseline " + baseline + ": not among the models run (" + String.join(", ", models)
                    + "): add it to --models or choose one of those");
        } else {
            this.baseline = baseline;
        }
        Map<String, String> named = new LinkedHashMap<>();
        for (String w : workloads) {
            String earlier = named.putIfAbsent(name(w), w);
            if (earlier != null) {
                throw new InputError("--workloads: " + (earlier.equals(w) ? w + " is given twice"
                        : earlier + " and " + w + " are both named " + name(w))
                        + ": runs and rows are named after the workload, so each needs its own name (rename the file)");
            }
        }
        for (String w : workloads) {
            JsonNode tree = workloadTree(w);
            for (String m : models) {
                List<String> sets = new ArrayList<>();
                sets.add("model.name=" + m);
                sets.addAll(overrides);
                RunConfig rc;
                try {
                    rc = loader.fromTree(tree, sets);
                } catch (InputError e) {
                    throw new InputError("workload " + name(w) + ", model " + m + ": " + e.getMessage());
                }
                plans.add(new Plan(name(w), m, rc, loader.toJson(rc)));
            }
            if (name(w).equals(ProxyModesTable.WORKLOAD)) {
                extra.addAll(ProxyModesTable.plans(tree, models, overrides, loader));
            }
            if (UkvaModesTable.WORKLOADS.contains(name(w))) {
                extra.addAll(UkvaModesTable.plans(name(w), tree, models, overrides, loader));
            }
        }
        this.dmaTables = workloads.contains(DmaTables.WORKLOAD) ? new DmaTables(overrides) : null;
    }

    /** compare-dma.csv after {@link #run} (empty without driver-dma). */
    String dmaCsv() {
        return dmaTables == null ? "" : dmaTables.csv();
    }

    /** How many runs {@link #run} makes: the plans, and the mechanism tables' runs. */
    public int runCount() {
        return plans().size() + (dmaTables == null ? 0 : dmaTables.plans().size());
    }

    /** How many runs one further replication makes: the model rows' and the mode tables' (driver-dma's tables run once). */
    public int replicationRunCount() {
        return plans.size() + extra.size();
    }

    /** A replication: the rows' and the mode tables' plans (driver-dma's tables are run once, by replication 0). */
    private Comparison(String baseline, List<String> workloads, List<String> models, List<Plan> plans,
                       List<Plan> extra, Plugins plugins) {
        this.workloads = workloads;
        this.models = models;
        this.baseline = baseline;
        this.plans.addAll(plans);
        this.extra.addAll(extra);
        this.dmaTables = null;
        this.plugins = plugins;
        this.loader = plugins.loader();
    }

    /**
     * The same plans (the rows' and the proxy and kernel.ukva mode tables') as replication
     * {@code r}: each run's seed replaced by
     * {@link org.protsim.core.RandomStreams#replicationSeed} of its config's seed, as sweeps derive
     * them (replication 0 is the plans themselves).
     */
    public Comparison replication(int r) {
        return new Comparison(baseline, workloads, models, reseeded(plans, r), reseeded(extra, r), plugins);
    }

    private List<Plan> reseeded(List<Plan> from, int r) {
        List<Plan> rs = new ArrayList<>();
        for (Plan p : from) {
            RunConfig c = p.config();
            RunConfig rc = new RunConfig(org.protsim.core.RandomStreams.replicationSeed(c.seed(), r), c.machine(),
                    c.model(), c.kernel(), c.workload(), c.limits());
            rs.add(new Plan(p.workload(), p.model(), rc, loader.toJson(rc)));
        }
        return rs;
    }

    /** "fork-spawn" for a built-in, the file's name without .json for a path. */
    static String name(String workload) {
        if (DEFAULT_WORKLOADS.contains(workload)) {
            return workload;
        }
        return Path.of(workload).getFileName().toString().replaceFirst("(\\.json)?(\\.gz)?$", "");
    }

    private static JsonNode workloadTree(String w) {
        if (DEFAULT_WORKLOADS.contains(w)) {
            try (InputStream in = Comparison.class.getResourceAsStream("/compare/" + w + ".json")) {
                return new ObjectMapper().readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (!w.endsWith(".json") && !w.endsWith(".json.gz")) {
            throw new InputError("--workloads: \"" + w + "\" is neither one of " + String.join(", ", DEFAULT_WORKLOADS)
                    + " nor a config file (.json)");
        }
        return ConfigLoader.readTree(Path.of(w));
    }

    /** Every run to make: a row's for each (workload, model), then those of the extra tables. */
    public List<Plan> plans() {
        List<Plan> all = new ArrayList<>(plans);
        all.addAll(extra);
        return all;
    }

    /**
     * Runs every plan on {@code threads} threads, writing each run's folder under
     * {@code runsDir}; {@code done} hears of each finished run. Returns the rows in plan order.
     */
    public List<Row> run(int threads, Path runsDir, Consumer<Plan> done) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        try {
            List<Future<Summary>> futures = new ArrayList<>();
            List<Plan> all = plans();
            for (Plan p : all) {
                futures.add(pool.submit(() -> {
                    RunResult r = Runner.run(p.config(), plugins);
                    if (runsDir != null) {
                        RunFolder.write(runsDir.resolve(p.id()), p.configJson(), r.summary(), r.histograms(),
                                r.simulatedSeconds());
                    }
                    done.accept(p);
                    return r.summary();
                }));
            }
            List<Future<Summary>> dma = dmaTables == null ? List.of() : dmaTables.submit(pool, runsDir, done);
            Map<String, Summary> byId = new LinkedHashMap<>();
            for (int i = 0; i < all.size(); i++) {
                byId.put(all.get(i).id(), get(futures.get(i), all.get(i)));
            }
            if (dmaTables != null) {
                List<Summary> d = new ArrayList<>();
                for (int i = 0; i < dma.size(); i++) {
                    d.add(get(dma.get(i), dmaTables.plans().get(i)));
                }
                dmaTables.collected(d);
            }
            summaries = byId;
            return rows(byId);
        } finally {
            pool.shutdownNow();
        }
    }

    private static Summary get(Future<Summary> f, Plan p) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof InputError ie) {
                throw new InputError("workload " + p.workload() + ", model " + p.model() + ": " + ie.getMessage());
            }
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private List<Row> rows(Map<String, Summary> summaries) {
        List<Row> rows = new ArrayList<>();
        for (Plan p : plans) {
            Summary s = summaries.get(p.id());
            Summary base = summaries.get(p.workload() + "-" + baseline);
            long total = totalCycles(s);
            long baseTotal = totalCycles(base);
            HistogramSummary fork = s.histograms().get("fork.latency");
            long forks = s.counters().getOrDefault("forks", 0L);
            rows.add(new Row(p.workload(), p.model(), s.derived("tlbMissesPerKiloRef"), flushes(s),
                    s.counters().getOrDefault("shootdowns", 0L), total,
                    baseTotal == 0 ? Double.NaN : (double) total / baseTotal,
                    fork == null || fork.count() == 0 ? -1 : fork.p99(), forks, s.counters().getOrDefault("references", 0L),
                    s.counter("simulatedCycles")));
        }
        return rows;
    }

    static long totalCycles(Summary s) {
        return s.cycles().values().stream().mapToLong(Long::longValue).sum();
    }

    static long flushes(Summary s) {
        long n = 0;
        for (String k : List.of("flush.all", "flush.nonglobal", "flush.asid", "flush.page", "flush.shared")) {
            n += s.counters().getOrDefault(k, 0L);
        }
        return n;
    }

    // ---------------------------------------------------------------- reports

    private record Metric(String title, java.util.function.Function<Row, String> value) {
    }

    /** The model cycles are reported relative to. */
    public String baseline() {
        return baseline;
    }

    /** "cyclesRelativeToConventional", "cyclesRelativeToSharedAsid": the CSV column and JSON key naming the baseline. */
    public String relativeKey() {
        StringBuilder sb = new StringBuilder("cyclesRelativeTo");
        for (String part : baseline.split("-")) {
            sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return sb.toString();
    }

    private List<Metric> metrics() {
        return List.of(
                new Metric("TLB misses per 1,000 references", r -> fmt(r.tlbMissesPerKiloRef(), 2)),
                new Metric("TLB flushes", r -> String.format(Locale.ROOT, "%,d", r.flushes())),
                new Metric("TLB shootdowns", r -> String.format(Locale.ROOT, "%,d", r.shootdowns())),
                new Metric("total CPU cycles relative to " + baseline, r -> fmt(r.cyclesRelative(), 3)),
                new Metric("p99 fork latency (cycles)", r -> r.forkP99Cycles() < 0 ? "-"
                        : String.format(Locale.ROOT, "%,d", r.forkP99Cycles())));
    }

    private static String fmt(double v, int digits) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    private Map<String, Row> byKey(List<Row> rows) {
        Map<String, Row> m = new LinkedHashMap<>();
        rows.forEach(r -> m.put(r.workload() + "/" + r.model(), r));
        return m;
    }

    private List<String> workloadNames() {
        return workloads.stream().map(Comparison::name).distinct().toList();
    }

    /** Plain-text tables, one per metric: rows are workloads, columns models. */
    public String table(List<Row> rows) {
        Map<String, Row> m = byKey(rows);
        StringBuilder sb = new StringBuilder();
        int w = Math.max(14, workloadNames().stream().mapToInt(String::length).max().orElse(8) + 2);
        for (Metric metric : metrics()) {
            sb.append(metric.title()).append('\n');
            sb.append(String.format(Locale.ROOT, "  %-" + w + "s", "workload"));
            for (String model : models) {
                sb.append(String.format(Locale.ROOT, "%15s", model));
            }
            sb.append('\n');
            for (String wl : workloadNames()) {
                sb.append(String.format(Locale.ROOT, "  %-" + w + "s", wl));
                for (String model : models) {
                    sb.append(String.format(Locale.ROOT, "%15s", metric.value().apply(m.get(wl + "/" + model))));
                }
                sb.append('\n');
            }
            sb.append('\n');
        }
        if (dmaTables != null) {
            sb.append(dmaTables.text());
        }
        return sb.append(ProxyModesTable.text(summaries, models))
                .append(UkvaModesTable.text(summaries, workloadNames(), models)).toString();
    }

    public String markdown(List<Row> rows) {
        Map<String, Row> m = byKey(rows);
        StringBuilder sb = new StringBuilder("# protsim compare\n\n");
        sb.append("Models: ").append(String.join(", ", models)).append(". Workloads: ")
                .append(String.join(", ", workloadNames())).append(". Each run's folder is under `runs/`.\n");
        for (Metric metric : metrics()) {
            sb.append("\n## ").append(metric.title()).append("\n\n| workload |");
            models.forEach(x -> sb.append(' ').append(x).append(" |"));
            sb.append("\n|---|").append("---:|".repeat(models.size())).append('\n');
            for (String wl : workloadNames()) {
                sb.append("| ").append(wl).append(" |");
                for (String model : models) {
                    sb.append(' ').append(metric.value().apply(m.get(wl + "/" + model))).append(" |");
                }
                sb.append('\n');
            }
        }
        if (dmaTables != null) {
            sb.append(dmaTables.markdown());
        }
        return sb.append(ProxyModesTable.markdown(summaries, models))
                .append(UkvaModesTable.markdown(summaries, workloadNames(), models)).toString();
    }

    /**
     * The mechanism tables as figures, in compare.md's order (driver-dma's, proxy-share's modes,
     * the kernel.ukva modes), once {@link #run} has run; each names the table it belongs to.
     */
    public List<BarFigure> mechanismFigures() {
        List<BarFigure> all = new ArrayList<>();
        if (dmaTables != null) {
            all.addAll(dmaTables.figures());
        }
        all.addAll(ProxyModesTable.figures(summaries, models));
        all.addAll(UkvaModesTable.figures(summaries, workloadNames(), models));
        return all;
    }

    public String csv(List<Row> rows) {
        StringBuilder sb = new StringBuilder("workload,model,tlbMissesPerKiloRef,flushes,shootdowns,totalCycles,"
                + relativeKey() + ",forkP99Cycles,forks,references,simulatedCycles\n");
        for (Row r : rows) {
            sb.append(r.workload()).append(',').append(r.model()).append(',')
                    .append(Double.isNaN(r.tlbMissesPerKiloRef()) ? "" : r.tlbMissesPerKiloRef()).append(',')
                    .append(r.flushes()).append(',').append(r.shootdowns()).append(',').append(r.totalCycles()).append(',')
                    .append(Double.isNaN(r.cyclesRelative()) ? "" : r.cyclesRelative()).append(',')
                    .append(r.forkP99Cycles() < 0 ? "" : r.forkP99Cycles()).append(',').append(r.forks()).append(',')
                    .append(r.references()).append(',').append(r.simulatedCycles()).append('\n');
        }
        return sb.toString();
    }

    public String json(List<Row> rows) {
        ObjectMapper mapper = ConfigLoader.strictMapper();
        ObjectNode root = mapper.createObjectNode();
        ArrayNode ms = root.putArray("models");
        models.forEach(ms::add);
        ArrayNode ws = root.putArray("workloads");
        workloadNames().forEach(ws::add);
        ArrayNode rs = root.putArray("results");
        for (Row r : rows) {
            ObjectNode n = rs.addObject();
            n.put("workload", r.workload());
            n.put("model", r.model());
            putNumber(n, "tlbMissesPerKiloRef", r.tlbMissesPerKiloRef());
            n.put("flushes", r.flushes());
            n.put("shootdowns", r.shootdowns());
            n.put("totalCycles", r.totalCycles());
            putNumber(n, relativeKey(), r.cyclesRelative());
            if (r.forkP99Cycles() < 0) {
                n.putNull("forkP99Cycles");
            } else {
                n.put("forkP99Cycles", r.forkP99Cycles());
            }
            n.put("forks", r.forks());
            n.put("references", r.references());
            n.put("simulatedCycles", r.simulatedCycles());
        }
        try {
            return mapper.writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void putNumber(ObjectNode n, String key, double v) {
        if (Double.isNaN(v)) {
            n.putNull(key);
        } else {
            n.put(key, v);
        }
    }

    /** Writes compare.md, compare.csv and compare.json into {@code dir}. */
    public void writeReports(Path dir, List<Row> rows) {
        RunFolder.writeAtomically(dir.resolve("compare.md"), markdown(rows));
        RunFolder.writeAtomically(dir.resolve("compare.csv"), csv(rows));
        RunFolder.writeAtomically(dir.resolve("compare.json"), json(rows));
        if (dmaTables != null) {
            dmaTables.write(dir);
        }
    }
}
