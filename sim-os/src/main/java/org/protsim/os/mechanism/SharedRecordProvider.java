package org.protsim.os.mechanism;

import org.protsim.core.config.MechanismConfig;
import org.protsim.core.config.RunConfig;
import org.protsim.os.KernelMechanism;
import org.protsim.os.MechanismProvider;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A {@link MechanismProvider} whose modes all read one config record, whose parameters may be set
 * while the switch is off too (a sweep over the mode keeps them): the shape of the built-in
 * {@code ukva}, {@code pat} and {@code proxy} switches. A subclass passes its switch, its modes,
 * the record's class and defaults, how the record takes a mode, and how a mechanism is made of it.
 */
public abstract class SharedRecordProvider<C extends MechanismConfig> implements MechanismProvider {
    private final String switchName;
    private final List<String> modes;
    private final Class<C> record;
    private final C defaults;
    private final BiFunction<C, String, C> withMode;
    private final Function<C, KernelMechanism> make;

    protected SharedRecordProvider(String switchName, List<String> modes, Class<C> record, C defaults,
                                   BiFunction<C, String, C> withMode, Function<C, KernelMechanism> make) {
        this.switchName = switchName;
        this.modes = List.copyOf(modes);
        this.record = record;
        this.defaults = defaults;
        this.withMode = withMode;
        this.make = make;
    }

    @Override
    public final String switchName() {
        return switchName;
    }

    @Override
    public final List<String> modes() {
        return modes;
    }

    @Override
    public final MechanismConfig defaults(String mode) {
        return withMode.apply(defaults, mode);
    }

    /** The record's defaults, mode none: its parameters apply whatever the mode. */
    @Override
    public final MechanismConfig offDefaults() {
        return defaults;
    }

    @Override
    public final KernelMechanism create(String mode, RunConfig config) {
        return make.apply(config(config));
    }

    /** This switch's record in {@code config}: what the user set, over the defaults. */
    protected final C config(RunConfig config) {
        return config.kernel().mechanism(switchName, record, defaults);
    }
}
