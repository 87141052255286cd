package org.protsim.orchestration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.protsim.core.InputError;
import org.protsim.core.config.ConfigException;
import org.protsim.core.config.ConfigLoader;
import org.protsim.core.config.RunConfig;
import org.protsim.core.config.WorkloadConfig;
import org.protsim.core.results.OutputFolder;
import org.protsim.core.results.RunFolder;
import org.protsim.core.sweep.SweepSpec;
import org.protsim.workloads.Plugins;
import org.protsim.workloads.LackeyConfig;
import org.protsim.workloads.StraceConfig;
import org.protsim.workloads.Workloads;
import org.protsim.workloads.trace.TraceSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Runs a {@link SweepSpec}: every point's config is built and validated before the first run;
 * each run's results go to {@code DIR/points/<point>/r<replication>/}, written atomically when
 * the run completes, so a sweep killed at any moment resumes where it stopped (finished runs
 * are skipped) with no run lost, duplicated or half-written.
 */
public final class Sweep {
    private final SweepSpec spec;
    private final Plugins plugins;
    private final ConfigLoader loader;
    /** The files the runs read (traces named by a point's config, the baseConfig): what a resume checks. */
    private final SortedSet<Path> inputs = new TreeSet<>();

    /**
     * Validates every point's config before anything runs; the configs are not kept (a run's is
     * built again when it starts), so planning takes memory in proportion to the axis values.
     */
    public Sweep(SweepSpec spec) {
        this(spec, Plugins.builtin());
    }

    /** A sweep whose runs are built from {@code plugins} (protsim's extensions and plugin jars). */
    public Sweep(SweepSpec spec, Plugins plugins) {
        this.spec = spec;
        this.plugins = plugins;
        this.loader = plugins.loader();
        if (spec.baseConfigFile() != null) {
            inputs.add(spec.baseConfigFile());
        }
        for (SweepSpec.Point p : spec.points()) {
            WorkloadConfig w = pointConfig(p).workload();
            String file = w instanceof LackeyConfig l ? l.path() : w instanceof StraceConfig t ? t.path() : null;
            if (file != null && !file.startsWith(TraceSource.BUILTIN)) {
                inputs.add(Path.of(file).toAbsolutePath().normalize());
            }
        }
    }

    private RunConfig pointConfig(SweepSpec.Point p) {
        SweepSpec.Run first = new SweepSpec.Run(0, p, 0);
        try {
            return loader.fromTree(spec.base(), spec.overrides(first, spec.baseSeed()));
        } catch (ConfigException e) {
            throw new InputError(blame(p, e));
        } catch (InputError e) {
            throw new InputError("point " + describe(p) + ": " + e.getMessage());
        }
    }

    /** "axis machine.tlb.l2.entries = 1000: machine.tlb.l2.ways: 12 does not divide entries 1000". */
    private String blame(SweepSpec.Point p, ConfigException e) {
        String path = e.path();
        String best = null;
        for (String axis : p.values().keySet()) {
            if (path.equals(axis) || path.startsWith(axis + ".") || path.startsWith(axis + "[")) {
                best = axis;
            }
        }
        if (best == null) {
            // a record's own check (ways against entries): the axis that set a field of that record
            String record = path.contains(".") ? path.substring(0, path.lastIndexOf('.')) : "";
            for (String axis : p.values().keySet()) {
                if (axis.contains(".") && axis.substring(0, axis.lastIndexOf('.')).equals(record)) {
                    best = axis;
                }
            }
        }
        if (best == null) {
            return "point " + describe(p) + ": " + e.getMessage();
        }
        return "axis " + best + " = " + p.values().get(best) + ": " + e.getMessage();
    }

    static String describe(SweepSpec.Point p) {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, JsonNode> e : p.values().entrySet()) {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append(e.getKey()).append('=').append(e.getValue());
        }
        return sb.append('}').toString();
    }

    public SweepSpec spec() {
        return spec;
    }

    /** The config of run {@code r}: its point's, with the replication's seed. */
    public RunConfig config(SweepSpec.Run r) {
        RunConfig c = pointConfig(r.point());
        long seed = SweepSpec.seed(spec.baseSeed(), r.replication());
        return new RunConfig(seed, c.machine(), c.model(), c.kernel(), c.workload(), c.limits());
    }

    public static Path folder(Path dir, SweepSpec spec, SweepSpec.Run r) {
        return dir.resolve("points").resolve(r.point().id(spec.points().size())).resolve("r" + r.replication());
    }

    public static boolean finished(Path dir, SweepSpec spec, SweepSpec.Run r) {
        return Files.isRegularFile(folder(dir, spec, r).resolve("summary.json"));
    }

    /**
     * Checks that {@code command} may write the sweep folder {@code requested}
     * ({@link OutputFolder#claim}: a new or empty folder, or one protsim wrote), then records the
     * spec in it (spec.json) or checks that the folder holds this very spec. A folder of another
     * sweep is refused, unless it holds no finished run (a sweep that failed before its first
     * run completed): then the new spec takes its place. Returns the folder's absolute path.
     */
    public static Path claim(Path requested, String command, SweepSpec spec) {
        Path dir = OutputFolder.claim(requested, "--out", command, OutputFolder.Mode.ADD, false, "spec.json");
        Path file = dir.resolve("spec.json");
        String canonical = spec.canonicalJson();
        try {
            if (Files.exists(file) && !Files.readString(file).equals(canonical) && holdsAFinishedRun(dir)) {
                throw new InputError(dir + " holds another sweep (its spec.json differs): choose another --out");
            }
            if (!Files.exists(file) || !Files.readString(file).equals(canonical)) {
                RunFolder.writeAtomically(file, canonical);
            }
        } catch (IOException e) {
            throw new InputError(file + ": cannot read: " + OutputFolder.reason(e));
        }
        OutputFolder.markIfAbsent(dir, command);
        return dir;
    }

    /**
     * {@link #claim(Path, String, SweepSpec)}, and the record of what the runs read
     * ({@value #INPUTS}: each file's size and SHA-256): a folder whose finished runs read a file
     * that has changed since is refused, naming the file, since resuming would mix runs of the
     * old file with runs of the new one.
     */
    public Path claim(Path requested, String command) {
        Path dir = OutputFolder.claim(requested, "--out", command, OutputFolder.Mode.ADD, false, "spec.json");
        Path record = dir.resolve(INPUTS);
        String now = inputsJson();
        try {
            if (Files.isRegularFile(record) && holdsAFinishedRun(dir)) {
                String changed = firstChange(Files.readString(record));
                if (changed != null) {
                    throw new InputError(dir + ": " + changed + " changed since this sweep's first runs read it: "
                            + "resuming would mix old and new results: restore it or choose another --out");
                }
            }
        } catch (IOException e) {
            throw new InputError(record + ": cannot read: " + OutputFolder.reason(e));
        }
        claim(dir, command, spec);
        try {
            if (!Files.isRegularFile(record) || !Files.readString(record).equals(now)) {
                RunFolder.writeAtomically(record, now);
            }
        } catch (IOException e) {
            throw new InputError(record + ": cannot read: " + OutputFolder.reason(e));
        }
        return dir;
    }

    /** The file recording what the runs of a sweep folder read. */
    public static final String INPUTS = "inputs.json";

    private String inputsJson() {
        ObjectNode root = ConfigLoader.object();
        ArrayNode files = root.putArray("files");
        for (Path f : inputs) {
            ObjectNode n = files.addObject();
            n.put("path", f.toString());
            n.put("bytes", size(f));
            n.put("sha256", sha256(f));
        }
        try {
            return ConfigLoader.strictMapper().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first recorded file whose size or content differs now ("trace /x/ls.lackey (12 bytes, was 10)"), or null. */
    private static String firstChange(String recorded) {
        JsonNode tree;
        try {
            tree = ConfigLoader.strictMapper().readTree(recorded);
        } catch (JsonProcessingException e) {
            return INPUTS + " (unreadable)";
        }
        for (JsonNode n : tree.path("files")) {
            Path f = Path.of(n.path("path").asText());
            if (!Files.isRegularFile(f)) {
                return f + " (now missing)";
            }
            long bytes = size(f);
            if (bytes != n.path("bytes").asLong()) {
                return f + " (" + bytes + " bytes, was " + n.path("bytes").asLong() + ")";
            }
            if (!sha256(f).equals(n.path("sha256").asText())) {
                return f + " (same size, different content)";
            }
        }
        return null;
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            throw new InputError(f + ": cannot read: " + OutputFolder.reason(e));
        }
    }

    private static String sha256(Path f) {
        try (InputStream in = Files.newInputStream(f)) {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (IOException e) {
            throw new InputError(f + ": cannot read: " + OutputFolder.reason(e));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean holdsAFinishedRun(Path dir) throws IOException {
        Path points = dir.resolve("points");
        if (!Files.isDirectory(points)) {
            return false;
        }
        try (Stream<Path> walk = Files.walk(points, 3)) {
            return walk.anyMatch(p -> p.getFileName().toString().equals("summary.json"));
        }
    }

    /** Runs {@code todo} into {@code dir} on {@code threads} threads; {@code done} hears of each. */
    public void run(Path dir, List<SweepSpec.Run> todo, int threads, Consumer<SweepSpec.Run> done) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (SweepSpec.Run r : todo) {
                futures.add(pool.submit(() -> {
                    RunConfig c = config(r);
                    // what a killed earlier attempt at this run left; other runs' files may be mid-write
                    RunFolder.deleteLeftoversOf(folder(dir, spec, r));
                    RunResult result = Runner.run(c, plugins);
                    RunFolder.write(folder(dir, spec, r), loader.toJson(c), result.summary(), result.histograms(),
                            result.simulatedSeconds());
                    done.accept(r);
                    return null;
                }));
            }
            for (int i = 0; i < futures.size(); i++) {
                try {
                    futures.get(i).get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                } catch (ExecutionException e) {
                    SweepSpec.Run r = todo.get(i);
                    if (e.getCause() instanceof InputError ie) {
                        throw new InputError("point " + describe(r.point()) + ", replication " + r.replication() + ": "
                                + ie.getMessage());
                    }
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
