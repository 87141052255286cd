package org.protsim.os.pat;

import org.protsim.core.config.MechanismConfig;
import org.protsim.core.config.PatConfig;
import org.protsim.core.config.RunConfig;
import org.protsim.os.KernelMechanism;
import org.protsim.os.MechanismProvider;

import java.util.List;

/**
 * The built-in {@code kernel.pat} modes ({@link PatMechanism}), all of the record {@link PatConfig},
 * whose costs may be set while the switch is off too (a sweep over the mode keeps them).
 */
public final class PatProvider implements MechanismProvider {
    @Override
    public String switchName() {
        return "pat";
    }

    @Override
    public List<String> modes() {
        return List.of(PatConfig.VMA_WALK, PatConfig.MEMTYPE_TREE);
    }

    @Override
    public MechanismConfig defaults(String mode) {
        return PatConfig.DEFAULT.withMode(mode);
    }

    @Override
    public MechanismConfig offDefaults() {
        return PatConfig.DEFAULT;
    }

    @Override
    public KernelMechanism create(String mode, RunConfig config) {
        return new PatMechanism(config.kernel().mechanism("pat", PatConfig.class, null));
    }
}
