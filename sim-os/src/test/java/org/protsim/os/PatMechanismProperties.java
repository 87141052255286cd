package org.protsim.os;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.protsim.core.config.DmaConfig;
import org.protsim.core.config.ModelName;
import org.protsim.core.config.PatConfig;
import org.protsim.hw.Pte;
import org.protsim.os.dma.DmaDevice;
import org.protsim.os.dma.DmaMechanism;
import org.protsim.os.dma.DmaOps;
import org.protsim.os.pat.PatMechanism;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kernel.pat through the mechanism: random sequences of mappings of a device's aperture pages
 * with the three cache attributes, and unmaps, run on a kernel. vma-walk and memtype-tree refuse
 * exactly the mappings an independent model of docs/sources.md [004]'s rule refuses (a non-RAM
 * page already mapped with another attribute), and none refuses none, counting as undetected
 * aliases exactly the pages the model says were mapped over another attribute.
 */
class PatMechanismProperties {
    /** Mode none and every mode the switch's provider registers. */
    private static final List<String> MODES = java.util.stream.Stream.concat(java.util.stream.Stream.of("none"),
            new org.protsim.os.pat.PatProvider().modes().stream()).toList();

    static final DmaDevice GPU = new DmaDevice(0, "gpu", 1_000, 8.0, 4, 1, 6);

    /** Map {@code pages} aperture pages from {@code first} with {@code attribute}; or (unmap) drop live mapping {@code pick}. */
    record Step(boolean map, int first, int pages, int attribute, int pick) {
    }

    @Provide
    Arbitrary<Step> step() {
        return Combinators.combine(Arbitraries.of(true, true, false), Arbitraries.integers().between(0, 4),
                        Arbitraries.integers().between(1, 2), Arbitraries.integers().between(0, 2),
                        Arbitraries.integers().between(0, 7))
                .as(Step::new);
    }

    /** What one run answered: each map's result (true = made), and the counters. */
    record Outcome(List<Boolean> made, long refused, long undetected) {
    }

    /** The model: per aperture page, its live mappings by attribute. */
    static final class Model {
        final int[][] live = new int[6][3];
        long undetected;

        boolean conflicts(Step s) {
            for (int p = s.first(); p < s.first() + s.pages(); p++) {
                for (int a = 0; a < 3; a++) {
                    if (a != s.attribute() && live[p][a] > 0) {
                        return true;
                    }
                }
            }
            return false;
        }

        void map(Step s, boolean counted) {
            for (int p = s.first(); p < s.first() + s.pages(); p++) {
                if (counted) {
                    for (int a = 0; a < 3; a++) {
                        if (a != s.attribute() && live[p][a] > 0) {
                            undetected++;
                            break;
                        }
                    }
                }
                live[p][s.attribute()]++;
            }
        }

        void unmap(Step s) {
            for (int p = s.first(); p < s.first() + s.pages(); p++) {
                live[p][s.attribute()]--;
            }
        }
    }

    static Outcome run(String mode, List<Step> steps, Model model) {
        DmaMechanism dma = new DmaMechanism(DmaConfig.SHARED_POOL);
        Harness h = PatConfig.NONE.equals(mode) ? Harness.of(ModelName.CONVENTIONAL, 1, dma)
                : Harness.of(ModelName.CONVENTIONAL, 1, dma, new PatMechanism(PatConfig.DEFAULT.withMode(mode)));
        List<Boolean> made = new ArrayList<>();
        List<long[]> liveMaps = new ArrayList<>(); // address, step index
        Harness.Script s = new Harness.Script();
        for (int i = 0; i < steps.size(); i++) {
            Step st = steps.get(i);
            int index = i;
            if (st.map()) {
                s.op(new DmaOps.MapRegion(GPU, DmaOps.APERTURE, st.first(), st.pages(), st.attribute()))
                        .check(() -> {
                            long r = s.lastReturn();
                            made.add(r >= 0);
                            if (model != null) {
                                boolean conflict = model.conflicts(st);
                                if (PatConfig.NONE.equals(mode) || !conflict) {
                                    model.map(st, true);
                                }
                            }
                            if (r >= 0) {
                                liveMaps.add(new long[] {r, index});
                            }
                        });
            } else {
                s.then(b -> {
                    if (liveMaps.isEmpty()) {
                        return new Op.Yield();
                    }
                    long[] m = liveMaps.remove(st.pick() % liveMaps.size());
                    Step of = steps.get((int) m[1]);
                    if (model != null) {
                        model.unmap(of);
                    }
                    return new Op.Munmap(m[0], of.pages() * 4096L);
                });
            }
        }
        Process p = h.kernel.spawn(h.image("mapper"), s);
        h.run();
        assertThat(h.kernel.exitStatusOf(p)).isZero();
        long refused = PatConfig.NONE.equals(mode) ? 0 : h.counter("pat.conflictsRefused");
        return new Outcome(made, refused, h.counter("pat.aliasesUndetected"));
    }

    @Property(tries = 60)
    void shouldRefuseExactlyTheSameConflictsUnderVmaWalkAndMemtypeTree(
            @ForAll @Size(min = 1, max = 40) List<@From("step") Step> steps) {
        Model model = new Model();
        Outcome walk = run(PatConfig.VMA_WALK, steps, model);
        Outcome tree = run(PatConfig.MEMTYPE_TREE, steps, null);
        // the model refuses a map iff one of its pages is live with another attribute
        Model replay = new Model();
        List<Boolean> expected = new ArrayList<>();
        List<Step> live = new ArrayList<>();
        for (Step st : steps) {
            if (st.map()) {
                boolean ok = !replay.conflicts(st);
                expected.add(ok);
                if (ok) {
                    replay.map(st, false);
                    live.add(st);
                }
            } else if (!live.isEmpty()) {
                replay.unmap(live.remove(st.pick() % live.size()));
            }
        }
        assertThat(walk.made()).isEqualTo(expected);
        assertThat(tree.made()).isEqualTo(walk.made());
        assertThat(tree.refused()).isEqualTo(walk.refused())
                .isEqualTo(expected.stream().filter(ok -> !ok).count());
        assertThat(walk.undetected()).isZero();
        assertThat(tree.undetected()).isZero();
    }

    @Property(tries = 40)
    void shouldRefuseNoneAndCountEveryAliasUnderNone(@ForAll @Size(min = 1, max = 40) List<@From("step") Step> steps) {
        Model model = new Model();
        Outcome none = run(PatConfig.NONE, steps, model);
        assertThat(none.made()).doesNotContain(false);
        assertThat(none.undetected()).isEqualTo(model.undetected);
    }

    @Example
    void shouldReadStaleDataThroughAnUncachedAliasOfAWriteBackLineUnderNoneOnly() {
        for (String mode : MODES) {
            DmaMechanism dma = new DmaMechanism(DmaConfig.SHARED_POOL);
            Harness h = PatConfig.NONE.equals(mode) ? Harness.of(ModelName.CONVENTIONAL, 1, dma)
                    : Harness.of(ModelName.CONVENTIONAL, 1, dma, new PatMechanism(PatConfig.DEFAULT.withMode(mode)));
            long[] wb = new long[1];
            Harness.Script s = new Harness.Script()
                    .op(new DmaOps.MapRegion(GPU, DmaOps.REGISTERS, 0, 1, Pte.WRITE_BACK));
            s.check(() -> wb[0] = s.lastReturn())
                    .then(b -> {
                        b.add(wb[0] + 64, 8, org.protsim.hw.Cpu.WRITE); // the line is now dirty in L1d
                        return Op.REFS;
                    })
                    .op(new DmaOps.MapRegion(GPU, DmaOps.REGISTERS, 0, 1, Pte.UNCACHED));
            long[] uc = new long[1];
            s.check(() -> uc[0] = s.lastReturn())
                    .then(b -> {
                        if (uc[0] < 0) {
                            return new Op.Yield(); // refused: nothing to read through
                        }
                        b.add(uc[0] + 64, 8, org.protsim.hw.Cpu.READ); // bypasses the cached copy
                        b.add(uc[0] + 128, 8, org.protsim.hw.Cpu.READ); // a line never cached: not stale
                        return Op.REFS;
                    });
            h.kernel.spawn(h.image("alias"), s);
            h.run();
            if (PatConfig.NONE.equals(mode)) {
                assertThat(uc[0]).isPositive();
                assertThat(h.counter("pat.aliasesUndetected")).isEqualTo(1);
                assertThat(h.counter("pat.staleReads")).isEqualTo(1);
            } else {
                assertThat(uc[0]).as(mode).isEqualTo(DmaOps.EBUSY);
                assertThat(h.counter("pat.conflictsRefused")).isEqualTo(1);
                assertThat(h.counter("pat.checks")).isEqualTo(2);
                assertThat(h.counter("pat.aliasesUndetected")).isZero();
                assertThat(h.counter("pat.staleReads")).isZero();
            }
        }
    }
}
