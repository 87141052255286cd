package org.protsim.hw.replacement;

import org.junit.jupiter.api.Test;
import org.protsim.core.config.ConfigException;
import org.protsim.core.config.MachineConfig;
import org.protsim.core.config.TlbConfig;
import org.protsim.core.config.TlbsConfig;
import org.protsim.hw.Pte;
import org.protsim.hw.Tlb;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplacementPoliciesTest {
    private static MachineConfig withL2(String replacement, int entries, int ways) {
        MachineConfig m = MachineConfig.DEFAULT;
        TlbConfig l2 = m.tlb().l2();
        TlbsConfig tlb = new TlbsConfig(m.tlb().asidBits(), m.tlb().l1i(), m.tlb().l1d(),
                new TlbConfig(entries, ways, l2.hitCycles(), replacement, l2.pageSizes()));
        return new MachineConfig(m.cpus(), m.cyclesPerNs(), m.cyclesPerReference(), tlb, m.walker(), m.caches(),
                m.memory(), m.plb(), m.costs(), m.coherence(), m.disk(), m.iommu(), m.core());
    }

    @Test
    void shouldFindTheBuiltInPoliciesThroughTheirServicesFile() {
        assertThat(ReplacementPolicies.builtin().names()).containsExactly("lru", "plru", "random");
        assertThat(ReplacementPolicies.builtin().get("plru")).isInstanceOf(TreePlruPolicy.class);
    }

    @Test
    void shouldNameTheTlbWhoseReplacementIsUnknownOrCannotRunItsWays() {
        ReplacementPolicies.check(MachineConfig.DEFAULT, ReplacementPolicies.builtin()); // the defaults are fine
        assertThatThrownBy(() -> ReplacementPolicies.check(withL2("fifo", 1536, 12), ReplacementPolicies.builtin()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("machine.tlb.l2.replacement: \"fifo\" is not a known replacement policy (known: lru, plru, "
                        + "random)");
        // Skylake's STLB has 12 ways: no binary tree over them
        assertThatThrownBy(() -> ReplacementPolicies.check(withL2("plru", 1536, 12), ReplacementPolicies.builtin()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("machine.tlb.l2.ways: 12 is not a power of two, which tree pseudo-LRU needs");
        ReplacementPolicies.check(withL2("plru", 1024, 8), ReplacementPolicies.builtin());
    }

    @Test
    void shouldFailAtOnceWhenAPolicyEvictsOutsideTheSet() {
        ReplacementPolicy broken = new ReplacementPolicy() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public State create(int sets, int ways, SplittableRandom random) {
                return new State() {
                    @Override
                    public void hit(int slot) {
                    }

                    @Override
                    public void filled(int slot) {
                    }

                    @Override
                    public int victim(int set) {
                        return 0; // always slot 0: outside every set but the first
                    }
                };
            }
        };
        Tlb t = new Tlb("t", 4, 2, 0, broken, new int[]{12}, new SplittableRandom(1)); // 2 sets of 2 ways
        // pages 1, 3, 5 all index set 1 (odd page numbers): the third needs a victim there
        t.fill(0x1000, 0, 0, Pte.of(1, Pte.USER));
        t.fill(0x3000, 0, 0, Pte.of(3, Pte.USER));
        assertThatThrownBy(() -> t.fill(0x5000, 0, 0, Pte.of(5, Pte.USER)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("t: replacement policy chose slot 0 outside set 1 (slots 2..3)");
    }
}
