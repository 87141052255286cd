package org.protsim.workloads;

import org.protsim.core.config.ConfigLoader;
import org.protsim.core.config.MechanismTypes;
import org.protsim.core.config.ModelTypes;
import org.protsim.core.config.ProtectionModelConfig;
import org.protsim.core.config.WorkloadConfig;
import org.protsim.core.config.WorkloadTypes;
import org.protsim.core.plugin.PluginException;
import org.protsim.core.plugin.PluginJars;
import org.protsim.core.plugin.Registry;
import org.protsim.hw.replacement.ReplacementPolicies;
import org.protsim.hw.replacement.ReplacementPolicy;
import org.protsim.os.Extensions;
import org.protsim.os.ModelProvider;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Everything a run may be built from, by name: the providers of every extension point (replacement
 * policies, workload types, protection models, kernel mechanisms), found by {@link java.util.ServiceLoader} among protsim's own classes
 * and any plugin jars, and the config loader that knows their config records. Immutable; one
 * instance serves any number of runs, in parallel too.
 */
public final class Plugins {
    /** The workload type of a config that names none: the one that needs no input. */
    public static final String DEFAULT_WORKLOAD = TimerConfig.TYPE;

    private static final class Builtin {
        static final Plugins INSTANCE = new Plugins(PluginJars.none());
    }

    private final PluginJars jars;
    private final Registry<ReplacementPolicy> replacementPolicies;
    private final Registry<WorkloadProvider> workloads;
    private final Map<Class<?>, WorkloadProvider> workloadByRecord = new HashMap<>();
    private final Map<String, ModelProvider> models = new TreeMap<>();
    private final Extensions extensions;
    private final ConfigLoader loader;

    private Plugins(PluginJars jars) {
        this.jars = jars;
        ClassLoader cl = jars.classLoader(Plugins.class.getClassLoader());
        this.replacementPolicies = ReplacementPolicies.discover(cl);
        this.workloads = Registry.discover(WorkloadProvider.class, "workload type", cl);
        Map<String, WorkloadConfig> defaults = new HashMap<>();
        for (WorkloadProvider w : workloads.all().values()) {
            WorkloadConfig d = w.defaults();
            if (d == null || !d.getClass().isRecord()) {
                throw new PluginException("workload type \"" + w.name() + "\" (" + Registry.origin(w)
                        + "): defaults() must return its config record");
            }
            WorkloadProvider other = workloadByRecord.putIfAbsent(d.getClass(), w);
            if (other != null) {
                throw new PluginException("workload types \"" + other.name() + "\" and \"" + w.name()
                        + "\" share the config record " + d.getClass().getName() + "; each needs its own");
            }
            defaults.put(w.name(), d);
        }
        Map<String, ProtectionModelConfig> modelDefaults = discoverModels(cl);
        try {
            this.extensions = Extensions.load(cl); // what the kernel builds its model and mechanisms from
        } catch (IllegalStateException | ServiceConfigurationError | LinkageError e) {
            throw new PluginException("cannot load the protection models and kernel mechanisms: " + e.getMessage());
        }
        MechanismTypes mechanismTypes;
        try {
            mechanismTypes = extensions.mechanismTypes(); // each switch's modes and their config records
        } catch (IllegalStateException | LinkageError e) {
            throw new PluginException("cannot load the kernel mechanisms: " + e.getMessage());
        }
        this.loader = new ConfigLoader(new WorkloadTypes(DEFAULT_WORKLOAD, defaults), new ModelTypes(modelDefaults),
                mechanismTypes, List.of(c -> ReplacementPolicies.check(c.machine(), replacementPolicies)));
    }

    /** Every model name of every {@link ModelProvider}, each claimed once, with the defaults of its record. */
    private Map<String, ProtectionModelConfig> discoverModels(ClassLoader cl) {
        Map<String, ProtectionModelConfig> defaults = new TreeMap<>();
        try {
            for (ModelProvider p : ServiceLoader.load(ModelProvider.class, cl)) {
                for (String name : p.names()) {
                    Registry.checkName("protection model", name, p);
                    ModelProvider other = models.putIfAbsent(name, p);
                    if (other != null) {
                        throw new PluginException("protection model \"" + name + "\" is registered twice: by "
                                + p.getClass().getName() + " (" + Registry.origin(p) + ") and by "
                                + other.getClass().getName() + " (" + Registry.origin(other) + ")");
                    }
                    ProtectionModelConfig d = p.defaults(name);
                    if (d == null || !name.equals(d.name()) || !d.getClass().isRecord()) {
                        throw new PluginException("protection model \"" + name + "\" (" + Registry.origin(p)
                                + "): defaults(\"" + name + "\") must return its config record, named \"" + name + "\"");
                    }
                    defaults.put(name, d);
                }
            }
        } catch (ServiceConfigurationError | LinkageError e) {
            throw new PluginException("cannot load a protection model: " + e.getMessage());
        }
        return defaults;
    }

    /** protsim's own extensions (and any providers on its class path). */
    public static Plugins builtin() {
        return Builtin.INSTANCE;
    }

    /** protsim's own extensions and those of {@code jars}; the built-ins alone if there are none. */
    public static Plugins load(PluginJars jars) {
        return jars.isEmpty() ? builtin() : new Plugins(jars);
    }

    /** The plugin jars loaded (empty for the built-ins alone). */
    public PluginJars jars() {
        return jars;
    }

    /** A loader that knows every workload type's config record and checks every name against the registries. */
    public ConfigLoader loader() {
        return loader;
    }

    public Registry<ReplacementPolicy> replacementPolicies() {
        return replacementPolicies;
    }

    public Registry<WorkloadProvider> workloads() {
        return workloads;
    }

    /** The provider of protection model {@code name} (a name the loader accepted). */
    public ModelProvider model(String name) {
        ModelProvider p = models.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no protection model " + name);
        }
        return p;
    }

    /** The protection models and kernel mechanisms a kernel of a run is built from. */
    public Extensions extensions() {
        return extensions;
    }

    /** The names of every protection model, sorted. */
    public java.util.Set<String> modelNames() {
        return java.util.Collections.unmodifiableSet(models.keySet());
    }

    /** The workload of {@code config}, built by the provider whose record it is. */
    public Workload workload(WorkloadConfig config) {
        WorkloadProvider p = workloadByRecord.get(config.getClass());
        if (p == null) {
            throw new IllegalArgumentException("no workload type registered for " + config.getClass().getName());
        }
        return p.create(config);
    }
}
