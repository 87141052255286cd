package org.protsim.os;

import org.junit.jupiter.api.Test;
import org.protsim.core.InputError;
import org.protsim.core.config.RunConfig;
import org.protsim.os.model.BuiltInModels;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Models and mechanisms are found by name through ServiceLoader, the built-ins as a plugin's would be. */
class ExtensionsTest {
    private static final RunConfig CONFIG = RunConfig.defaults(org.protsim.core.config.ModelConfig.DEFAULT.withName(org.protsim.core.config.ModelName.PCID),
            new Harness.NoWorkload());

    @Test
    void shouldFindTheFiveBuiltInModelsThroughServiceLoader() {
        assertThat(Extensions.builtIn().modelNames())
                .containsExactly("conventional", "pcid", "sasos", "shared-asid", "vas");
        assertThat(Extensions.builtIn().model("pcid", CONFIG).getClass().getSimpleName()).isEqualTo("PcidModel");
    }

    @Test
    void shouldRefuseAModelNameTwoProvidersClaim() {
        Extensions e = new Extensions();
        e.add(new BuiltInModels());
        assertThatThrownBy(() -> e.add(new BuiltInModels())).hasMessageContaining("is provided by both");
    }

    @Test
    void shouldNameTheKnownModesOfASwitchWhenAModeHasNoProvider() {
        Extensions e = new Extensions();
        e.add(new MechanismProvider() {
            @Override
            public String switchName() {
                return "pat";
            }

            @Override
            public Set<String> modes() {
                return Set.of("memtype-tree");
            }

            @Override
            public KernelMechanism create(String mode, RunConfig config) {
                return () -> "pat/" + mode;
            }
        });
        assertThat(e.mechanism("pat", "none", CONFIG)).isNull();
        assertThat(e.mechanism("pat", "memtype-tree", CONFIG).name()).isEqualTo("pat/memtype-tree");
        assertThatThrownBy(() -> e.mechanism("pat", "vma-walk", CONFIG)).isInstanceOf(InputError.class)
                .hasMessage("kernel.pat.mode: \"vma-walk\" is not one of none, memtype-tree");
    }
}
