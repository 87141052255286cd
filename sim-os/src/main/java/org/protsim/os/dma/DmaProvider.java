package org.protsim.os.dma;

import org.protsim.core.config.DmaConfig;
import org.protsim.core.config.MechanismConfig;
import org.protsim.core.config.RunConfig;
import org.protsim.os.KernelMechanism;
import org.protsim.os.MechanismProvider;

import java.util.List;

/** The built-in {@code kernel.dma} modes ({@link DmaMechanism}), all of the record {@link DmaConfig}. */
public final class DmaProvider implements MechanismProvider {
    /** The modes, in the order messages list them. */
    static final List<String> MODES = List.of(DmaConfig.SHARED_POOL, DmaConfig.IOMMU_STRICT, DmaConfig.IOMMU_DEFERRED,
            DmaConfig.OWNED_PAGES);

    @Override
    public String switchName() {
        return "dma";
    }

    @Override
    public List<String> modes() {
        return MODES;
    }

    @Override
    public MechanismConfig defaults(String mode) {
        return new DmaConfig(mode);
    }

    @Override
    public KernelMechanism create(String mode, RunConfig config) {
        return new DmaMechanism(mode);
    }
}
