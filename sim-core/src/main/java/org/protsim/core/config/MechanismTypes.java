package org.protsim.core.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The kernel mechanism switches a loader accepts: {@code kernel.<switch>.mode} → defaults (whose
 * class is that mode's config record), the built-in switches and modes registered exactly as a
 * plugin's. Every switch has mode {@link MechanismConfig#NONE}, its default. Switches keep the
 * order they were registered in (the order the kernel calls their mechanisms); modes keep theirs
 * (the order messages list them). Immutable once built.
 */
public final class MechanismTypes {
    private final Map<String, Map<String, MechanismConfig>> switches;

    private MechanismTypes(Map<String, Map<String, MechanismConfig>> switches) {
        this.switches = switches;
    }

    /** No switches at all: a loader that refuses every {@code kernel.<switch>}. */
    public static MechanismTypes none() {
        return new MechanismTypes(Map.of());
    }

    /** Registers switches and modes; {@link Builder#build} adds mode none where no record was registered for it. */
    public static Builder builder() {
        return new Builder();
    }

    /** The switches, in registration order. */
    public List<String> switches() {
        return List.copyOf(switches.keySet());
    }

    /** The modes of {@code switchName}, {@code none} first, or an empty list if there is no such switch. */
    public List<String> modes(String switchName) {
        Map<String, MechanismConfig> m = switches.get(switchName);
        return m == null ? List.of() : List.copyOf(m.keySet());
    }

    /** Defaults of {@code mode} of {@code switchName}, or null if there is no such switch or mode. */
    public MechanismConfig defaults(String switchName, String mode) {
        Map<String, MechanismConfig> m = switches.get(switchName);
        return m == null ? null : m.get(mode);
    }

    /** Every switch's defaults for mode none, in registration order: what a config that names no mode runs. */
    public Map<String, MechanismConfig> offDefaults() {
        Map<String, MechanismConfig> out = new LinkedHashMap<>();
        switches.forEach((s, modes) -> out.put(s, modes.get(MechanismConfig.NONE)));
        return Collections.unmodifiableMap(out);
    }

    /** Builds a {@link MechanismTypes}: switches and modes by name, each mode with its defaults record. */
    public static final class Builder {
        private final Map<String, Map<String, MechanismConfig>> switches = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Registers {@code mode} of {@code switchName} with {@code defaults}, an instance of its config
         * record whose first component is {@code String mode} (= {@code mode}). Mode none may be
         * registered once per switch (with parameters its off mechanism reads); if it is not, it is
         * {@link MechanismConfig.Off}. A mode registered twice is refused.
         */
        public Builder add(String switchName, String mode, MechanismConfig defaults) {
            checkRecord(switchName, mode, defaults);
            Map<String, MechanismConfig> modes = switches.computeIfAbsent(switchName, k -> new LinkedHashMap<>());
            if (modes.putIfAbsent(mode, defaults) != null) {
                throw new IllegalArgumentException("kernel." + switchName + ".mode " + mode + " is registered twice");
            }
            return this;
        }

        public MechanismTypes build() {
            Map<String, Map<String, MechanismConfig>> out = new LinkedHashMap<>();
            for (Map.Entry<String, Map<String, MechanismConfig>> e : switches.entrySet()) {
                Map<String, MechanismConfig> modes = new LinkedHashMap<>();
                modes.put(MechanismConfig.NONE, e.getValue().getOrDefault(MechanismConfig.NONE, MechanismConfig.Off.DEFAULT));
                modes.putAll(e.getValue());
                out.put(e.getKey(), Collections.unmodifiableMap(modes));
            }
            return new MechanismTypes(Collections.unmodifiableMap(out));
        }

        private static void checkRecord(String switchName, String mode, MechanismConfig d) {
            String what = "kernel." + switchName + ".mode " + mode;
            if (d == null || !d.getClass().isRecord()) {
                throw new IllegalArgumentException(what + ": its defaults must be an instance of its config record");
            }
            var components = d.getClass().getRecordComponents();
            if (components.length == 0 || !components[0].getName().equals("mode")
                    || components[0].getType() != String.class) {
                throw new IllegalArgumentException(what + ": the first component of " + d.getClass().getName()
                        + " must be String mode");
            }
            if (!mode.equals(d.mode())) {
                throw new IllegalArgumentException(what + ": its defaults have mode " + d.mode());
            }
        }
    }

    /** The switch names, sorted: for messages. */
    List<String> sortedSwitches() {
        return new ArrayList<>(new TreeSet<>(switches.keySet()));
    }
}
