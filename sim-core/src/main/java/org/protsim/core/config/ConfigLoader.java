package org.protsim.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * Reads run configs strictly: the user's JSON is laid over the full defaults (so every
 * field has a value), then bound to the config records, whose constructors validate. Any
 * unknown key, wrong type or impossible value becomes a {@link ConfigException} naming the
 * JSON path, before anything runs.
 *
 * <p>Defaults depend on choices the user makes: {@code workload.type} picks the workload's record
 * and defaults, {@code model.name} the model's record and defaults, which may change machine
 * defaults (see {@link ProtectionModelConfig#machineDefaults}), and each
 * {@code kernel.<switch>.mode} the record and defaults of that mechanism switch
 * ({@link MechanismTypes}).
 */
public final class ConfigLoader {
    private final WorkloadTypes workloadTypes;
    private final ModelTypes modelTypes;
    private final MechanismTypes mechanismTypes;
    private final MechanismSwitches switchBinder;
    private final List<Consumer<RunConfig>> checks;
    private final ObjectMapper mapper;

    /**
     * A loader of {@code workloadTypes} and the built-in models, with no kernel mechanism switches
     * (their providers live above this module); names of other extensions are not checked.
     */
    public ConfigLoader(WorkloadTypes workloadTypes) {
        this(workloadTypes, ModelTypes.builtin(), MechanismTypes.none(), List.of());
    }

    /**
     * A loader of {@code workloadTypes}, {@code modelTypes} and {@code mechanismTypes} (each record
     * bound by its registered name) that runs {@code checks} on every config it binds: how the
     * modules above this one check what only they know, such as that a TLB names a replacement
     * policy that is registered (a check throws a {@link ConfigException} with the path).
     */
    public ConfigLoader(WorkloadTypes workloadTypes, ModelTypes modelTypes, MechanismTypes mechanismTypes,
                        List<Consumer<RunConfig>> checks) {
        this.workloadTypes = workloadTypes;
        this.modelTypes = modelTypes;
        this.mechanismTypes = mechanismTypes;
        this.checks = List.copyOf(checks);
        this.mapper = strictMapper();
        this.switchBinder = new MechanismSwitches(mechanismTypes, mapper);
        for (Map.Entry<String, WorkloadConfig> e : workloadTypes.all().entrySet()) {
            mapper.registerSubtypes(new NamedType(e.getValue().getClass(), e.getKey()));
        }
        for (Map.Entry<String, ProtectionModelConfig> e : modelTypes.all().entrySet()) {
            mapper.registerSubtypes(new NamedType(e.getValue().getClass(), e.getKey()));
        }
    }

    public WorkloadTypes workloadTypes() {
        return workloadTypes;
    }

    public ModelTypes modelTypes() {
        return modelTypes;
    }

    public MechanismTypes mechanismTypes() {
        return mechanismTypes;
    }

    /** The mapper configured for strict reading and stable, pretty writing. */
    public ObjectMapper mapper() {
        return mapper;
    }

    /** A JSON mapper that refuses coercions, unknown keys and trailing garbage, and writes sorted, indented output. */
    public static ObjectMapper strictMapper() {
        ObjectMapper m = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .build();
        for (LogicalType t : List.of(LogicalType.Textual, LogicalType.Boolean, LogicalType.Integer,
                LogicalType.Float, LogicalType.Enum)) {
            m.coercionConfigFor(t)
                    .setCoercion(CoercionInputShape.Integer, t == LogicalType.Integer || t == LogicalType.Float
                            ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, t == LogicalType.Float ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, t == LogicalType.Boolean ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        }
        return m;
    }

    /** Loads {@code file} (JSON, optionally gzip) with {@code overrides} ({@code path=value}) applied. */
    public RunConfig load(Path file, List<String> overrides) {
        return fromTree(readTree(file), overrides);
    }

    /** Reads a JSON file into a tree; syntax errors name the file, line and column. */
    public static JsonNode readTree(Path file) {
        ObjectMapper m = strictMapper();
        try (InputStream in = open(file)) {
            JsonNode tree = m.readTree(in);
            if (tree == null || tree.isMissingNode()) {
                throw new ConfigException(file.toString(), "empty file, expected a JSON object");
            }
            if (!tree.isObject()) {
                throw new ConfigException(file.toString(), "expected a JSON object at the top level");
            }
            return tree;
        } catch (NoSuchFileException e) {
            throw new ConfigException(file.toString(), "no such file");
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String where = loc == null ? file.toString() : file + ":" + loc.getLineNr() + ":" + loc.getColumnNr();
            throw new ConfigException(where, "invalid JSON: " + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new ConfigException(file.toString(), "cannot read: " + e.getMessage());
        }
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        return file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(in) : in;
    }

    /** Binds a user tree to a validated config, defaults filled in. */
    public RunConfig fromTree(JsonNode user) {
        return fromTree(user, List.of());
    }

    /**
     * Binds a user tree with {@code overrides} ({@code path=value}) applied to a validated config.
     * An override is applied to the user's tree (so it can change {@code workload.type} or
     * {@code model.name}, and with them the defaults); one that names a list element only the
     * defaults hold is applied after the defaults are filled in.
     */
    public RunConfig fromTree(JsonNode user, List<String> overrides) {
        if (!user.isObject()) {
            throw new ConfigException("", "expected a JSON object at the top level");
        }
        ObjectNode own = (ObjectNode) user.deepCopy();
        List<String> deferred = new ArrayList<>();
        for (String o : overrides) {
            if (ConfigPaths.reachesMissingListElement(own, o)) {
                deferred.add(o);
            } else {
                ConfigPaths.applyOverrides(own, List.of(o));
            }
        }
        ObjectNode merged = defaultsTree(own);
        merge(merged, own);
        ConfigPaths.applyOverrides(merged, deferred);
        Map<String, MechanismConfig> switches = switchBinder.bind(merged, this::bind);
        RunConfig config = bind(merged, RunConfig.class);
        config = new RunConfig(config.seed(), config.machine(), config.model(),
                config.kernel().withMechanisms(switches), config.workload(), config.limits());
        for (Consumer<RunConfig> check : checks) {
            check.accept(config);
        }
        return config;
    }

    private <T> T bind(JsonNode tree, Class<T> type) {
        try {
            return mapper.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            throw describe(e, tree);
        } catch (IllegalArgumentException e) {
            // Jackson wraps some binding failures (e.g. from treeToValue) in IllegalArgumentException
            if (e.getCause() instanceof JsonProcessingException jpe) {
                throw describe(jpe, tree);
            }
            throw e;
        }
    }

    /**
     * The fully resolved config as JSON (what {@code config.json} holds). Kernel mechanism
     * switches that are off (mode {@code none}) are left out: reading the file back turns them
     * off again, and configs written before the switches existed stay byte for byte the same.
     */
    public String toJson(RunConfig config) {
        try {
            ObjectNode tree = toTree(config);
            JsonNode kernel = tree.get("kernel");
            if (kernel instanceof ObjectNode k) {
                for (Map.Entry<String, MechanismConfig> e : config.kernel().mechanisms().entrySet()) {
                    if (e.getValue().off()) {
                        k.remove(e.getKey());
                    }
                }
            }
            return mapper.writeValueAsString(tree) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The fully resolved config as a tree: the mechanism switches after the kernel's own keys, in their order. */
    public ObjectNode toTree(RunConfig config) {
        ObjectNode tree = mapper.valueToTree(config);
        if (tree.get("kernel") instanceof ObjectNode k) {
            switchBinder.write(k, config.kernel());
        }
        return tree;
    }

    private ObjectNode defaultsTree(JsonNode user) {
        String type = workloadTypes.defaultType();
        JsonNode w = user.get("workload");
        if (w != null && w.isObject() && w.has("type")) {
            JsonNode t = w.get("type");
            if (!t.isTextual() || workloadTypes.defaults(t.asText()) == null) {
                throw new ConfigException("workload.type", describeValue(t) + " is not one of "
                        + String.join(", ", workloadTypes.all().keySet()));
            }
            type = t.asText();
        }
        ProtectionModelConfig model = modelTypes.defaults(ModelTypes.DEFAULT_MODEL);
        JsonNode m = user.get("model");
        if (m != null && m.isObject() && m.has("name")) {
            JsonNode n = m.get("name");
            model = n.isTextual() ? modelTypes.defaults(n.asText()) : null;
            if (model == null) {
                throw new ConfigException("model.name", describeValue(n) + " is not one of "
                        + String.join(", ", modelTypes.all().keySet()));
            }
        }
        ObjectNode tree = toTree(RunConfig.defaults(model, workloadTypes.defaults(type)));
        ((ObjectNode) tree.get("kernel")).setAll(switchBinder.defaults(user.get("kernel")));
        return tree;
    }

    /** Lays {@code user} over {@code target}: objects merge key by key, anything else replaces. */
    private static void merge(ObjectNode target, JsonNode user) {
        Iterator<Map.Entry<String, JsonNode>> fields = user.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            JsonNode existing = target.get(f.getKey());
            if (existing instanceof ObjectNode eo && f.getValue().isObject()) {
                merge(eo, f.getValue());
            } else {
                target.set(f.getKey(), f.getValue().deepCopy());
            }
        }
    }

    private ConfigException describe(JsonProcessingException e, JsonNode tree) {
        if (e instanceof JsonMappingException jme) {
            String path = pathOf(jme.getPath());
            if (e instanceof ValueInstantiationException vie && vie.getCause() instanceof ConfigException ce) {
                return ce.under(path);
            }
            if (e instanceof ValueInstantiationException vie && vie.getCause() != null) {
                return new ConfigException(path, String.valueOf(vie.getCause().getMessage()));
            }
            if (e instanceof UnrecognizedPropertyException upe) {
                Collection<Object> known = upe.getKnownPropertyIds();
                List<String> names = new ArrayList<>();
                if (known != null) {
                    known.forEach(k -> names.add(String.valueOf(k)));
                }
                names.sort(null);
                return new ConfigException(path, "unknown key" + (names.isEmpty() ? "" : " (known keys: "
                        + String.join(", ", names) + ")"));
            }
            if (e instanceof InvalidFormatException ife && ife.getTargetType() != null && ife.getTargetType().isEnum()) {
                return new ConfigException(path, describeValue(nodeAt(tree, jme.getPath())) + " is not one of "
                        + enumValues(ife.getTargetType()));
            }
            if (e instanceof MismatchedInputException mie) {
                JsonNode actual = nodeAt(tree, jme.getPath());
                if (actual == null || actual.isNull()) {
                    return new ConfigException(path, actual == null ? "missing" : "must not be null");
                }
                return new ConfigException(path, "expected " + expected(mie.getTargetType()) + ", got "
                        + describeValue(actual));
            }
            return new ConfigException(path, e.getOriginalMessage().lines().findFirst().orElse("invalid"));
        }
        return new ConfigException("", e.getOriginalMessage());
    }

    /** "machine.tlb.l1d.ways", "workload.libraries[1].name". */
    static String pathOf(List<JsonMappingException.Reference> refs) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static JsonNode nodeAt(JsonNode root, List<JsonMappingException.Reference> refs) {
        JsonNode n = root;
        for (JsonMappingException.Reference r : refs) {
            if (n == null) {
                return null;
            }
            n = r.getFieldName() != null ? n.get(r.getFieldName()) : n.get(r.getIndex());
        }
        return n;
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "a different value";
        }
        if (type == int.class || type == long.class || type == Integer.class || type == Long.class
                || type == short.class || type == byte.class) {
            return "an integer";
        }
        if (type == double.class || type == float.class || type == Double.class || type == Float.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type.isEnum()) {
            return "one of " + enumValues(type);
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        return "an object";
    }

    private static String enumValues(Class<?> type) {
        return Arrays.stream(type.getEnumConstants()).map(c -> {
            try {
                return (String) type.getMethod("json").invoke(c);
            } catch (ReflectiveOperationException ex) {
                return c.toString();
            }
        }).collect(Collectors.joining(", "));
    }

    static String describeValue(JsonNode n) {
        if (n == null) {
            return "nothing";
        }
        if (n.isTextual()) {
            return "\"" + n.asText() + "\"";
        }
        if (n.isObject()) {
            return "an object";
        }
        if (n.isArray()) {
            return "a list";
        }
        if (n.isBoolean()) {
            return n.asText();
        }
        if (n.isNull()) {
            return "null";
        }
        return n.toString();
    }

    /** An empty object node, for callers building configs in code. */
    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }
}
