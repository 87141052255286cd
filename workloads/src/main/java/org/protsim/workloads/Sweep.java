package org.protsim.workloads;

import org.protsim.core.InputError;
import org.protsim.core.config.ConfigException;
import org.protsim.core.config.ConfigLoader;
import org.protsim.core.config.RunConfig;
import org.protsim.core.results.RunFolder;
import org.protsim.core.sweep.SweepSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Runs a {@link SweepSpec}: every point's config is built and validated before the first run;
 * each run's results go to {@code DIR/points/<point>/r<replication>/}, written atomically when
 * the run completes, so a sweep killed at any moment resumes where it stopped (finished runs
 * are skipped) with no run lost, duplicated or half-written.
 */
public final class Sweep {
    private final SweepSpec spec;
    private final ConfigLoader loader = Workloads.loader();
    private final List<RunConfig> points = new ArrayList<>();

    public Sweep(SweepSpec spec) {
        this.spec = spec;
        for (SweepSpec.Point p : spec.points()) {
            SweepSpec.Run first = new SweepSpec.Run(0, p, 0);
            try {
                points.add(loader.fromTree(spec.base(), spec.overrides(first, spec.baseSeed())));
            } catch (ConfigException e) {
                throw new InputError(blame(p, e));
            } catch (InputError e) {
                throw new InputError("point " + describe(p) + ": " + e.getMessage());
            }
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
        for (Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> e : p.values().entrySet()) {
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
        RunConfig c = points.get(r.point().index());
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
     * Records the spec in {@code dir} (spec.json), or checks that the folder holds this very
     * spec; a folder of another sweep is refused.
     */
    public static void claim(Path dir, SweepSpec spec) {
        Path file = dir.resolve("spec.json");
        String canonical = spec.canonicalJson();
        try {
            if (Files.exists(file)) {
                if (!Files.readString(file).equals(canonical)) {
                    throw new InputError(dir + " holds another sweep (its spec.json differs): choose another --out");
                }
            } else {
                RunFolder.writeAtomically(file, canonical);
            }
        } catch (java.io.IOException e) {
            throw new InputError(file + ": cannot read: " + e.getMessage());
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
                    RunResult result = Runner.run(c);
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
