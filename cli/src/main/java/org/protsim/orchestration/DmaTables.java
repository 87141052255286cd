package org.protsim.orchestration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.protsim.core.InputError;
import org.protsim.core.config.ConfigLoader;
import org.protsim.core.config.RunConfig;
import org.protsim.core.results.RunFolder;
import org.protsim.core.stats.HistogramSummary;
import org.protsim.core.stats.Summary;
import org.protsim.workloads.Workloads;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * The mechanism tables of {@code protsim compare} for driver DMA (issue 14): the driver-dma
 * workload under the conventional model with each {@code kernel.dma} mode side by side (cost per
 * request, wild writes caught and landed), and with each {@code kernel.pat} mode at a growing
 * number of existing mappings (checks, conflicts, cost per check). Its runs are written beside
 * the comparison's as {@code runs/driver-dma-dma-<mode>} and {@code runs/driver-dma-pat-<mode>-<n>}.
 */
final class DmaTables {
    static final String WORKLOAD = "driver-dma";
    static final List<String> DMA_MODES = List.of("shared-pool", "iommu-strict", "iommu-deferred", "owned-pages");
    static final List<String> PAT_MODES = List.of("none", "vma-walk", "memtype-tree");
    static final List<Integer> MAPPINGS = List.of(10, 100, 1000);

    private final List<Comparison.Plan> plans = new ArrayList<>();
    private final List<Summary> summaries = new ArrayList<>();

    DmaTables(List<String> overrides) {
        ConfigLoader loader = Workloads.loader();
        JsonNode tree;
        try (InputStream in = DmaTables.class.getResourceAsStream("/compare/" + WORKLOAD + ".json")) {
            tree = new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String mode : DMA_MODES) {
            add(loader, tree, "dma-" + mode, overrides, "kernel.dma.mode=" + mode);
        }
        for (String mode : PAT_MODES) {
            for (int n : MAPPINGS) {
                // the modes' cost is the question here: the IOMMU adds nothing to it
                add(loader, tree, "pat-" + mode + "-" + n, overrides, "kernel.dma.mode=shared-pool",
                        "kernel.pat.mode=" + mode, "workload.extraMappings=" + n);
            }
        }
    }

    private void add(ConfigLoader loader, JsonNode tree, String variant, List<String> overrides, String... sets) {
        List<String> all = new ArrayList<>(List.of("model.name=conventional"));
        all.addAll(List.of(sets));
        all.addAll(overrides);
        RunConfig rc;
        try {
            rc = loader.fromTree(tree, all);
        } catch (InputError e) {
            throw new InputError("workload " + WORKLOAD + " (" + variant + "): " + e.getMessage());
        }
        plans.add(new Comparison.Plan(WORKLOAD, variant, rc, loader.toJson(rc)));
    }

    List<Comparison.Plan> plans() {
        return List.copyOf(plans);
    }

    /** Submits every run to {@code pool}; each is written under {@code runsDir} as it completes. */
    List<Future<Summary>> submit(ExecutorService pool, Path runsDir, Consumer<Comparison.Plan> done) {
        List<Future<Summary>> out = new ArrayList<>();
        for (Comparison.Plan p : plans) {
            out.add(pool.submit(() -> {
                RunResult r = Runner.run(p.config());
                if (runsDir != null) {
                    RunFolder.write(runsDir.resolve(p.id()), p.configJson(), r.summary(), r.histograms(),
                            r.simulatedSeconds());
                }
                done.accept(p);
                return r.summary();
            }));
        }
        return out;
    }

    /** The runs' summaries, in plan order, once they are done. */
    void collected(List<Summary> results) {
        summaries.clear();
        summaries.addAll(results);
    }

    private static long landed(Summary s) {
        long n = 0;
        for (String v : org.protsim.os.dma.DmaMechanism.VICTIMS) {
            n += s.counter("dma.wildWrites.landed." + v);
        }
        return n;
    }

    private static double mean(Summary s, String histogram) {
        HistogramSummary h = s.histograms().get(histogram);
        return h == null || h.count() == 0 ? Double.NaN : h.mean();
    }

    private static String num(double v, int digits) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%,." + digits + "f", v);
    }

    /** Rows of the dma table: mode, requests/s, CPU cycles per request, map, unmap, exposure, wild, caught, landed. */
    private List<String[]> dmaRows() {
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < DMA_MODES.size(); i++) {
            Summary s = summaries.get(i);
            long requests = s.counter("dma.requests");
            rows.add(new String[] {DMA_MODES.get(i), num(s.derived("dma.requestsPerSecond"), 0),
                    num((double) Comparison.totalCycles(s) / requests, 0), num(mean(s, "dma.map.latency"), 0),
                    num(mean(s, "dma.unmap.latency"), 0), num(mean(s, "dma.exposure.latency"), 0),
                    Long.toString(s.counter("dma.wildWrites")), Long.toString(s.counter("dma.wildWrites.caught")),
                    Long.toString(landed(s)), Long.toString(s.counter("dma.wildWrites.landed.kernel")
                            + s.counter("dma.wildWrites.landed.pageTable") + s.counter("dma.wildWrites.landed.otherProcess"))});
        }
        return rows;
    }

    private static final String[] DMA_HEAD = {"kernel.dma", "requests/s", "CPU cycles/request", "map (cycles)",
        "unmap (cycles)", "exposure (cycles)", "wild writes", "caught", "landed", "landed on kernel, tables, others"};

    private List<String[]> patRows() {
        List<String[]> rows = new ArrayList<>();
        int k = DMA_MODES.size();
        for (String mode : PAT_MODES) {
            for (int n : MAPPINGS) {
                Summary s = summaries.get(k++);
                boolean checked = !mode.equals("none");
                rows.add(new String[] {mode, Integer.toString(n), checked ? Long.toString(s.counter("pat.checks")) : "-",
                        checked ? Long.toString(s.counter("pat.conflictsRefused")) : "-",
                        Long.toString(s.counter("pat.aliasesUndetected")), Long.toString(s.counter("pat.staleReads")),
                        checked ? num(mean(s, "pat.check.latency"), 0) : "-"});
            }
        }
        return rows;
    }

    private static final String[] PAT_HEAD = {"kernel.pat", "mappings held", "checks", "conflicts refused",
        "aliases undetected", "stale reads", "cycles per check"};

    static final String DMA_TITLE = "driver-dma: kernel.dma modes (conventional)";
    static final String PAT_TITLE = "driver-dma: kernel.pat modes as existing mappings grow (conventional, shared-pool)";

    /**
     * The tables as figures: CPU cycles per request by kernel.dma mode; the wild writes each mode
     * caught and let land (stacked: together the wild writes); PAT's cycles per check against the
     * mappings held, a bar per checking mode (none makes no checks, so it has no bar).
     */
    List<BarFigure> figures() {
        Map<String, List<Double>> perRequest = new LinkedHashMap<>();
        Map<String, List<Double>> wild = new LinkedHashMap<>();
        List<Double> cycles = new ArrayList<>();
        List<Double> caught = new ArrayList<>();
        List<Double> landed = new ArrayList<>();
        for (int i = 0; i < DMA_MODES.size(); i++) {
            Summary s = summaries.get(i);
            long requests = s.counter("dma.requests");
            cycles.add(requests == 0 ? null : (double) Comparison.totalCycles(s) / requests);
            caught.add((double) s.counter("dma.wildWrites.caught"));
            landed.add((double) landed(s));
        }
        perRequest.put("CPU cycles / request", cycles);
        wild.put("caught", caught);
        wild.put("landed", landed);
        Map<String, List<Double>> perCheck = new LinkedHashMap<>();
        int k = DMA_MODES.size();
        for (String mode : PAT_MODES) {
            List<Double> v = new ArrayList<>();
            for (int n : MAPPINGS) {
                double m = mean(summaries.get(k++), "pat.check.latency");
                v.add(Double.isNaN(m) ? null : m);
            }
            if (!mode.equals("none")) {
                perCheck.put(mode, v);
            }
        }
        List<String> held = MAPPINGS.stream().map(n -> String.format(Locale.ROOT, "%,d", n)).toList();
        return List.of(
                new BarFigure("dma-cycles-per-request.png", DMA_TITLE, "driver-dma: CPU cycles per request by kernel.dma mode",
                        "kernel.dma mode", "cycles / request", DMA_MODES, perRequest, false,
                        "Every CPU's cycles per DMA request under conventional: what mapping and unmapping "
                                + "through the IOMMU (strict: an IOTLB invalidation per unmap; deferred: batched) or "
                                + "handing pages over costs against one shared pool."),
                new BarFigure("dma-wild-writes.png", DMA_TITLE, "driver-dma: wild device writes caught and landed",
                        "kernel.dma mode", "wild writes", DMA_MODES, wild, true,
                        "The device's wild writes in each mode, stacked: caught by the IOMMU or the "
                                + "ownership check, or landed in memory they did not belong to."),
                new BarFigure("pat-cycles-per-check.png", PAT_TITLE, "driver-dma: PAT cycles per check against mappings held",
                        "existing mappings held", "cycles / check", held, perCheck, false,
                        "Mean cycles of a PAT memory-type check as the process holds more mappings: a walk of "
                                + "every VMA against a tree lookup; kernel.pat none checks nothing (no bar)."));
    }

    String markdown() {
        StringBuilder sb = new StringBuilder();
        sb.append("\n## ").append(DMA_TITLE).append("\n\n");
        table(sb, DMA_HEAD, dmaRows());
        sb.append("\n## ").append(PAT_TITLE).append("\n\n");
        table(sb, PAT_HEAD, patRows());
        return sb.toString();
    }

    private static void table(StringBuilder sb, String[] head, List<String[]> rows) {
        sb.append("| ").append(String.join(" | ", head)).append(" |\n|---|").append("---:|".repeat(head.length - 1))
                .append('\n');
        for (String[] r : rows) {
            sb.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
    }

    String text() {
        StringBuilder sb = new StringBuilder();
        text(sb, "driver-dma: kernel.dma modes (conventional)", DMA_HEAD, dmaRows());
        text(sb, "driver-dma: kernel.pat modes as existing mappings grow", PAT_HEAD, patRows());
        return sb.toString();
    }

    private static void text(StringBuilder sb, String title, String[] head, List<String[]> rows) {
        sb.append(title).append('\n');
        int[] w = new int[head.length];
        for (int i = 0; i < head.length; i++) {
            w[i] = head[i].length();
            for (String[] r : rows) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        for (String[] r : concat(head, rows)) {
            sb.append(' ');
            for (int i = 0; i < r.length; i++) {
                sb.append(String.format(Locale.ROOT, " %" + (i == 0 ? "-" : "") + w[i] + "s", r[i]));
            }
            sb.append('\n');
        }
        sb.append('\n');
    }

    private static List<String[]> concat(String[] head, List<String[]> rows) {
        List<String[]> all = new ArrayList<>();
        all.add(head);
        all.addAll(rows);
        return all;
    }

    String csv() {
        StringBuilder sb = new StringBuilder("table,mode,mappings,requestsPerSecond,cyclesPerRequest,mapCycles,unmapCycles,"
                + "exposureCycles,wildWrites,caught,landed,checks,conflictsRefused,aliasesUndetected,staleReads,cyclesPerCheck\n");
        for (int i = 0; i < DMA_MODES.size(); i++) {
            Summary s = summaries.get(i);
            sb.append("dma,").append(DMA_MODES.get(i)).append(",,").append(plain(s.derived("dma.requestsPerSecond")))
                    .append(',').append(plain((double) Comparison.totalCycles(s) / s.counter("dma.requests"))).append(',')
                    .append(plain(mean(s, "dma.map.latency"))).append(',').append(plain(mean(s, "dma.unmap.latency")))
                    .append(',').append(plain(mean(s, "dma.exposure.latency"))).append(',')
                    .append(s.counter("dma.wildWrites")).append(',').append(s.counter("dma.wildWrites.caught")).append(',')
                    .append(landed(s)).append(",,,,,\n");
        }
        int k = DMA_MODES.size();
        for (String mode : PAT_MODES) {
            for (int n : MAPPINGS) {
                Summary s = summaries.get(k++);
                boolean checked = !mode.equals("none");
                sb.append("pat,").append(mode).append(',').append(n).append(",,,,,,,,,")
                        .append(checked ? s.counter("pat.checks") : "").append(',')
                        .append(checked ? s.counter("pat.conflictsRefused") : "").append(',')
                        .append(s.counter("pat.aliasesUndetected")).append(',').append(s.counter("pat.staleReads"))
                        .append(',').append(checked ? plain(mean(s, "pat.check.latency")) : "").append('\n');
            }
        }
        return sb.toString();
    }

    private static String plain(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.1f", v);
    }

    void write(Path dir) {
        RunFolder.writeAtomically(dir.resolve("compare-dma.csv"), csv());
    }
}
