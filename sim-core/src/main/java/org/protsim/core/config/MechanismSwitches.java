package org.protsim.core.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernel mechanism switches in config trees, for {@link ConfigLoader}: each switch's defaults
 * chosen by the mode the user names ({@link MechanismTypes}), the switch bound to that mode's
 * record, and the records written back beside the kernel's own keys.
 */
final class MechanismSwitches {
    /** Binds a tree to a record, or throws the loader's {@link ConfigException} (paths relative to the tree). */
    interface Binder {
        <T> T bind(JsonNode tree, Class<T> type);
    }

    private final MechanismTypes types;
    private final ObjectMapper mapper;

    MechanismSwitches(MechanismTypes types, ObjectMapper mapper) {
        this.types = types;
        this.mapper = mapper;
    }

    /**
     * The defaults of every registered switch for the mode the user's {@code kernel} names (none
     * where it names none). A key under {@code kernel} that is neither the kernel's own nor a
     * registered switch is refused here, listing both.
     */
    ObjectNode defaults(JsonNode userKernel) {
        ObjectNode out = ConfigLoader.object();
        Map<String, JsonNode> given = new LinkedHashMap<>();
        if (userKernel instanceof ObjectNode k) {
            k.fields().forEachRemaining(f -> given.put(f.getKey(), f.getValue()));
        }
        List<String> own = Arrays.stream(KernelConfig.class.getRecordComponents()).map(RecordComponent::getName)
                .filter(n -> !n.equals("mechanisms")).toList();
        for (String key : given.keySet()) {
            if (!own.contains(key) && !types.switches().contains(key)) {
                throw new ConfigException("kernel." + key, "unknown key (known keys: "
                        + String.join(", ", own.stream().sorted().toList()) + "; mechanism switches: "
                        + (types.switches().isEmpty() ? "none registered"
                        : String.join(", ", types.sortedSwitches())) + ")");
            }
        }
        for (String s : types.switches()) {
            JsonNode u = given.get(s);
            String mode = MechanismConfig.NONE;
            if (u != null && u.isObject() && u.has("mode")) {
                mode = modeOf(s, u);
            }
            out.set(s, mapper.valueToTree(types.defaults(s, mode)));
        }
        return out;
    }

    /**
     * Binds every registered switch under {@code kernel} of the merged tree to the record of its mode
     * and takes it out of the tree (KernelConfig's own keys are left for Jackson). The mode was
     * checked when the defaults were chosen; an override applied after could still name another.
     */
    Map<String, MechanismConfig> bind(ObjectNode merged, Binder binder) {
        Map<String, MechanismConfig> out = new LinkedHashMap<>();
        if (!(merged.get("kernel") instanceof ObjectNode kernel)) {
            return out; // "kernel": 5 and the like: binding the whole tree says what is wrong
        }
        for (String s : types.switches()) {
            String path = "kernel." + s;
            JsonNode node = kernel.remove(s);
            if (!(node instanceof ObjectNode)) {
                throw new ConfigException(path, "expected an object {\"mode\": ...}, got " + ConfigLoader.describeValue(node));
            }
            MechanismConfig d = types.defaults(s, modeOf(s, node));
            try {
                out.put(s, binder.bind(node, d.getClass()));
            } catch (ConfigException e) {
                throw e.under(path);
            }
        }
        return out;
    }

    /** The mode {@code node} names for switch {@code s}, which must be registered. */
    private String modeOf(String s, JsonNode node) {
        JsonNode mode = node.get("mode");
        if (mode == null || !mode.isTextual() || types.defaults(s, mode.asText()) == null) {
            throw new ConfigException("kernel." + s + ".mode", ConfigLoader.describeValue(mode) + " is not one of "
                    + String.join(", ", types.modes(s)));
        }
        return mode.asText();
    }

    /** Writes every switch of {@code kernel} into {@code kernelTree}, in their order, after the kernel's own keys. */
    void write(ObjectNode kernelTree, KernelConfig kernel) {
        kernel.mechanisms().forEach((s, c) -> kernelTree.set(s, mapper.valueToTree(c)));
    }
}
