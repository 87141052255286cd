package org.protsim.cli;

import org.protsim.core.InputError;
import org.protsim.core.plugin.PluginJars;
import org.protsim.core.sweep.SweepResults;
import org.protsim.core.sweep.SweepSpec;
import org.protsim.core.results.RunFolder;
import org.protsim.orchestration.Sweep;
import org.protsim.workloads.Plugins;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Run a parameter sweep: the cartesian product of the spec's axes, each point replicated with "
                + "derived seeds, in parallel.",
                "Each run is written to DIR/points/<point>/r<replication>/ when it completes; running the same command "
                        + "again resumes a killed sweep. When every run is done: sweep.csv, points.csv, sweep.json and "
                        + "plots/.",
                "--shard k/N runs only the k-th of N slices (k from 0); --slurm N writes DIR/sweep.sbatch, a job "
                        + "array of N such shards, instead of running."})
final class SweepCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SPEC", description = "sweep spec (JSON): base or baseConfig, axes, replications")
    Path specFile;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "the sweep's folder")
    Path out;

    @Option(names = "--threads", paramLabel = "N", description = "runs in parallel (default: every core)")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--shard", paramLabel = "k/N", description = "run only the k-th of N disjoint slices (0 <= k < N)")
    String shard;

    @Option(names = "--slurm", paramLabel = "N", description = "write DIR/sweep.sbatch: a Slurm job array of N shards")
    Integer slurm;

    @Option(names = "--partition", description = "with --slurm: the partition") String partition;

    @Option(names = "--time", description = "with --slurm: the time limit per task (e.g. 02:00:00)") String time;

    @Option(names = "--mem", description = "with --slurm: the memory per task (e.g. 8G)") String mem;

    @Option(names = "--cpus-per-task", description = "with --slurm: CPUs per task, also its --threads (default 1)")
    int cpusPerTask = 1;

    @Mixin
    PluginOptions pluginOptions;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec cmd;

    @Override
    public Integer call() {
        if (threads < 1) {
            throw new InputError("--threads: " + threads + " must be at least 1");
        }
        int[] slice = shard == null ? null : parseShard(shard);
        SweepSpec spec = SweepSpec.load(specFile);
        Plugins plugins = pluginOptions.load();
        Sweep sweep = new Sweep(spec, plugins); // every point validated before anything runs
        PrintWriter o = cmd.commandLine().getOut();
        if (slurm != null) {
            if (slurm < 1) {
                throw new InputError("--slurm: " + slurm + " must be at least 1");
            }
            Path dir = sweep.claim(out, "sweep");
            List<Path> jars = Slurm.copyPlugins(plugins.jars().jars(), dir);
            Path script = dir.resolve("sweep.sbatch");
            RunFolder.writeAtomically(script, Slurm.script(specFile.toAbsolutePath().normalize(), dir, slurm, partition,
                    time, mem, cpusPerTask, jars));
            o.println("wrote " + script + " (" + spec.runCount() + " runs in " + slurm + " tasks)");
            o.println("submit: sbatch " + script);
            o.println("then:   " + Slurm.mergeLine(dir));
            o.flush();
            return 0;
        }
        Path dir = sweep.claim(out, "sweep");
        List<SweepSpec.Run> mine = slice == null ? spec.runs() : spec.shard(slice[0], slice[1]);
        List<SweepSpec.Run> todo = mine.stream().filter(r -> !Sweep.finished(dir, spec, r)).toList();
        Progress progress = new Progress(cmd.commandLine().getErr(), todo.size(), "runs");
        int total = spec.points().size();
        sweep.run(dir, todo, threads, r -> progress.done(r.point().id(total) + "/r" + r.replication()));
        progress.finish();
        o.printf(Locale.ROOT, "%d runs: %d run now, %d done before, %.1f s%n", mine.size(), todo.size(),
                mine.size() - todo.size(), progress.elapsedSeconds());
        boolean complete = spec.runs().stream().allMatch(r -> Sweep.finished(dir, spec, r));
        if (complete && slice == null) {
            SweepResults results = SweepResults.read(spec, r -> Sweep.folder(dir, spec, r));
            results.write(dir);
            int plots = SweepPlots.write(results, dir.resolve("plots"));
            o.println("results: " + dir + " (sweep.csv, points.csv, sweep.json, " + plots + " plots)");
        } else if (slice != null) {
            o.println("shard " + slice[0] + "/" + slice[1] + " done; when every shard is: " + Slurm.mergeLine(dir));
        }
        o.flush();
        return 0;
    }

    static int[] parseShard(String s) {
        String[] parts = s.split("/");
        try {
            if (parts.length == 2) {
                int k = Integer.parseInt(parts[0].trim());
                int n = Integer.parseInt(parts[1].trim());
                if (n >= 1 && k >= 0 && k < n) {
                    return new int[]{k, n};
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InputError("--shard: \"" + s + "\" must be k/N with 0 <= k < N, e.g. 0/3");
    }

    /** The Slurm job-array script and the merge line to run after it. */
    static final class Slurm {
        private Slurm() {
        }

        /** How this very JVM was started: the java binary and the class path (the protsim jar). */
        static String command() {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            StringBuilder cp = new StringBuilder();
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                if (cp.length() > 0) {
                    cp.append(File.pathSeparator);
                }
                cp.append(Path.of(entry).toAbsolutePath().normalize());
            }
            return "\"${PROTSIM_JAVA:-" + java + "}\" -cp '" + cp + "' org.protsim.cli.Main";
        }

        static String mergeLine(Path dir) {
            return "protsim merge " + dir + " --out " + dir.resolve("merged");
        }

        /**
         * Copies the plugin jars into {@code DIR/plugins/}, so every task of the array loads the same
         * classes even if a jar is rebuilt while the array runs; returns the copies.
         */
        static List<Path> copyPlugins(List<Path> jars, Path dir) {
            List<Path> copies = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (Path jar : jars) {
                String name = jar.getFileName().toString();
                if (!names.add(name)) {
                    name = copies.size() + "-" + name; // two jars of one file name from different folders
                    names.add(name);
                }
                Path copy = dir.resolve("plugins").resolve(name);
                try {
                    Files.createDirectories(copy.getParent());
                    Path tmp = Files.createTempFile(copy.getParent(), "." + name, ".tmp");
                    Files.copy(jar, tmp, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(tmp, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot copy plugin " + jar + " to " + copy + ": " + e.getMessage(), e);
                }
                copies.add(copy);
            }
            return copies;
        }

        static String script(Path spec, Path dir, int tasks, String partition, String time, String mem, int cpus,
                             List<Path> plugins) {
            StringBuilder sb = new StringBuilder("#!/bin/bash\n");
            sb.append("# protsim sweep as a Slurm job array: task i runs shard i of ").append(tasks).append('\n');
            sb.append("#SBATCH --job-name=protsim-sweep\n");
            sb.append("#SBATCH --array=0-").append(tasks - 1).append('\n');
            sb.append("#SBATCH --cpus-per-task=").append(cpus).append('\n');
            sb.append("#SBATCH --output=").append(dir).append("/slurm-%A_%a.out\n");
            if (partition != null) {
                sb.append("#SBATCH --partition=").append(partition).append('\n');
            }
            if (time != null) {
                sb.append("#SBATCH --time=").append(time).append('\n');
            }
            if (mem != null) {
                sb.append("#SBATCH --mem=").append(mem).append('\n');
            }
            sb.append("set -euo pipefail\n");
            StringBuilder pluginArgs = new StringBuilder();
            for (Path p : plugins) {
                pluginArgs.append(" --plugin '").append(p).append('\'');
            }
            // the tasks load exactly these jars: PROTSIM_PLUGINS of the submitting shell is not passed on
            sb.append("unset ").append(PluginJars.ENV).append('\n');
            sb.append(command()).append(" sweep '").append(spec).append("' --out '").append(dir).append('\'')
                    .append(pluginArgs).append(" --shard \"${SLURM_ARRAY_TASK_ID}/").append(tasks)
                    .append("\" --threads \"${SLURM_CPUS_PER_TASK:-").append(cpus).append("}\"\n");
            sb.append("# when every task has finished, merge the shards:\n");
            sb.append("#   ").append(command().replace("\"", "")).append(" merge '").append(dir).append("' --out '")
                    .append(dir.resolve("merged")).append("'\n");
            return sb.toString();
        }
    }
}
