package org.protsim.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * Dotted JSON paths ({@code machine.tlb.l1d.entries}, {@code workload.libraries[0].textPages})
 * into config trees: how {@code --set} and sweep axes change one value.
 */
public final class ConfigPaths {
    private static final ObjectMapper PLAIN = new ObjectMapper();

    private ConfigPaths() {
    }

    /** Applies {@code path=value} overrides in order; a value that is not JSON is taken as a string. */
    public static void applyOverrides(JsonNode root, List<String> overrides) {
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("--set " + o, "expected path=value, e.g. machine.cpus=4");
            }
            set(root, o.substring(0, eq).trim(), parseValue(o.substring(eq + 1)));
        }
    }

    /** JSON if it parses as JSON (numbers, true/false, quoted strings, objects, lists), else the text itself. */
    public static JsonNode parseValue(String text) {
        try {
            JsonNode n = PLAIN.readTree(text);
            if (n != null && !n.isMissingNode()) {
                return n;
            }
        } catch (JsonProcessingException e) {
            // not JSON: a bare word such as pcid
        }
        return JsonNodeFactory.instance.textNode(text);
    }

    /** Sets the value at {@code path}, creating objects on the way; the path is checked later, when binding. */
    public static void set(JsonNode root, String path, JsonNode value) {
        List<Object> steps = parse(path);
        JsonNode node = root;
        for (int i = 0; i < steps.size(); i++) {
            Object step = steps.get(i);
            boolean last = i == steps.size() - 1;
            if (step instanceof String key) {
                if (!(node instanceof ObjectNode obj)) {
                    throw new ConfigException(prefix(steps, i), "is not an object, cannot set " + path);
                }
                if (last) {
                    obj.set(key, value);
                    return;
                }
                JsonNode child = obj.get(key);
                if (child == null || child.isNull()) {
                    child = steps.get(i + 1) instanceof Integer ? obj.putArray(key) : obj.putObject(key);
                }
                node = child;
            } else {
                int index = (Integer) step;
                if (!(node instanceof ArrayNode arr) || index >= arr.size()) {
                    throw new ConfigException(prefix(steps, i + 1), "no such list element, cannot set " + path);
                }
                if (last) {
                    arr.set(index, value);
                    return;
                }
                node = arr.get(index);
            }
        }
    }

    /**
     * True if override {@code path=value} steps through a list element that {@code root} does
     * not hold (so it must wait until the defaults have filled the list in).
     */
    static boolean reachesMissingListElement(JsonNode root, String override) {
        int eq = override.indexOf('=');
        if (eq <= 0) {
            return false;
        }
        JsonNode node = root;
        for (Object step : parse(override.substring(0, eq).trim())) {
            if (step instanceof Integer i) {
                if (node == null || !node.isArray() || i >= node.size()) {
                    return true;
                }
                node = node.get(i);
            } else {
                node = node == null ? null : node.get((String) step);
            }
        }
        return false;
    }

    /** The value at {@code path}, or null. */
    public static JsonNode get(JsonNode root, String path) {
        JsonNode node = root;
        for (Object step : parse(path)) {
            if (node == null) {
                return null;
            }
            node = step instanceof String key ? node.get(key) : node.get((Integer) step);
        }
        return node;
    }

    static List<Object> parse(String path) {
        List<Object> steps = new ArrayList<>();
        if (path.isEmpty()) {
            throw new ConfigException(path, "empty path");
        }
        for (String part : path.split("\\.", -1)) {
            int bracket = part.indexOf('[');
            String key = bracket < 0 ? part : part.substring(0, bracket);
            if (key.isEmpty()) {
                throw new ConfigException(path, "malformed path");
            }
            steps.add(key);
            while (bracket >= 0) {
                int close = part.indexOf(']', bracket);
                if (close < 0) {
                    throw new ConfigException(path, "malformed path: missing ]");
                }
                try {
                    steps.add(Integer.parseInt(part.substring(bracket + 1, close)));
                } catch (NumberFormatException e) {
                    throw new ConfigException(path, "malformed path: list index must be a number");
                }
                bracket = part.indexOf('[', close);
                if (bracket < 0 && close != part.length() - 1) {
                    throw new ConfigException(path, "malformed path");
                }
            }
        }
        return steps;
    }

    private static String prefix(List<Object> steps, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            Object s = steps.get(i);
            if (s instanceof String k) {
                if (sb.length() > 0) {
                    sb.append('.');
                }
                sb.append(k);
            } else {
                sb.append('[').append(s).append(']');
            }
        }
        return sb.toString();
    }
}
