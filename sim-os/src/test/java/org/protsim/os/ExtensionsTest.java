package org.protsim.os;

import org.junit.jupiter.api.Test;
import org.protsim.core.InputError;
import org.protsim.core.config.RunConfig;
import org.protsim.os.model.BuiltInModels;

import org.protsim.core.config.MechanismConfig;
import org.protsim.core.config.MechanismTypes;
import org.protsim.core.config.UkvaConfig;

import java.util.List;

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

    /** A plugin's mechanism of a switch of its own, with its own record. */
    record Flush(String mode, int cycles) implements MechanismConfig {
    }

    private static MechanismProvider provider(String switchName, List<String> modes, MechanismConfig off) {
        return new MechanismProvider() {
            @Override
            public String switchName() {
                return switchName;
            }

            @Override
            public List<String> modes() {
                return modes;
            }

            @Override
            public MechanismConfig defaults(String mode) {
                return new Flush(mode, 7);
            }

            @Override
            public MechanismConfig offDefaults() {
                return off;
            }

            @Override
            public KernelMechanism create(String mode, RunConfig config) {
                return () -> switchName + "/" + mode;
            }
        };
    }

    @Test
    void shouldNameTheKnownModesOfASwitchWhenAModeHasNoProvider() {
        Extensions e = new Extensions();
        e.add(provider("pat", List.of("memtype-tree"), null));
        assertThat(e.mechanism("pat", "none", CONFIG)).isNull();
        assertThat(e.mechanism("pat", "memtype-tree", CONFIG).name()).isEqualTo("pat/memtype-tree");
        assertThatThrownBy(() -> e.mechanism("pat", "vma-walk", CONFIG)).isInstanceOf(InputError.class)
                .hasMessage("kernel.pat.mode: \"vma-walk\" is not one of none, memtype-tree");
    }

    @Test
    void shouldRegisterTheBuiltInSwitchesInTheOrderTheKernelCallsThemWithTheirModesAndRecords() {
        Extensions e = Extensions.builtIn();
        assertThat(e.switchNames()).containsExactly("ukva", "dma", "pat", "proxy");
        MechanismTypes t = e.mechanismTypes();
        assertThat(t.modes("ukva")).containsExactly("none", "per-mm", "per-task");
        assertThat(t.modes("dma")).containsExactly("none", "shared-pool", "iommu-strict", "iommu-deferred",
                "owned-pages");
        assertThat(t.modes("pat")).containsExactly("none", "vma-walk", "memtype-tree");
        assertThat(t.modes("proxy")).containsExactly("none", "map-time", "pager");
        // ukva's classic calls read its parameters while off; dma has none to read
        assertThat(t.defaults("ukva", "none")).isEqualTo(UkvaConfig.DEFAULT);
        assertThat(t.defaults("ukva", "per-task")).isEqualTo(UkvaConfig.DEFAULT.withMode("per-task"));
        assertThat(t.defaults("dma", "none")).isEqualTo(MechanismConfig.Off.DEFAULT);
    }

    @Test
    void shouldAddAPluginsOwnSwitchAfterTheBuiltInsAndAModeToABuiltInSwitch() {
        Extensions e = Extensions.builtIn();
        e.add(provider("l1d-flush", List.of("msr"), null));
        e.add(provider("dma", List.of("bounce-buffers"), null));
        assertThat(e.switchNames()).containsExactly("ukva", "dma", "pat", "proxy", "l1d-flush");
        MechanismTypes t = e.mechanismTypes();
        assertThat(t.modes("l1d-flush")).containsExactly("none", "msr");
        assertThat(t.defaults("l1d-flush", "none")).isEqualTo(MechanismConfig.Off.DEFAULT);
        assertThat(t.defaults("l1d-flush", "msr")).isEqualTo(new Flush("msr", 7));
        assertThat(t.modes("dma")).endsWith("owned-pages", "bounce-buffers");
        assertThat(e.mechanism("dma", "bounce-buffers", CONFIG).name()).isEqualTo("dma/bounce-buffers");
    }

    @Test
    void shouldRefuseAModeTwoProvidersClaimASecondOffRecordAndABadSwitchName() {
        Extensions e = Extensions.builtIn();
        assertThatThrownBy(() -> e.add(provider("pat", List.of("vma-walk"), null)))
                .hasMessageContaining("kernel.pat.mode vma-walk is provided by both");
        assertThatThrownBy(() -> e.add(provider("ukva", List.of("per-cpu"), new Flush("none", 1))))
                .hasMessageContaining("kernel.ukva while off (mode none) is configured by both");
        assertThatThrownBy(() -> e.add(provider("L1D", List.of("msr"), null)))
                .hasMessageContaining("switch name \"L1D\" must be lower-case letters, digits and dashes");
        assertThatThrownBy(() -> e.add(provider("x", List.of("none"), null)))
                .hasMessageContaining("mode none is reserved");
    }

    @Test
    void shouldRefuseADefaultsRecordWhoseFirstComponentIsNotTheMode() {
        record Bad(int cycles, String mode) implements MechanismConfig {
        }
        Extensions e = new Extensions();
        e.add(new MechanismProvider() {
            @Override
            public String switchName() {
                return "bad";
            }

            @Override
            public List<String> modes() {
                return List.of("on");
            }

            @Override
            public MechanismConfig defaults(String mode) {
                return new Bad(1, mode);
            }

            @Override
            public KernelMechanism create(String mode, RunConfig config) {
                return () -> "bad/on";
            }
        });
        assertThatThrownBy(e::mechanismTypes).hasMessageContaining("must be String mode");
    }
}
