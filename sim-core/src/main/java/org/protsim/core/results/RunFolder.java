package org.protsim.core.results;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.protsim.core.config.ConfigLoader;
import org.protsim.core.stats.LatencyRecorder;
import org.protsim.core.stats.Summary;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes one run's results folder: {@code config.json}, {@code summary.json} and, per
 * histogram, {@code histograms/<name>.hgrm} (percentile distribution) and
 * {@code histograms/<name>.hlog} (HdrHistogram's encoded, mergeable log).
 *
 * <p>The folder is assembled under a temporary name beside its destination and renamed into
 * place when complete, so a killed run leaves either no folder or a whole one (never half a
 * file). Nothing written depends on wall-clock time or the host.
 */
public final class RunFolder {
    private static final ObjectMapper JSON = ConfigLoader.strictMapper();

    private RunFolder() {
    }

    /**
     * Writes the results into {@code dir}, replacing a previous folder of that name.
     *
     * @param configJson       the full resolved config
     * @param simulatedSeconds simulated duration, the end timestamp of the histogram logs
     */
    public static void write(Path dir, String configJson, Summary summary, Map<String, LatencyRecorder> histograms,
                             double simulatedSeconds) {
        write(dir, null, configJson, summary, histograms, simulatedSeconds);
    }

    /**
     * As {@link #write(Path, String, Summary, Map, double)}, and marks the folder as written by
     * {@code command} ({@link OutputFolder#MARKER}) when {@code command} is not null: a run's
     * own top-level folder, which a rerun may replace.
     */
    public static void write(Path dir, String command, String configJson, Summary summary,
                             Map<String, LatencyRecorder> histograms, double simulatedSeconds) {
        Path abs = dir.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        try {
            Files.createDirectories(parent);
            Path tmp = OutputFolder.newDirectory(parent, "." + abs.getFileName() + ".tmp-", "");
            try {
                if (command != null) {
                    OutputFolder.mark(tmp, command);
                }
                Files.writeString(tmp.resolve("config.json"), configJson, StandardCharsets.UTF_8);
                Files.writeString(tmp.resolve("summary.json"), summaryJson(summary), StandardCharsets.UTF_8);
                Path h = Files.createDirectory(tmp.resolve("histograms"));
                for (Map.Entry<String, LatencyRecorder> e : histograms.entrySet()) {
                    Histogram hist = e.getValue().histogram();
                    Files.writeString(h.resolve(e.getKey() + ".hgrm"), percentiles(hist), StandardCharsets.UTF_8);
                    Files.writeString(h.resolve(e.getKey() + ".hlog"), log(e.getKey(), hist, simulatedSeconds),
                            StandardCharsets.UTF_8);
                }
                moveIntoPlace(tmp, abs);
            } finally {
                deleteTree(tmp);
            }
        } catch (IOException e) {
            throw OutputFolder.cannotWrite(dir, e);
        }
    }

    /** The exact text of {@code summary.json}. */
    public static String summaryJson(Summary summary) {
        try {
            return JSON.writeValueAsString(summary) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** HdrHistogram's percentile distribution text (values in the histogram's own unit). */
    public static String percentiles(Histogram h) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            if (h.getTotalCount() == 0) {
                out.println("# empty histogram");
            } else {
                h.outputPercentileDistribution(out, 5, 1.0);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** One interval covering the whole simulated run, tagged with the histogram's name; start time fixed at 0. */
    public static String log(String name, Histogram h, double simulatedSeconds) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            HistogramLogWriter w = new HistogramLogWriter(out);
            w.outputLogFormatVersion();
            w.outputStartTime(0);
            w.outputLegend();
            Histogram copy = h.copy();
            copy.setTag(name);
            w.outputIntervalHistogram(0.0, simulatedSeconds, copy, 1.0);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Renames the finished folder {@code tmp} to {@code dest}, replacing an older folder there. */
    public static void moveIntoPlace(Path tmp, Path dest) throws IOException {
        if (Files.exists(dest)) {
            Path old = OutputFolder.newDirectory(dest.getParent(), "." + dest.getFileName() + ".old-", "");
            Files.delete(old);
            Files.move(dest, old, StandardCopyOption.ATOMIC_MOVE);
            rename(tmp, dest);
            deleteTree(old);
        } else {
            rename(tmp, dest);
        }
    }

    private static void rename(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            throw new IOException(to + " appeared while the run was writing it", e);
        }
    }

    /** Writes {@code text} to {@code file} through a temporary sibling and an atomic rename. */
    public static void writeAtomically(Path file, String text) {
        writeAtomically(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code bytes} to {@code file} through a temporary sibling and an atomic rename. */
    public static void writeAtomically(Path file, byte[] bytes) {
        Path abs = file.toAbsolutePath().normalize();
        try {
            Files.createDirectories(abs.getParent());
            Path tmp = OutputFolder.newFile(abs.getParent(), "." + abs.getFileName() + ".", ".tmp");
            try {
                Files.write(tmp, bytes);
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw OutputFolder.cannotWrite(file, e);
        }
    }

    /** Copies a finished run folder to {@code dest} through a temporary sibling and an atomic rename. */
    public static void copyFolder(Path source, Path dest) {
        Path abs = dest.toAbsolutePath().normalize();
        try {
            Files.createDirectories(abs.getParent());
            Path tmp = OutputFolder.newDirectory(abs.getParent(), "." + abs.getFileName() + ".tmp-", "");
            try {
                try (Stream<Path> walk = Files.walk(source)) {
                    for (Path p : walk.sorted().toList()) {
                        Path target = tmp.resolve(source.relativize(p).toString());
                        if (Files.isDirectory(p)) {
                            Files.createDirectories(target);
                        } else {
                            Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
                moveIntoPlace(tmp, abs);
            } finally {
                deleteTree(tmp);
            }
        } catch (IOException e) {
            throw OutputFolder.cannotWrite(dest, e);
        }
    }

    /**
     * Deletes what a killed writer of {@code target} left beside it: the hidden temporary
     * folders and files this class names after it ({@code .NAME.tmp-*}, {@code .NAME.old-*},
     * {@code .NAME.*.tmp}). Nothing else is touched, so writers of other targets in the same
     * folder (shards of one sweep running side by side) are safe; only the one writer of
     * {@code target} may call it.
     */
    public static void deleteLeftoversOf(Path target) {
        Path abs = target.toAbsolutePath().normalize();
        deleteMatching(abs.getParent(), "." + abs.getFileName() + ".");
    }

    /** Deletes every hidden temporary entry directly in {@code dir} (not below it); for its one writer only. */
    public static void deleteLeftoversIn(Path dir) {
        deleteMatching(dir.toAbsolutePath().normalize(), ".");
    }

    private static void deleteMatching(Path dir, String prefix) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        // a listing, not a walk: entries of other writers may be renamed away while it runs
        try (Stream<Path> list = Files.list(dir)) {
            for (Path p : list.toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith(prefix) && (name.contains(".tmp-") || name.contains(".old-") || name.endsWith(".tmp"))) {
                    deleteTree(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + dir + ": " + e.getMessage(), e);
        }
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }
}
