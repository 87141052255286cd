package org.protsim.os;

import org.protsim.core.InputError;
import org.protsim.core.config.MechanismConfig;
import org.protsim.core.config.MechanismTypes;
import org.protsim.core.config.RunConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The protection models and kernel mechanisms a kernel can be built with, by name: what the
 * {@link ModelProvider}s and {@link MechanismProvider}s on a class path make. A name two
 * providers claim is an error, so no plugin silently replaces a built-in. Switches keep the order
 * their first provider was found in (protsim's own first, as its services file lists them), which
 * is the order the kernel calls their mechanisms in.
 */
public final class Extensions {
    private final TreeMap<String, ModelProvider> models = new TreeMap<>();
    // switch → mode → provider, in discovery order
    private final Map<String, Map<String, MechanismProvider>> mechanisms = new LinkedHashMap<>();
    private final Map<String, MechanismProvider> offProviders = new LinkedHashMap<>();

    /** The providers {@code loader} finds through {@link ServiceLoader}. */
    public static Extensions load(ClassLoader loader) {
        Extensions e = new Extensions();
        ServiceLoader.load(ModelProvider.class, loader).forEach(e::add);
        ServiceLoader.load(MechanismProvider.class, loader).forEach(e::add);
        return e;
    }

    /** The providers on sim-os's own class path (the built-in models, and any plugin beside them). */
    public static Extensions builtIn() {
        return load(Extensions.class.getClassLoader());
    }

    public void add(ModelProvider p) {
        for (String name : p.names()) {
            ModelProvider old = models.putIfAbsent(name, p);
            if (old != null && old != p) {
                throw new IllegalStateException("model " + name + " is provided by both "
                        + old.getClass().getName() + " and " + p.getClass().getName());
            }
        }
    }

    public void add(MechanismProvider p) {
        String s = p.switchName();
        if (s == null || !s.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalStateException(p.getClass().getName() + ": switch name \"" + s
                    + "\" must be lower-case letters, digits and dashes");
        }
        Map<String, MechanismProvider> modes = mechanisms.computeIfAbsent(s, k -> new LinkedHashMap<>());
        for (String mode : p.modes()) {
            if (mode.equals(MechanismConfig.NONE)) {
                throw new IllegalStateException(p.getClass().getName() + ": mode none is reserved (no mechanism)");
            }
            MechanismProvider old = modes.putIfAbsent(mode, p);
            if (old != null && old != p) {
                throw new IllegalStateException("mechanism kernel." + s + ".mode " + mode
                        + " is provided by both " + old.getClass().getName() + " and " + p.getClass().getName());
            }
        }
        if (p.offDefaults() != null) {
            MechanismProvider old = offProviders.putIfAbsent(s, p);
            if (old != null && old != p) {
                throw new IllegalStateException("kernel." + s + " while off (mode none) is configured by both "
                        + old.getClass().getName() + " and " + p.getClass().getName());
            }
        }
    }

    /** The model names known, sorted. */
    public List<String> modelNames() {
        return List.copyOf(models.keySet());
    }

    /** The mechanisms known, as "switch/mode", sorted. */
    public List<String> mechanismNames() {
        List<String> out = new ArrayList<>();
        mechanisms.forEach((s, modes) -> modes.keySet().forEach(m -> out.add(s + "/" + m)));
        out.sort(null);
        return out;
    }

    /** The switches known, in the order the kernel calls their mechanisms. */
    public List<String> switchNames() {
        return List.copyOf(mechanisms.keySet());
    }

    /**
     * The config records of every switch and mode, for the config loader: each provider's defaults,
     * and mode none's from the provider that configures the switch while off.
     */
    public MechanismTypes mechanismTypes() {
        MechanismTypes.Builder b = MechanismTypes.builder();
        try {
            for (Map.Entry<String, Map<String, MechanismProvider>> e : mechanisms.entrySet()) {
                MechanismProvider off = offProviders.get(e.getKey());
                if (off != null) {
                    b.add(e.getKey(), MechanismConfig.NONE, off.offDefaults());
                }
                for (Map.Entry<String, MechanismProvider> m : e.getValue().entrySet()) {
                    b.add(e.getKey(), m.getKey(), m.getValue().defaults(m.getKey()));
                }
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        return b.build();
    }

    ProtectionModel model(String name, RunConfig config) {
        ModelProvider p = models.get(name);
        if (p == null) {
            throw new InputError("model.name: \"" + name + "\" is not one of " + String.join(", ", models.keySet()));
        }
        return p.create(name, config);
    }

    /** The mechanism of {@code mode} for switch {@code switchName}; for mode none, the switch's off mechanism or null. */
    KernelMechanism mechanism(String switchName, String mode, RunConfig config) {
        if (mode.equals(MechanismConfig.NONE)) {
            MechanismProvider off = offProviders.get(switchName);
            return off == null ? null : off.createOff(config);
        }
        Map<String, MechanismProvider> modes = mechanisms.getOrDefault(switchName, Map.of());
        MechanismProvider p = modes.get(mode);
        if (p == null) {
            List<String> known = new ArrayList<>(List.of(MechanismConfig.NONE));
            known.addAll(modes.keySet());
            throw new InputError("kernel." + switchName + ".mode: \"" + mode + "\" is not one of "
                    + String.join(", ", known));
        }
        return p.create(mode, config);
    }
}
