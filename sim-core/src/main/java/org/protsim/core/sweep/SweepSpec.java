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
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    private final List<Point> points = new ArrayList<>();

    /** One combination of axis values. */
    public record Point(int index, LinkedHashMap<String, JsonNode> values) {
        public String id(int total) {
            return String.format("p%0" + Math.max(4, String.valueOf(total - 1).length()) + "d", index);
        }
    }

    /** One replication of one point. */
    public record Run(int index, Point point, int replication) {
    }

    public SweepSpec(ObjectNode base, LinkedHashMap<String, List<JsonNode>> axes, int replications) {
        this.base = base;
        this.axes = axes;
        this.replications = replications;
        expand(new ArrayList<>(axes.keySet()), 0, new LinkedHashMap<>());
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
        SweepSpec s = new SweepSpec(base, axes, replications);
        if ((long) s.points.size() * replications > 10_000_000) {
            throw new InputError(where + ": " + s.points.size() + " points x " + replications + " replications is too many runs");
        }
        return s;
    }

    private void expand(List<String> names, int depth, LinkedHashMap<String, JsonNode> chosen) {
        if (depth == names.size()) {
            points.add(new Point(points.size(), new LinkedHashMap<>(chosen)));
            return;
        }
        for (JsonNode v : axes.get(names.get(depth))) {
            chosen.put(names.get(depth), v);
            expand(names, depth + 1, chosen);
            chosen.remove(names.get(depth));
        }
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

    public List<Point> points() {
        return List.copyOf(points);
    }

    public int runCount() {
        return points.size() * replications;
    }

    public List<Run> runs() {
        List<Run> out = new ArrayList<>(runCount());
        for (Point p : points) {
            for (int r = 0; r < replications; r++) {
                out.add(new Run(out.size(), p, r));
            }
        }
        return out;
    }

    /** The runs of shard {@code k} of {@code n}: every n-th run from the k-th, a deterministic, disjoint slice. */
    public List<Run> shard(int k, int n) {
        List<Run> out = new ArrayList<>();
        for (Run r : runs()) {
            if (r.index() % n == k) {
                out.add(r);
            }
        }
        return out;
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
