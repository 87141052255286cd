package org.protsim.os.pat;

import org.protsim.core.config.PatConfig;
import org.protsim.os.mechanism.SharedRecordProvider;

import java.util.List;

/**
 * The built-in {@code kernel.pat} modes ({@link PatMechanism}), all of the record {@link PatConfig},
 * whose costs may be set while the switch is off too (a sweep over the mode keeps them).
 */
public final class PatProvider extends SharedRecordProvider<PatConfig> {
    public PatProvider() {
        super("pat", List.of(PatConfig.VMA_WALK, PatConfig.MEMTYPE_TREE), PatConfig.class, PatConfig.DEFAULT,
                PatConfig::withMode, PatMechanism::new);
    }
}
