package org.protsim.core.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;
import org.protsim.core.InputError;
import org.protsim.core.config.ConfigLoader;
import org.protsim.core.results.RunFolder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * What a finished sweep measured, read from its run folders: per run, the main figures; per
 * point, the counters summed over its replications, its histograms merged exactly (HdrHistogram
 * {@code add} of the runs' {@code .hlog}s), and each figure's mean, standard deviation and 95%
 * confidence interval over the replications (Student's t, Apache Commons Math). Everything is
 * computed from the run folders in a fixed order, so the outputs depend on nothing else: a
 * merge of shards writes the same bytes as the unsharded sweep.
 */
public final class SweepResults {
    /** The main figures, per run. */
    public static final List<String> FIGURES = List.of("tlbMissesPerKiloRef", "flushes", "shootdowns", "totalCycles",
            "simulatedCycles", "references", "forkP99Cycles");

    private static final ObjectMapper JSON = ConfigLoader.strictMapper();

    /** One run's figures (null where undefined), counters, histograms and their units. */
    public record RunData(SweepSpec.Run run, long seed, Map<String, Double> figures, SortedMap<String, Long> counters,
                          SortedMap<String, Histogram> histograms, Map<String, String> units) {
    }

    /** A figure over a set of runs: count, mean, sample standard deviation and 95% confidence interval (null if {@code n < 2}). */
    public record Stat(long n, double mean, double sd, Double ciLow, Double ciHigh) {
        public static Stat of(List<Double> values) {
            SummaryStatistics s = new SummaryStatistics();
            for (Double v : values) {
                if (v != null) {
                    s.addValue(v);
                }
            }
            long n = s.getN();
            if (n == 0) {
                return new Stat(0, Double.NaN, Double.NaN, null, null);
            }
            double sd = n > 1 ? s.getStandardDeviation() : 0;
            if (n < 2) {
                return new Stat(n, s.getMean(), sd, null, null);
            }
            double half = new TDistribution(n - 1).inverseCumulativeProbability(0.975) * sd / Math.sqrt(n);
            return new Stat(n, s.getMean(), sd, s.getMean() - half, s.getMean() + half);
        }
    }

    private final SweepSpec spec;
    private final List<RunData> runs = new ArrayList<>();

    private SweepResults(SweepSpec spec) {
        this.spec = spec;
    }

    /** Reads every run of {@code spec} from the folder {@code folder} gives for it; a missing run is an error. */
    public static SweepResults read(SweepSpec spec, Function<SweepSpec.Run, Path> folder) {
        SweepResults r = new SweepResults(spec);
        for (SweepSpec.Run run : spec.runs()) {
            Path dir = folder.apply(run);
            if (dir == null || !Files.isRegularFile(dir.resolve("summary.json"))) {
                throw new InputError("run " + run.point().id(spec.points().size()) + "/r" + run.replication()
                        + " has no results" + (dir == null ? "" : " in " + dir));
            }
            r.runs.add(readRun(run, dir));
        }
        return r;
    }

    private static RunData readRun(SweepSpec.Run run, Path dir) {
        try {
            JsonNode s = JSON.readTree(dir.resolve("summary.json").toFile());
            JsonNode config = JSON.readTree(dir.resolve("config.json").toFile());
            SortedMap<String, Long> counters = new TreeMap<>();
            s.get("counters").fields().forEachRemaining(e -> counters.put(e.getKey(), e.getValue().asLong()));
            long total = 0;
            Iterator<JsonNode> cycles = s.get("cycles").elements();
            while (cycles.hasNext()) {
                total += cycles.next().asLong();
            }
            Map<String, Double> f = new LinkedHashMap<>();
            JsonNode miss = s.at("/derived/tlbMissesPerKiloRef");
            f.put("tlbMissesPerKiloRef", miss.isMissingNode() || miss.isNull() ? null : miss.asDouble());
            long flushes = 0;
            for (String k : List.of("flush.all", "flush.nonglobal", "flush.asid", "flush.page", "flush.shared")) {
                flushes += counters.getOrDefault(k, 0L);
            }
            f.put("flushes", (double) flushes);
            f.put("shootdowns", counters.containsKey("shootdowns") ? (double) counters.get("shootdowns") : null);
            f.put("totalCycles", (double) total);
            f.put("simulatedCycles", (double) counters.getOrDefault("simulatedCycles", 0L));
            f.put("references", counters.containsKey("references") ? (double) counters.get("references") : null);
            JsonNode fork = s.at("/histograms/fork.latency");
            f.put("forkP99Cycles", fork.isMissingNode() || fork.get("count").asLong() == 0 ? null
                    : fork.get("p99").asDouble());
            SortedMap<String, Histogram> hs = new TreeMap<>();
            Path hdir = dir.resolve("histograms");
            if (Files.isDirectory(hdir)) {
                try (Stream<Path> files = Files.list(hdir)) {
                    for (Path p : files.filter(x -> x.toString().endsWith(".hlog")).sorted().toList()) {
                        hs.put(p.getFileName().toString().replaceFirst("\\.hlog$", ""), readHistogram(p));
                    }
                }
            }
            Map<String, String> units = new TreeMap<>();
            s.get("histograms").fields().forEachRemaining(e -> units.put(e.getKey(), e.getValue().get("unit").asText()));
            return new RunData(run, config.get("seed").asLong(), f, counters, hs, units);
        } catch (IOException e) {
            throw new InputError("cannot read the results in " + dir + ": " + e.getMessage());
        }
    }

    /** protsim writes logs of a few hundred bytes; a bigger one is not a run's histogram. */
    static final long HLOG_MAX_BYTES = 16L << 20;
    /** HdrHistogram's V2 encoding cookies (AbstractHistogram: V2EncodingCookieBase, V2CompressedEncodingCookieBase). */
    private static final int COOKIE = 0x1c849303;
    private static final int COMPRESSED_COOKIE = 0x1c849304;

    /**
     * The first interval histogram of an {@code .hlog} (an empty histogram if it has none).
     * HdrHistogram's decoder trusts the sizes a log states and throws whatever it meets on a
     * damaged one, so a log is checked first (size, encoding, stated lengths within what the
     * line holds, a value range HdrHistogram can represent) and any failure of the decoder
     * becomes an {@link InputError} naming the file.
     */
    public static Histogram readHistogram(Path p) {
        try {
            if (Files.size(p) > HLOG_MAX_BYTES) {
                throw new InputError(p + ": " + Files.size(p) + " bytes is not a histogram log protsim wrote (at most "
                        + HLOG_MAX_BYTES + ")");
            }
            for (String line : Files.readAllLines(p, java.nio.charset.StandardCharsets.ISO_8859_1)) {
                checkIntervalLine(p, line);
            }
            try (HistogramLogReader reader = new HistogramLogReader(p.toFile())) {
                EncodableHistogram h = reader.nextIntervalHistogram();
                if (h == null) {
                    return new Histogram(3);
                }
                if (!(h instanceof Histogram hist)) {
                    throw new InputError(p + ": a " + h.getClass().getSimpleName() + ", not an integer histogram");
                }
                if (hist.getTotalCount() < 0) {
                    throw new InputError(p + ": damaged histogram (its counts overflow)");
                }
                return hist;
            }
        } catch (InputError e) {
            throw e;
        } catch (IOException e) {
            throw new InputError(p + ": cannot read: " + e.getMessage());
        } catch (RuntimeException e) {
            throw new InputError(p + ": not a readable HdrHistogram log (" + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * Checks what HdrHistogram would otherwise allocate blindly: an interval line's compressed
     * payload ("Tag=t,start,length,max,BASE64" or "start,length,max,BASE64") must state a
     * compressed length within the bytes present, and its header a precision of 0..5 digits
     * and a decoded payload no longer than the counts array its range needs.
     */
    private static void checkIntervalLine(Path p, String line) {
        if (line.isEmpty() || line.startsWith("#") || line.startsWith("\"")) {
            return;
        }
        String b64 = line.substring(line.lastIndexOf(',') + 1);
        byte[] bytes;
        try {
            bytes = java.util.Base64.getDecoder().decode(b64.strip());
        } catch (IllegalArgumentException e) {
            return; // HdrHistogram's own parse refuses it
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes);
        if (b.remaining() < 8 || (b.getInt() & ~0xf0) != COMPRESSED_COOKIE) {
            return; // not a compressed V2 histogram: refused by the decoder without large allocations
        }
        int compressed = b.getInt();
        if (compressed < 0 || compressed > b.remaining()) {
            throw new InputError(p + ": damaged histogram: states " + compressed + " compressed bytes, holds "
                    + b.remaining());
        }
        java.util.zip.Inflater inflater = new java.util.zip.Inflater();
        byte[] header = new byte[40];
        int got;
        try {
            inflater.setInput(bytes, 8, compressed);
            got = inflater.inflate(header);
        } catch (java.util.zip.DataFormatException e) {
            throw new InputError(p + ": damaged histogram: " + e.getMessage());
        } finally {
            inflater.end();
        }
        java.nio.ByteBuffer h = java.nio.ByteBuffer.wrap(header, 0, got);
        if (got < 32 || (h.getInt() & ~0xf0) != COOKIE) {
            return; // refused by the decoder, which reads its header before allocating
        }
        int payload = h.getInt();
        h.getInt(); // normalizing index offset
        int digits = h.getInt();
        long lowest = h.getLong();
        long highest = h.getLong();
        if (digits < 0 || digits > 5 || lowest < 1 || highest < 2 * lowest) {
            throw new InputError(p + ": damaged histogram: precision " + digits + " digits, range " + lowest + ".."
                    + highest);
        }
        // a count takes at most 9 bytes (LEB128 ZigZag of a long); the counts array has fewer than
        // 64 * 2^(digits' sub-bucket bits) + 1 entries
        long maxCounts = 64L * (2L << (int) Math.ceil(Math.log(2 * Math.pow(10, digits)) / Math.log(2))) + 1;
        if (payload < 0 || payload > 9 * maxCounts) {
            throw new InputError(p + ": damaged histogram: states a payload of " + payload + " bytes");
        }
    }

    public SweepSpec spec() {
        return spec;
    }

    public List<RunData> runs() {
        return List.copyOf(runs);
    }

    /** The runs of one point, replications in order. */
    public List<RunData> runsOf(SweepSpec.Point p) {
        return runs.stream().filter(r -> r.run().point().index() == p.index()).toList();
    }

    /** Histograms of {@code runs}, merged exactly, by name. */
    public static SortedMap<String, Histogram> merged(List<RunData> runs) {
        SortedMap<String, Histogram> out = new TreeMap<>();
        for (RunData r : runs) {
            r.histograms().forEach((name, h) -> out.computeIfAbsent(name, n -> new Histogram(3)).add(h));
        }
        return out;
    }

    public static Stat stat(List<RunData> runs, String figure) {
        List<Double> v = new ArrayList<>();
        runs.forEach(r -> v.add(r.figures().get(figure)));
        return Stat.of(v);
    }

    // ------------------------------------------------------------------ outputs

    /** Writes sweep.csv, points.csv, sweep.json and every point's merged histograms into {@code out}. */
    public void write(Path out) {
        int total = spec.points().size();
        for (SweepSpec.Point p : spec.points()) {
            SortedMap<String, Histogram> m = merged(runsOf(p));
            Path dir = out.resolve("points").resolve(p.id(total)).resolve("merged");
            RunFolder.deleteLeftoversIn(dir); // of an earlier write that was killed
            for (Map.Entry<String, Histogram> e : m.entrySet()) {
                RunFolder.writeAtomically(dir.resolve(e.getKey() + ".hgrm"), RunFolder.percentiles(e.getValue()));
                RunFolder.writeAtomically(dir.resolve(e.getKey() + ".hlog"), RunFolder.log(e.getKey(), e.getValue(), 0));
            }
        }
        RunFolder.deleteLeftoversIn(out);
        RunFolder.writeAtomically(out.resolve("sweep.csv"), runsCsv());
        RunFolder.writeAtomically(out.resolve("points.csv"), pointsCsv());
        RunFolder.writeAtomically(out.resolve("sweep.json"), json());
    }

    private static String text(JsonNode v) {
        return v.isTextual() ? v.asText() : v.toString();
    }

    private static String num(Double v) {
        return v == null || v.isNaN() ? "" : Double.toString(v);
    }

    String runsCsv() {
        StringBuilder sb = new StringBuilder("run,point");
        spec.axisNames().forEach(a -> sb.append(',').append(a));
        sb.append(",replication,seed");
        FIGURES.forEach(f -> sb.append(',').append(f));
        sb.append('\n');
        int total = spec.points().size();
        for (RunData r : runs) {
            sb.append(r.run().index()).append(',').append(r.run().point().id(total));
            r.run().point().values().values().forEach(v -> sb.append(',').append(text(v)));
            sb.append(',').append(r.run().replication()).append(',').append(r.seed());
            FIGURES.forEach(f -> sb.append(',').append(num(r.figures().get(f))));
            sb.append('\n');
        }
        return sb.toString();
    }

    private TreeSet<String> histogramNames() {
        TreeSet<String> names = new TreeSet<>();
        runs.forEach(r -> names.addAll(r.histograms().keySet()));
        return names;
    }

    String pointsCsv() {
        StringBuilder sb = new StringBuilder("point");
        spec.axisNames().forEach(a -> sb.append(',').append(a));
        sb.append(",replications");
        FIGURES.forEach(f -> sb.append(',').append(f).append(".mean,").append(f).append(".sd,").append(f)
                .append(".ci95low,").append(f).append(".ci95high"));
        TreeSet<String> hists = histogramNames();
        hists.forEach(h -> sb.append(',').append(h).append(".count,").append(h).append(".p50,").append(h)
                .append(".p99,").append(h).append(".max"));
        sb.append('\n');
        int total = spec.points().size();
        for (SweepSpec.Point p : spec.points()) {
            List<RunData> rs = runsOf(p);
            sb.append(p.id(total));
            p.values().values().forEach(v -> sb.append(',').append(text(v)));
            sb.append(',').append(rs.size());
            for (String f : FIGURES) {
                Stat s = stat(rs, f);
                sb.append(',').append(num(s.mean())).append(',').append(num(s.n() > 0 ? s.sd() : null)).append(',')
                        .append(num(s.ciLow())).append(',').append(num(s.ciHigh()));
            }
            SortedMap<String, Histogram> m = merged(rs);
            for (String h : hists) {
                Histogram x = m.get(h);
                boolean some = x != null && x.getTotalCount() > 0;
                sb.append(',').append(x == null ? 0 : x.getTotalCount()).append(',')
                        .append(some ? Long.toString(x.getValueAtPercentile(50)) : "").append(',')
                        .append(some ? Long.toString(x.getValueAtPercentile(99)) : "").append(',')
                        .append(some ? Long.toString(x.getMaxValue()) : "");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    String json() {
        ObjectNode root = JSON.createObjectNode();
        try {
            root.set("spec", JSON.readTree(spec.canonicalJson()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ArrayNode fs = root.putArray("figures");
        FIGURES.forEach(fs::add);
        int total = spec.points().size();
        ArrayNode rs = root.putArray("runs");
        for (RunData r : runs) {
            ObjectNode n = rs.addObject();
            n.put("run", r.run().index());
            n.put("point", r.run().point().id(total));
            ObjectNode ax = n.putObject("axes");
            r.run().point().values().forEach(ax::set);
            n.put("replication", r.run().replication());
            n.put("seed", r.seed());
            ObjectNode f = n.putObject("figures");
            r.figures().forEach((k, v) -> putNumber(f, k, v));
        }
        ArrayNode ps = root.putArray("points");
        for (SweepSpec.Point p : spec.points()) {
            List<RunData> runsOfPoint = runsOf(p);
            ObjectNode n = ps.addObject();
            n.put("point", p.id(total));
            ObjectNode ax = n.putObject("axes");
            p.values().forEach(ax::set);
            n.put("replications", runsOfPoint.size());
            ObjectNode f = n.putObject("figures");
            for (String name : FIGURES) {
                Stat s = stat(runsOfPoint, name);
                ObjectNode o = f.putObject(name);
                o.put("n", s.n());
                putNumber(o, "mean", s.n() > 0 ? s.mean() : null);
                putNumber(o, "sd", s.n() > 0 ? s.sd() : null);
                putNumber(o, "ci95low", s.ciLow());
                putNumber(o, "ci95high", s.ciHigh());
            }
            ObjectNode c = n.putObject("counters");
            SortedMap<String, Long> sums = new TreeMap<>();
            runsOfPoint.forEach(r -> r.counters().forEach((k, v) -> sums.merge(k, v, Long::sum)));
            sums.forEach(c::put);
            ObjectNode h = n.putObject("histograms");
            merged(runsOfPoint).forEach((name, hist) -> {
                ObjectNode o = h.putObject(name);
                o.put("count", hist.getTotalCount());
                if (hist.getTotalCount() > 0) {
                    o.put("mean", hist.getMean());
                    o.put("p50", hist.getValueAtPercentile(50));
                    o.put("p90", hist.getValueAtPercentile(90));
                    o.put("p99", hist.getValueAtPercentile(99));
                    o.put("p999", hist.getValueAtPercentile(99.9));
                    o.put("max", hist.getMaxValue());
                }
            });
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void putNumber(ObjectNode n, String key, Double v) {
        if (v == null || v.isNaN()) {
            n.putNull(key);
        } else {
            n.put(key, v);
        }
    }
}
