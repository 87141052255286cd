package org.protsim.os.mechanism.ukva;

import org.protsim.core.config.RunConfig;
import org.protsim.os.KernelMechanism;
import org.protsim.os.MechanismProvider;

import java.util.Set;

/** Makes {@code kernel.ukva}'s mechanisms; under mode none, the classic aio system calls. */
public final class UkvaProvider implements MechanismProvider {
    @Override
    public String switchName() {
        return "ukva";
    }

    @Override
    public Set<String> modes() {
        return Set.of("per-mm", "per-task");
    }

    @Override
    public KernelMechanism create(String mode, RunConfig config) {
        return new Ukva(config.kernel().ukva());
    }

    @Override
    public KernelMechanism createOff(RunConfig config) {
        return new Ukva(config.kernel().ukva());
    }
}
