package org.protsim.os.mechanism.ukva;

import org.protsim.core.config.RunConfig;
import org.protsim.core.config.UkvaConfig;
import org.protsim.os.KernelMechanism;
import org.protsim.os.mechanism.SharedRecordProvider;

import java.util.List;

/**
 * Makes {@code kernel.ukva}'s mechanisms, of the record {@link UkvaConfig}; under mode none, the
 * classic aio system calls ({@link Ukva} too), which read the same record.
 */
public final class UkvaProvider extends SharedRecordProvider<UkvaConfig> {
    public UkvaProvider() {
        super("ukva", List.of(UkvaConfig.PER_MM, UkvaConfig.PER_TASK), UkvaConfig.class, UkvaConfig.DEFAULT,
                UkvaConfig::withMode, Ukva::new);
    }

    @Override
    public KernelMechanism createOff(RunConfig config) {
        return new Ukva(config(config));
    }
}
