package org.protsim.bench;

import org.apache.commons.math3.stat.descriptive.rank.Median;

import java.io.File;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Two builds of protsim timed on the same runs, side by side in one JVM: each jar gets a class
 * loader of its own (so each has its own classes and JIT-compiled code), and their runs alternate,
 * A, B, A, B, so that both see the same host: on a shared or frequency-scaling machine, separate
 * processes minutes apart differ by more than most changes do. Each run is a whole
 * {@code Runner.run} of a config, called through the public API both builds share
 * ({@code Workloads.loader().fromTree}, {@code Runner.run}); the score is host nanoseconds per
 * simulated reference. Both builds must agree on the simulated cycles when the change between
 * them is meant to leave results alone: the output says whether they did.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.protsim.bench.SideBySide OLD.jar NEW.jar CASE [rounds]
 * </pre>
 * CASE is a run config file, or one of {@code random-bare}, {@code random-kernel} (the
 * {@link RandomTrace} of the JMH benchmarks), {@code ls-bare}, {@code ls-kernel} (the shipped
 * {@code ls} trace).
 */
public final class SideBySide {
    /** One build: its loader and the two static entry points a run needs. */
    static final class Build {
        final String name;
        private final Object configs;    // that build's org.protsim.core.config.ConfigLoader
        private final Method fromTree;
        private final Method readTree;
        private final Object mapper;
        private final Method run;

        Build(String name, URL[] classpath) throws ReflectiveOperationException {
            this.name = name;
            ClassLoader cl = new URLClassLoader(classpath, ClassLoader.getPlatformClassLoader());
            Method loader = cl.loadClass("org.protsim.workloads.Workloads").getMethod("loader");
            this.configs = loader.invoke(null);
            Class<?> jsonNode = cl.loadClass("com.fasterxml.jackson.databind.JsonNode");
            this.fromTree = loader.getReturnType().getMethod("fromTree", jsonNode, List.class);
            Class<?> mapperClass = cl.loadClass("com.fasterxml.jackson.databind.ObjectMapper");
            this.mapper = mapperClass.getConstructor().newInstance();
            this.readTree = mapperClass.getMethod("readTree", String.class);
            Class<?> config = cl.loadClass("org.protsim.core.config.RunConfig");
            this.run = cl.loadClass("org.protsim.orchestration.Runner").getMethod("run", config);
        }

        /** Runs {@code json} once: {references, simulated cycles, host nanoseconds}. */
        long[] run(String json) throws ReflectiveOperationException {
            Object tree = readTree.invoke(mapper, json);
            Object config = fromTree.invoke(configs, tree, List.of());
            long t0 = System.nanoTime();
            Object result = run.invoke(null, config);
            long t1 = System.nanoTime();
            Object summary = result.getClass().getMethod("summary").invoke(result);
            long refs = (long) summary.getClass().getMethod("counter", String.class).invoke(summary, "references");
            long cycles = (long) result.getClass().getMethod("simulatedCycles").invoke(result);
            return new long[]{refs, cycles, t1 - t0};
        }
    }

    /** What the rounds showed: each build's nanoseconds per reference, round by round. */
    record Outcome(double[] a, double[] b, boolean sameCycles) {
        /** B's median over A's. */
        double ratio() {
            return median(b) / median(a);
        }

        /** Each round's B over that round's A: the pairs share the host's state of the moment. */
        double[] pairRatios() {
            double[] r = new double[a.length];
            for (int i = 0; i < a.length; i++) {
                r[i] = b[i] / a[i];
            }
            return r;
        }
    }

    static double median(double[] x) {
        return new Median().evaluate(x);
    }

    /** {@code rounds} alternated pairs after one unmeasured warm-up pair. */
    static Outcome compare(Build a, Build b, String json, int rounds) throws ReflectiveOperationException {
        long[] wa = a.run(json);
        long[] wb = b.run(json);
        boolean same = wa[1] == wb[1];
        double[] ta = new double[rounds];
        double[] tb = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            long[] ra = a.run(json);
            long[] rb = b.run(json);
            same &= ra[1] == wa[1] && rb[1] == wb[1];
            ta[i] = ra[2] / (double) ra[0];
            tb[i] = rb[2] / (double) rb[0];
        }
        return new Outcome(ta, tb, same);
    }

    static String caseConfig(String name) throws Exception {
        return switch (name) {
            case "random-bare", "random-kernel" -> {
                Path trace = Files.createTempFile("protsim-random-", ".lackey.gz");
                trace.toFile().deleteOnExit();
                RandomTrace.write(trace, RandomTraceBenchmark.REFERENCES, RandomTrace.GIB, RandomTraceBenchmark.SEED);
                yield lackey(trace.toString(), name.endsWith("bare"));
            }
            case "ls-bare", "ls-kernel" -> lackey("builtin:ls.lackey.gz", name.endsWith("bare"));
            default -> Files.readString(Path.of(name));
        };
    }

    private static String lackey(String path, boolean bare) {
        return "{\"workload\": {\"type\": \"lackey\", \"path\": \"" + path.replace("\\", "\\\\") + "\", \"bare\": " + bare
                + "}}";
    }

    private static URL[] jar(String path) throws MalformedURLException {
        File f = new File(path);
        if (!f.isFile()) {
            throw new IllegalArgumentException(path + ": no such jar");
        }
        return new URL[]{f.toURI().toURL()};
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3 || args.length > 4) {
            System.err.println("usage: SideBySide OLD.jar NEW.jar CASE [rounds]   (CASE: a config file, or random-bare, "
                    + "random-kernel, ls-bare, ls-kernel)");
            System.exit(2);
        }
        int rounds;
        try {
            rounds = args.length == 4 ? Integer.parseInt(args[3]) : 7;
            if (rounds < 1) {
                throw new NumberFormatException();
            }
            Build a = new Build(new File(args[0]).getName(), jar(args[0]));
            Build b = new Build(new File(args[1]).getName(), jar(args[1]));
            Outcome o = compare(a, b, caseConfig(args[2]), rounds);
            double[] pairs = o.pairRatios();
            double[] sorted = pairs.clone();
            Arrays.sort(sorted);
            System.out.printf(Locale.ROOT, "%s: %s %.1f ns/reference (median of %d), %s %.1f; %s/%s %.3f"
                            + " (each round's ratio %.3f..%.3f, median %.3f); simulated cycles %s%n",
                    args[2], a.name, median(o.a()), rounds, b.name, median(o.b()), b.name, a.name, o.ratio(),
                    sorted[0], sorted[sorted.length - 1], median(pairs), o.sameCycles() ? "identical" : "DIFFER");
        } catch (NumberFormatException e) {
            System.err.println("rounds: expected a positive integer, got " + args[3]);
            System.exit(2);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        }
    }

    private SideBySide() {
    }

    /** For tests: the entries of this JVM's class path, as URLs. */
    static URL[] ownClassPath() throws MalformedURLException {
        List<URL> urls = new ArrayList<>();
        for (String p : System.getProperty("java.class.path").split(File.pathSeparator)) {
            urls.add(new File(p).toURI().toURL());
        }
        return urls.toArray(URL[]::new);
    }
}
