package org.protsim.validate;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.protsim.core.InputError;
import org.protsim.core.config.ConfigLoader;
import org.protsim.core.config.CoreConfig;
import org.protsim.core.config.MachineConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * {@code protsim validate}: every {@link Experiment} of the suite under both core models, its
 * prediction against the published figure, the ratio and whether it lies in the experiment's
 * band. Primitive costs (docs/hardware-costs.md) go into the machine; what is compared here comes out of
 * the simulation. A calibrated figure leaving its band is a failure ({@link #broken}); a
 * predicted one leaving it is a finding, reported.
 */
public final class Validation {
    /** The suite; an experiment is one class and one line here. */
    public static final List<Experiment> SUITE = List.of(
            new ForkPerGib(),
            new PcidPingPong(false),
            new PcidPingPong(true),
            new PcidSwitchSaving("small", ", \"privatePages\": 8, \"libraries\": [{\"name\": \"ld.so\", "
                    + "\"textPages\": 8}, {\"name\": \"libc\", \"textPages\": 24}]"),
            new PcidSwitchSaving("default", ""),
            new ShootdownLatency(0, 0.7),
            new ShootdownLatency(1, 1.4),
            new ShootdownLatency(3, 1.6),
            new ShootdownRemotePart(),
            new NullSyscall(),
            new StrictIommuUnmap(),
            new SyscallsPerIo(SyscallsPerIo.Interface.LIBAIO),
            new SyscallsPerIo(SyscallsPerIo.Interface.SAVED_BY_IO_URING));

    /** The core models every experiment runs under, the default first. */
    public static final List<CoreConfig> CORES = List.of(CoreConfig.SERIAL, CoreConfig.INTERVAL);

    /** One experiment's prediction under one core model. */
    public record Prediction(String core, double value, double ratio, boolean inBand) {
    }

    /** One experiment: the published figure, its basis, its band, and the predictions. */
    public record Row(String id, Published published, Basis basis, String basisNote, double bandLow, double bandHigh,
                      List<Prediction> predictions) {
        public Prediction under(String core) {
            return predictions.stream().filter(p -> p.core().equals(core)).findFirst().orElseThrow();
        }
    }

    private Validation() {
    }

    /**
     * The experiments of {@link #SUITE} named in {@code ids}, in the suite's order; all of them when
     * {@code ids} is null or empty. An id that names none is bad input.
     */
    public static List<Experiment> select(List<String> ids) {
        if (ids == null || ids.isEmpty()) {
            return SUITE;
        }
        for (String id : ids) {
            if (SUITE.stream().noneMatch(e -> e.id().equals(id))) {
                throw new InputError("--only: no experiment " + id + " (known: "
                        + String.join(", ", SUITE.stream().map(Experiment::id).toList()) + ")");
            }
        }
        return SUITE.stream().filter(e -> ids.contains(e.id())).toList();
    }

    /** Runs {@code suite} under {@link #CORES} on {@code threads} threads; {@code done} hears of each run finished. */
    public static List<Row> run(List<Experiment> suite, boolean quick, int threads, Consumer<String> done) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<List<Future<Double>>> futures = new ArrayList<>();
            for (Experiment e : suite) {
                List<Future<Double>> perCore = new ArrayList<>();
                for (CoreConfig core : CORES) {
                    perCore.add(pool.submit(() -> {
                        double v = e.predict(core, quick);
                        done.accept(e.id() + " (" + core.model().json() + ")");
                        return v;
                    }));
                }
                futures.add(perCore);
            }
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < suite.size(); i++) {
                Experiment e = suite.get(i);
                List<Prediction> ps = new ArrayList<>();
                for (int k = 0; k < CORES.size(); k++) {
                    double v = futures.get(i).get(k).get();
                    double ratio = v / e.published().mid();
                    ps.add(new Prediction(CORES.get(k).model().json(), v, ratio,
                            ratio >= e.bandLow() && ratio <= e.bandHigh()));
                }
                rows.add(new Row(e.id(), e.published(), e.basis(), e.basisNote(), e.bandLow(), e.bandHigh(),
                        List.copyOf(ps)));
            }
            return rows;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", ex);
        } catch (ExecutionException ex) {
            if (ex.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(ex.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** The calibrated figures that left their band under the default core model: each is a failure. */
    public static List<Row> broken(List<Row> rows) {
        return broken(rows, MachineConfig.DEFAULT.core().model().json());
    }

    /** The calibrated figures that left their band under {@code core}. */
    public static List<Row> broken(List<Row> rows, String core) {
        return rows.stream().filter(r -> r.basis() == Basis.CALIBRATED && !r.under(core).inBand()).toList();
    }

    /** The table as Markdown, both core models side by side. */
    public static String markdown(List<Row> rows, boolean quick) {
        StringBuilder s = new StringBuilder();
        s.append("| experiment | published | condition | source | basis | band (ratio) |");
        for (CoreConfig c : CORES) {
            s.append(' ').append(c.model().json()).append(" | ratio |");
        }
        s.append('\n').append("|---|---:|---|---|---|---|");
        for (int i = 0; i < CORES.size(); i++) {
            s.append("---:|---:|");
        }
        s.append('\n');
        for (Row r : rows) {
            s.append("| ").append(r.published().quantity()).append(" | ").append(r.published().text())
                    .append(" | ").append(r.published().condition()).append(" | ").append(r.published().source())
                    .append(" | ").append(r.basis().json()).append(": ").append(r.basisNote()).append(" | ")
                    .append(fixed(r.bandLow())).append("–").append(fixed(r.bandHigh())).append(" |");
            for (Prediction p : r.predictions()) {
                s.append(' ').append(number(p.value())).append(' ').append(r.published().unit()).append(" | ")
                        .append(fixed(p.ratio())).append(p.inBand() ? "" : " (out)").append(" |");
            }
            s.append('\n');
        }
        if (quick) {
            s.append("\n--quick: smaller instances of each experiment (fewer pages, references and rounds).\n");
        }
        return s.toString();
    }

    /** A plain table for the terminal. */
    public static String table(List<Row> rows) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%-26s %-11s %10s %-10s", "experiment", "basis", "published", "band"));
        for (CoreConfig c : CORES) {
            s.append(String.format(Locale.ROOT, " %10s %7s", c.model().json(), "ratio"));
        }
        s.append('\n');
        for (Row r : rows) {
            s.append(String.format(Locale.ROOT, "%-26s %-11s %10s %-10s", r.id(), r.basis().json(),
                    r.published().text(), fixed(r.bandLow()) + "-" + fixed(r.bandHigh())));
            for (Prediction p : r.predictions()) {
                s.append(String.format(Locale.ROOT, " %10s %6s%s", number(p.value()), fixed(p.ratio()),
                        p.inBand() ? " " : "*"));
            }
            s.append('\n');
        }
        s.append("* outside the band\n");
        return s.toString();
    }

    public static String json(List<Row> rows, boolean quick) {
        try {
            return ConfigLoader.strictMapper().writeValueAsString(new Report(quick,
                    MachineConfig.DEFAULT.core().model().json(), rows)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** validation.json: the rows, whether they were the quick instances, and the default core model. */
    public record Report(boolean quick, String defaultCore, List<Row> rows) {
    }

    static String number(double v) {
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return Math.abs(v) >= 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    static String fixed(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
