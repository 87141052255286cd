package org.protsim.os.pat;

import org.protsim.core.config.RunConfig;
import org.protsim.os.KernelMechanism;
import org.protsim.os.MechanismProvider;

import java.util.Set;

/** The built-in {@code kernel.pat} modes. */
public final class PatProvider implements MechanismProvider {
    @Override
    public String switchName() {
        return "pat";
    }

    @Override
    public Set<String> modes() {
        return Set.of("vma-walk", "memtype-tree");
    }

    @Override
    public KernelMechanism create(String mode, RunConfig config) {
        return new PatMechanism(config.kernel().pat());
    }
}
