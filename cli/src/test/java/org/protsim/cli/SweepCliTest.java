package org.protsim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protsim.core.results.OutputFolder;
import org.protsim.orchestration.Sweep;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.protsim.cli.CliTest.protsim;

/** {@code protsim sweep}, {@code merge} and {@code plot} as a user runs them. */
class SweepCliTest {
    @TempDir
    Path dir;

    /** 3 axes x 3 values x 3 replications = 81 small runs. */
    static String spec(int refs) {
        return "{\"base\": {\"machine\": {\"tlb\": {\"l2\": {\"ways\": 8}}}, \"kernel\": {\"quantumCycles\": 100000},"
                + " \"workload\": {\"type\": \"shared-libc\", \"refsPerProcess\": " + refs + ", "
                + "\"libraries\": [{\"name\": \"libc\", \"textPages\": 60}]}},"
                + " \"axes\": {\"model.name\": [\"conventional\", \"pcid\", \"shared-asid\"],"
                + " \"workload.processes\": [2, 4, 8], \"machine.tlb.l2.entries\": [256, 512, 1024]},"
                + " \"replications\": 3}";
    }

    private Path write(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    /**
     * Every result file of a sweep folder with its bytes, by relative path; not the bookkeeping
     * that differs by who wrote the folder: the marker (naming sweep or merge) and the record
     * of the inputs a sweep read (a merge reads none).
     */
    static Map<String, byte[]> files(Path root) throws IOException {
        Map<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                String rel = root.relativize(p).toString();
                if (!rel.startsWith("merged" + File.separator) && !rel.equals("sweep.sbatch")
                        && !rel.equals(OutputFolder.MARKER) && !rel.equals(Sweep.INPUTS)) {
                    m.put(rel, Files.readAllBytes(p));
                }
            }
        }
        return m;
    }

    static void assertSameFiles(Path a, Path b) throws IOException {
        Map<String, byte[]> fa = files(a);
        Map<String, byte[]> fb = files(b);
        assertThat(fb.keySet()).isEqualTo(fa.keySet());
        for (String k : fa.keySet()) {
            assertThat(fb.get(k)).as(k).isEqualTo(fa.get(k));
        }
    }

    @Test
    void shouldRunEveryPointAndSummariseReplicationsWithStudentsT() throws IOException {
        Path spec = write("spec.json", spec(2000));
        Path out = dir.resolve("sweep");
        CliTest.Outcome o = protsim("sweep", spec.toString(), "--out", out.toString());
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(o.err()).contains("81/81 runs");
        List<String> runs = Files.readAllLines(out.resolve("sweep.csv"));
        assertThat(runs).hasSize(1 + 81);
        assertThat(runs.get(0)).startsWith("run,point,model.name,workload.processes,machine.tlb.l2.entries,replication,seed,");
        List<String> points = Files.readAllLines(out.resolve("points.csv"));
        assertThat(points).hasSize(1 + 27);
        // point p0013 = (pcid, 4, 512): recompute mean and CI of tlbMissesPerKiloRef from its three runs
        List<Double> v = new ArrayList<>();
        for (String line : runs.subList(1, runs.size())) {
            String[] c = line.split(",", -1);
            if (c[1].equals("p0013")) {
                assertThat(c[2] + "," + c[3] + "," + c[4]).isEqualTo("pcid,4,512");
                v.add(Double.parseDouble(c[7]));
            }
        }
        assertThat(v).hasSize(3);
        double mean = (v.get(0) + v.get(1) + v.get(2)) / 3;
        double sd = Math.sqrt(((v.get(0) - mean) * (v.get(0) - mean) + (v.get(1) - mean) * (v.get(1) - mean)
                + (v.get(2) - mean) * (v.get(2) - mean)) / 2);
        double t = 4.302652729911275; // Student's t, 2 degrees of freedom, 97.5% (tables)
        String[] p = points.get(1 + 13).split(",", -1);
        assertThat(Double.parseDouble(p[5])).isCloseTo(mean, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(Double.parseDouble(p[6])).isCloseTo(sd, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(Double.parseDouble(p[7])).isCloseTo(mean - t * sd / Math.sqrt(3), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(Double.parseDouble(p[8])).isCloseTo(mean + t * sd / Math.sqrt(3), org.assertj.core.data.Offset.offset(1e-6));
        // replications differ: seeds are derived per replication
        assertThat(v.get(0)).isNotEqualTo(v.get(1));
        JsonNode json = new ObjectMapper().readTree(out.resolve("sweep.json").toFile());
        assertThat(json.get("runs")).hasSize(81);
        assertThat(json.get("points")).hasSize(27);
        // merged histograms: a point's walk-latency count is the sum of its runs' counts
        long sum = 0;
        for (int r = 0; r < 3; r++) {
            sum += new ObjectMapper().readTree(out.resolve("points/p0013/r" + r + "/summary.json").toFile())
                    .at("/histograms/walk.latency/count").asLong();
        }
        assertThat(json.at("/points/13/histograms/walk.latency/count").asLong()).isEqualTo(sum);
        assertThat(out.resolve("points/p0013/merged/walk.latency.hlog")).exists();
    }

    @Test
    void shouldDrawReadablePlotsAndRedrawThem() throws IOException {
        Path spec = write("spec.json", spec(1000));
        Path out = dir.resolve("sweep");
        assertThat(protsim("sweep", spec.toString(), "--out", out.toString()).code()).isZero();
        Path plot = out.resolve("plots/tlbMissesPerKiloRef-vs-machine.tlb.l2.entries.png");
        BufferedImage img = ImageIO.read(plot.toFile());
        assertThat(img.getWidth()).isEqualTo(900);
        assertThat(img.getHeight()).isEqualTo(560);
        assertThat(out.resolve("plots/walk.latency-percentiles.png")).exists();
        assertThat(out.resolve("plots/totalCycles-vs-workload.processes.png")).exists();
        byte[] before = Files.readAllBytes(plot);
        Files.delete(plot);
        CliTest.Outcome o = protsim("plot", out.toString());
        assertThat(o.code()).as(o.err()).isZero();
        assertThat(Files.readAllBytes(plot)).isEqualTo(before);
    }

    @Test
    void shouldResumeAfterKillNineAndEndWithTheSameFilesAsAnUninterruptedSweep() throws Exception {
        Path spec = write("spec.json", spec(40_000));
        Path whole = dir.resolve("whole");
        assertThat(protsim("sweep", spec.toString(), "--out", whole.toString()).code()).isZero();

        Path killed = dir.resolve("killed");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "org.protsim.cli.Main",
                "sweep", spec.toString(), "--out", killed.toString(), "--threads", "1")
                .redirectErrorStream(true).redirectOutput(dir.resolve("killed.log").toFile()).start();
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (finishedRuns(killed) < 6 && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(p.isAlive()).as("the sweep must still be running when it is killed").isTrue();
        p.destroyForcibly(); // SIGKILL on Unix
        p.waitFor();
        int before = finishedRuns(killed);
        assertThat(before).isBetween(6, 80);
        assertThat(killed.resolve("sweep.csv")).doesNotExist();

        CliTest.Outcome resumed = protsim("sweep", spec.toString(), "--out", killed.toString());
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains((81 - before) + " run now, " + before + " done before");
        assertSameFiles(whole, killed);
        try (Stream<Path> walk = Files.walk(killed)) {
            assertThat(walk.filter(x -> x.getFileName().toString().startsWith("."))
                    .filter(x -> !x.equals(killed.resolve(OutputFolder.MARKER))).toList()).isEmpty();
        }
    }

    private static int finishedRuns(Path sweep) throws IOException {
        // Runs while the sweep is writing: a finished run is points/<pid>/r<k>/summary.json; a run
        // being written sits in a hidden temporary folder (.r<k>.tmp-...) that is renamed or removed
        // at any moment, so only directory listings (which do not follow entries) are used, not a walk.
        Path points = sweep.resolve("points");
        if (!Files.isDirectory(points)) {
            return 0;
        }
        int n = 0;
        try (Stream<Path> pointDirs = Files.list(points)) {
            for (Path point : pointDirs.toList()) {
                try (Stream<Path> runs = Files.list(point)) {
                    n += (int) runs.filter(r -> r.getFileName().toString().matches("r[0-9]+"))
                            .filter(r -> Files.exists(r.resolve("summary.json"))).count();
                }
            }
        }
        return n;
    }

    @Test
    void shardsMergedShouldEqualTheUnshardedSweepByteForByte() throws IOException {
        Path spec = write("spec.json", spec(2000));
        Path whole = dir.resolve("whole");
        assertThat(protsim("sweep", spec.toString(), "--out", whole.toString()).code()).isZero();
        List<String> shards = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            Path s = dir.resolve("shard" + k);
            CliTest.Outcome o = protsim("sweep", spec.toString(), "--out", s.toString(), "--shard", k + "/3");
            assertThat(o.code()).as(o.err()).isZero();
            assertThat(o.out()).contains("27 runs: 27 run now");
            assertThat(s.resolve("sweep.csv")).doesNotExist();
            shards.add(s.toString());
        }
        Path merged = dir.resolve("merged");
        List<String> args = new ArrayList<>(List.of("merge"));
        args.addAll(shards);
        args.addAll(List.of("--out", merged.toString()));
        CliTest.Outcome m = protsim(args.toArray(new String[0]));
        assertThat(m.code()).as(m.err()).isZero();
        assertSameFiles(whole, merged);
        // a merge that lacks a shard names what is missing
        CliTest.Outcome partial = protsim("merge", shards.get(0), shards.get(1), "--out", dir.resolve("p").toString());
        assertThat(partial.code()).isEqualTo(2);
        assertThat(partial.err()).contains("is in none of the folders");
    }

    @Test
    void aShardShouldCleanUpOnlyItsOwnRunsSoShardsCanShareAFolder() throws IOException {
        // Slurm array tasks start at different times and write into one folder: a task starting
        // while another is writing must not delete that one's temporary folders.
        Path spec = write("spec.json", spec(1000));
        Path shared = dir.resolve("shared");
        // run index = point * 3 + replication: p0000/r1 is run 1, which belongs to shard 1 of 2
        Path inProgress = Files.createDirectories(shared.resolve("points/p0000/.r1.tmp-42/histograms"));
        Files.writeString(shared.resolve(OutputFolder.MARKER), "written by protsim sweep\n"); // its shard claimed it
        Files.writeString(inProgress.resolve("../summary.json"), "{}");
        CliTest.Outcome first = protsim("sweep", spec.toString(), "--out", shared.toString(), "--shard", "0/2");
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).contains("41 runs: 41 run now");
        assertThat(inProgress).exists();
        assertThat(shared.resolve("points/p0000/r1")).doesNotExist();
        // shard 1 owns run p0000/r1: it clears what a killed attempt left and writes the run
        CliTest.Outcome second = protsim("sweep", spec.toString(), "--out", shared.toString(), "--shard", "1/2");
        assertThat(second.code()).as(second.err()).isZero();
        assertThat(second.out()).contains("40 runs: 40 run now");
        assertThat(inProgress.getParent()).doesNotExist();
        assertThat(shared.resolve("points/p0000/r1/summary.json")).exists();
    }

    @Test
    void badSpecsAndShardsShouldExitTwoWithTheReason() throws IOException {
        String good = spec(1000);
        String[][] cases = {
                {good.replace("workload.processes", "workload.procs"), "axis workload.procs = 2: workload.procs: unknown key"},
                {good.replace("[256, 512, 1024]", "[]"), "axis machine.tlb.l2.entries: expected a non-empty list"},
                {good.replace("[256, 512, 1024]", "[256, 500, 1024]"),
                        "axis machine.tlb.l2.entries = 500: machine.tlb.l2.ways: 8 does not divide entries 500"},
                {good.replace("\"pcid\"", "\"pcidx\""), "axis model.name = \"pcidx\""},
                {good.replace("[2, 4, 8]", "[2, \"four\", 8]"), "axis workload.processes = \"four\": "
                        + "workload.processes: expected an integer"},
        };
        for (String[] c : cases) {
            Path f = write("bad.json", c[0]);
            Path out = dir.resolve("never");
            CliTest.Outcome o = protsim("sweep", f.toString(), "--out", out.toString());
            assertThat(o.code()).as(c[1]).isEqualTo(2);
            assertThat(o.err()).as(o.err()).contains(c[1]).doesNotContain("Exception");
            assertThat(out).doesNotExist();
        }
        Path f = write("ok.json", good);
        for (String shard : new String[]{"4/3", "3/3", "-1/3", "1", "a/b", "0/0"}) {
            CliTest.Outcome o = protsim("sweep", f.toString(), "--out", dir.resolve("x").toString(), "--shard", shard);
            assertThat(o.code()).as(shard).isEqualTo(2);
            assertThat(o.err()).contains("--shard");
        }
        // a folder holding another sweep is refused
        Path taken = dir.resolve("taken");
        assertThat(protsim("sweep", f.toString(), "--out", taken.toString(), "--shard", "0/27").code()).isZero();
        Path other = write("other.json", good.replace("\"replications\": 3", "\"replications\": 2"));
        CliTest.Outcome o = protsim("sweep", other.toString(), "--out", taken.toString());
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("holds another sweep");
    }

    @Test
    void shouldWriteASlurmJobArrayWithTheMergeLine() throws IOException {
        Path spec = write("spec.json", spec(1000));
        Path out = dir.resolve("cluster");
        CliTest.Outcome o = protsim("sweep", spec.toString(), "--out", out.toString(), "--slurm", "3", "--partition",
                "short", "--time", "00:30:00", "--mem", "4G");
        assertThat(o.code()).as(o.err()).isZero();
        String script = Files.readString(out.resolve("sweep.sbatch"));
        assertThat(script).startsWith("#!/bin/bash\n").contains("#SBATCH --array=0-2\n").contains("#SBATCH --partition=short\n")
                .contains("#SBATCH --time=00:30:00\n").contains("#SBATCH --mem=4G\n")
                .contains("sweep '" + spec.toAbsolutePath() + "' --out '" + out.toAbsolutePath() + "' --shard \"${SLURM_ARRAY_TASK_ID}/3\"")
                .contains(" merge '" + out.toAbsolutePath() + "' --out '");
        assertThat(o.out()).contains("sbatch " + out.resolve("sweep.sbatch").toAbsolutePath()).contains("protsim merge");
        assertThat(out.resolve("spec.json")).exists();
        assertThat(out.resolve("points")).doesNotExist(); // nothing ran
    }
}
