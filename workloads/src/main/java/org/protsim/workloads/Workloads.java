package org.protsim.workloads;

import org.protsim.core.config.ConfigLoader;
import org.protsim.core.config.WorkloadConfig;
import org.protsim.core.config.WorkloadTypes;

import java.util.LinkedHashMap;
import java.util.Map;

/** Every workload type protsim knows: its {@code type} name, defaults, and how to build it. */
public final class Workloads {
    private Workloads() {
    }

    /** The registered types; {@code timer} is the default, being the one that needs no input. */
    public static WorkloadTypes types() {
        Map<String, WorkloadConfig> m = new LinkedHashMap<>();
        m.put(TimerConfig.TYPE, TimerConfig.DEFAULT);
        m.put(LackeyConfig.TYPE, LackeyConfig.DEFAULT);
        m.put(ForkStormConfig.TYPE, ForkStormConfig.DEFAULT);
        m.put(SharedLibcConfig.TYPE, SharedLibcConfig.DEFAULT);
        m.put(StraceConfig.TYPE, StraceConfig.DEFAULT);
        m.put(VasSwitchConfig.TYPE, VasSwitchConfig.DEFAULT);
        m.put(AioConfig.TYPE, AioConfig.DEFAULT);
        m.put(DriverDmaConfig.TYPE, DriverDmaConfig.DEFAULT);
        m.put(ProxyShareConfig.TYPE, ProxyShareConfig.DEFAULT);
        return new WorkloadTypes(TimerConfig.TYPE, m);
    }

    /** A loader that knows every workload type. */
    public static ConfigLoader loader() {
        return new ConfigLoader(types());
    }

    /** Builds the workload of {@code config} and starts it on {@code run} (for harnesses that drive runs). */
    public static void start(WorkloadConfig config, RunContext run) {
        create(config).start(run);
    }

    public static Workload create(WorkloadConfig config) {
        if (config instanceof TimerConfig t) {
            return new TimerWorkload(t);
        }
        if (config instanceof LackeyConfig l) {
            return l.bare() ? new BareLackeyReplay(l) : new KernelLackeyReplay(l);
        }
        if (config instanceof ForkStormConfig f) {
            return new ForkStorm(f);
        }
        if (config instanceof SharedLibcConfig s) {
            return new SharedLibc(s);
        }
        if (config instanceof StraceConfig s) {
            return new StraceReplay(s);
        }
        if (config instanceof VasSwitchConfig v) {
            return new VasSwitch(v);
        }
        if (config instanceof AioConfig a) {
            return new Aio(a);
        }
        if (config instanceof DriverDmaConfig d) {
            return new DriverDma(d);
        }
        if (config instanceof ProxyShareConfig p) {
            return new ProxyShare(p);
        }
        throw new IllegalArgumentException("no workload for " + config.getClass().getName());
    }
}
