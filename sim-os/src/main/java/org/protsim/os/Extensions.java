package org.protsim.os;

import org.protsim.core.InputError;
import org.protsim.core.config.RunConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The protection models and kernel mechanisms a kernel can be built with, by name: what the
 * {@link ModelProvider}s and {@link MechanismProvider}s on a class path make. A name two
 * providers claim is an error, so no plugin silently replaces a built-in.
 */
public final class Extensions {
    private final TreeMap<String, ModelProvider> models = new TreeMap<>();
    private final TreeMap<String, MechanismProvider> mechanisms = new TreeMap<>(); // "switch/mode"

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
        for (String mode : p.modes()) {
            String key = p.switchName() + "/" + mode;
            if (mode.equals(KernelMechanism.NONE)) {
                throw new IllegalStateException(p.getClass().getName() + ": mode none is reserved (no mechanism)");
            }
            MechanismProvider old = mechanisms.putIfAbsent(key, p);
            if (old != null && old != p) {
                throw new IllegalStateException("mechanism kernel." + p.switchName() + ".mode " + mode
                        + " is provided by both " + old.getClass().getName() + " and " + p.getClass().getName());
            }
        }
    }

    /** The model names known, sorted. */
    public List<String> modelNames() {
        return List.copyOf(models.keySet());
    }

    /** The mechanisms known, as "switch/mode", sorted. */
    public List<String> mechanismNames() {
        return List.copyOf(mechanisms.keySet());
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
        if (mode.equals(KernelMechanism.NONE)) {
            for (var e : mechanisms.entrySet()) {
                if (e.getKey().startsWith(switchName + "/")) {
                    return e.getValue().createOff(config);
                }
            }
            return null;
        }
        MechanismProvider p = mechanisms.get(switchName + "/" + mode);
        if (p == null) {
            List<String> known = new ArrayList<>(List.of(KernelMechanism.NONE));
            mechanisms.keySet().stream().filter(k -> k.startsWith(switchName + "/"))
                    .forEach(k -> known.add(k.substring(switchName.length() + 1)));
            throw new InputError("kernel." + switchName + ".mode: \"" + mode + "\" is not one of "
                    + String.join(", ", known));
        }
        return p.create(mode, config);
    }
}
