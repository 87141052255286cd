package org.protsim.core.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.protsim.core.InputError;
import org.protsim.core.RandomStreams;
import org.protsim.core.config.ConfigLoader;
import org.protsim.core.config.ConfigPaths;

import java.nio.file.Path;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A parameter sweep: a base run config, axes (config paths, each with a list of values) whose
 * cartesian product gives the points, and a number of replications of every point, each with
 * its own seed derived from (base seed, replication). Read strictly, like run configs:
 *
 * <pre>
 * {"base": {...run config...},          // or "baseConfig": "base.json" (relative to the spec)
 *  "axes": {"model.name": ["conventional", "pcid"], "machine.tlb.l2.entries": [1024, 2048]},
 *  "replications": 3}
 * </pre>
 * Points are numbered in the order of nested loops over the axes as written (the first axis
 * outermost); runs are numbered point by point, replications innermost.
 */
public final class SweepSpec {
    private static final Set<String> KEYS = Set.of("base", "baseConfig", "axes", "replications");

    private final ObjectNode base;
    private final LinkedHashMap<String, List<JsonNode>> axes;
    private final int replications;
    private final List<String> names;
    private final List<List<JsonNode>> values;
    private final int pointCount;
    private Path baseConfigFile;

    /** The most runs (points x replications) a sweep may have: a million runs of even 1 ms each is a CPU-day. */
    public static final int MAX_RUNS = 1_000_000;

    /** An axis path: config keys separated by dots, each with optional list indices, nothing else (no spaces). */
    private static final java.util.regex.Pattern PATH =
            java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\[[0-9]+])*(\\.[A-Za-z_][A-Za-z0-9_]*(\\[[0-9]+])*)*");

    /** One combination of axis values. */
    public record Point(int index, LinkedHashMap<String, JsonNode> values) {
        public String id(int total) {
            return String.format("p%0" + Math.max(4, String.valueOf(total - 1).length()) + "d", index);
        }
    }

    /** One replication of one point. */
    public record Run(int index, Point point, int replication) {
    }

    /**
     * Points and runs are not built here but on demand ({@link #points()}, {@link #runs()} are
     * views), so a spec takes memory in proportion to its axis values, not its points.
     *
     * @throws InputError when points x replications exceeds {@link #MAX_RUNS}
     */
    public SweepSpec(ObjectNode base, LinkedHashMap<String, List<JsonNode>> axes, int replications) {
        this.base = base;
        this.axes = axes;
        this.replications = replications;
        this.names = List.copyOf(axes.keySet());
        this.values = names.stream().map(axes::get).map(List::copyOf).toList();
        long points = 1;
        long runs;
        try {
            for (List<JsonNode> v : values) {
                points = Math.multiplyExact(points, v.size());
            }
            runs = Math.multiplyExact(points, replications);
        } catch (ArithmeticException e) {
            runs = Long.MAX_VALUE;
        }
        if (runs > MAX_RUNS) {
            StringBuilder sizes = new StringBuilder();
            for (List<JsonNode> v : values) {
                sizes.append(sizes.length() == 0 ? "" : " x ").append(v.size());
            }
            throw new InputError("axes " + sizes + " values x " + replications + " replications is "
                    + (runs == Long.MAX_VALUE ? "more than " + Long.MAX_VALUE : String.format(java.util.Locale.ROOT, "%,d", runs))
                    + " runs, more than the limit of " + String.format(java.util.Locale.ROOT, "%,d", MAX_RUNS)
                    + ": split the sweep or use fewer values");
        }
        this.pointCount = (int) points;
    }

    /** Reads {@code file}; every problem is an {@link InputError} naming the file and the JSON path. */
    public static SweepSpec load(Path file) {
        JsonNode tree = ConfigLoader.readTree(file);
        String where = file.toString();
        Iterator<String> names = tree.fieldNames();
        while (names.hasNext()) {
            String k = names.next();
            if (!KEYS.contains(k)) {
                throw new InputError(where + ": " + k + ": unknown key (known keys: axes, base, baseConfig, replications)");
            }
        }
        if (tree.has("base") && tree.has("baseConfig")) {
            throw new InputError(where + ": base and baseConfig: give one or the other");
        }
        ObjectNode base;
        if (tree.has("baseConfig")) {
            JsonNode p = tree.get("baseConfig");
            if (!p.isTextual()) {
                throw new InputError(where + ": baseConfig: expected a file name");
            }
            Path resolved = file.toAbsolutePath().getParent().resolve(p.asText());
            base = (ObjectNode) ConfigLoader.readTree(resolved);
        } else if (tree.has("base")) {
            if (!tree.get("base").isObject()) {
                throw new InputError(where + ": base: expected an object (a run config)");
            }
            base = (ObjectNode) tree.get("base").deepCopy();
        } else {
            base = ConfigLoader.object();
        }
        JsonNode ax = tree.get("axes");
        if (ax == null || !ax.isObject() || ax.size() == 0) {
            throw new InputError(where + ": axes: expected an object with at least one axis");
        }
        LinkedHashMap<String, List<JsonNode>> axes = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = ax.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String path = e.getKey();
            if (!PATH.matcher(path).matches()) {
                throw new InputError(where + ": axis " + org.protsim.core.config.ConfigLoader.strictMapper().getNodeFactory()
                        .textNode(path) + ": not a config path (keys joined by dots, e.g. machine.tlb.l2.entries, "
                        + "nothing else: no spaces)");
            }
            if (!e.getValue().isArray() || e.getValue().size() == 0) {
                throw new InputError(where + ": axis " + path + ": expected a non-empty list of values");
            }
            if (path.equals("seed")) {
                throw new InputError(where + ": axis seed: seeds come from replications, not an axis");
            }
            List<JsonNode> values = new ArrayList<>();
            for (JsonNode v : e.getValue()) {
                if (values.contains(v)) {
                    throw new InputError(where + ": axis " + path + ": value " + v + " appears twice");
                }
                values.add(v);
            }
            axes.put(path, values);
        }
        int replications = 1;
        if (tree.has("replications")) {
            JsonNode r = tree.get("replications");
            if (!r.canConvertToInt() || !r.isIntegralNumber() || r.asInt() < 1 || r.asInt() > 100_000) {
                throw new InputError(where + ": replications: " + r + " must be an integer in 1..100000");
            }
            replications = r.asInt();
        }
        SweepSpec s;
        try {
            s = new SweepSpec(base, axes, replications);
        } catch (InputError e) {
            throw new InputError(where + ": " + e.getMessage());
        }
        if (tree.has("baseConfig")) {
            s.baseConfigFile = file.toAbsolutePath().getParent().resolve(tree.get("baseConfig").asText()).normalize();
        }
        return s;
    }

    /** Point {@code index}: the digits of the index in the mixed radix of the axis lengths, the last axis fastest. */
    public Point point(int index) {
        Objects.checkIndex(index, pointCount);
        JsonNode[] chosen = new JsonNode[names.size()];
        int rest = index;
        for (int a = names.size() - 1; a >= 0; a--) {
            List<JsonNode> v = values.get(a);
            chosen[a] = v.get(rest % v.size());
            rest /= v.size();
        }
        LinkedHashMap<String, JsonNode> m = new LinkedHashMap<>();
        for (int a = 0; a < names.size(); a++) {
            m.put(names.get(a), chosen[a]);
        }
        return new Point(index, m);
    }

    /** The file the base config was read from ({@code baseConfig}), or null when the spec holds it. */
    public Path baseConfigFile() {
        return baseConfigFile;
    }

    public ObjectNode base() {
        return base.deepCopy();
    }

    public Map<String, List<JsonNode>> axes() {
        return axes;
    }

    public List<String> axisNames() {
        return List.copyOf(axes.keySet());
    }

    public int replications() {
        return replications;
    }

    /** Every point, in order: a view that builds each point when asked. */
    public List<Point> points() {
        return new AbstractList<>() {
            @Override
            public Point get(int i) {
                return point(i);
            }

            @Override
            public int size() {
                return pointCount;
            }
        };
    }

    public int runCount() {
        return pointCount * replications;
    }

    /** Every run, point by point, replications innermost: a view that builds each run when asked. */
    public List<Run> runs() {
        return new AbstractList<>() {
            @Override
            public Run get(int i) {
                Objects.checkIndex(i, runCount());
                return new Run(i, point(i / replications), i % replications);
            }

            @Override
            public int size() {
                return runCount();
            }
        };
    }

    /** The runs of shard {@code k} of {@code n}: every n-th run from the k-th, a deterministic, disjoint slice. */
    public List<Run> shard(int k, int n) {
        List<Run> all = runs();
        int size = k >= all.size() ? 0 : (all.size() - k + n - 1) / n;
        return new AbstractList<>() {
            @Override
            public Run get(int j) {
                Objects.checkIndex(j, size);
                return all.get(k + j * n);
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    /** The {@code path=value} overrides that make run {@code r}'s config from the base. */
    public List<String> overrides(Run r, long baseSeed) {
        List<String> o = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : r.point().values().entrySet()) {
            o.add(e.getKey() + "=" + e.getValue().toString());
        }
        o.add("seed=" + seed(baseSeed, r.replication()));
        return o;
    }

    /** Replication r's seed, from the base config's seed (RandomStreams.replicationSeed). */
    public static long seed(long baseSeed, int replication) {
        return RandomStreams.replicationSeed(baseSeed, replication);
    }

    /** The base config's seed, or the default seed. */
    public long baseSeed() {
        JsonNode s = ConfigPaths.get(base, "seed");
        return s != null && s.canConvertToLong() ? s.asLong() : org.protsim.core.config.RunConfig.DEFAULT_SEED;
    }

    /** The spec with its base inlined, in a stable form: what a sweep folder records (spec.json). */
    public String canonicalJson() {
        ObjectMapper m = ConfigLoader.strictMapper();
        ObjectNode root = m.createObjectNode();
        root.set("base", base.deepCopy());
        ObjectNode ax = root.putObject("axes");
        axes.forEach((k, vs) -> {
            ArrayNode a = ax.putArray(k);
            vs.forEach(a::add);
        });
        root.put("replications", replications);
        try {
            return m.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads a spec back from a folder's spec.json (its base already inlined). */
    public static SweepSpec fromCanonical(Path specJson) {
        return load(specJson);
    }
}
