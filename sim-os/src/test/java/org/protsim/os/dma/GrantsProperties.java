package org.protsim.os.dma;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Grants} against the {@link TreeMap} of start to {end, frames...} that owned-pages kept
 * under sasos before: any sequence of grants (some at the same start, some overlapping), removes and
 * look-ups answers as the map's {@code floorEntry} then end check did.
 */
class GrantsProperties {
    /** One operation: 0 grant (start page, pages), 1 remove (start page), 2 look up (address). */
    record Step(int kind, long page, int pages, long offset) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        return Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.longs().between(0, 80),
                        Arbitraries.integers().between(1, 4), Arbitraries.longs().between(0, 5 * 4096))
                .as(Step::new).list().ofMaxSize(300);
    }

    @Property(tries = 300)
    void shouldFindTheFrameTheTreeMapsFloorEntryFoundForEverySequence(@ForAll("steps") List<Step> steps) {
        Grants grants = new Grants();
        TreeMap<Long, long[]> model = new TreeMap<>();
        int nextFrame = 1;
        for (Step s : steps) {
            long start = 0x10_0000_0000L + s.page() * 4096;
            switch (s.kind()) {
                case 0 -> {
                    Mapping m = new Mapping().reset(0, s.pages(), false);
                    long[] g = new long[1 + s.pages()];
                    g[0] = start + s.pages() * 4096L;
                    for (int p = 0; p < s.pages(); p++) {
                        m.frames[p] = nextFrame;
                        g[1 + p] = nextFrame++;
                    }
                    grants.put(start, g[0], m);
                    model.put(start, g);
                }
                case 1 -> assertThat(grants.remove(start)).isEqualTo(model.remove(start) != null);
                default -> {
                    long addr = start + s.offset() - 2 * 4096; // below, inside and past the grants
                    Map.Entry<Long, long[]> e = model.floorEntry(addr);
                    long expected = e == null || addr >= e.getValue()[0] ? -1
                            : e.getValue()[1 + (int) ((addr - e.getKey()) >>> 12)];
                    assertThat(grants.frame(addr)).isEqualTo(expected);
                }
            }
            assertThat(grants.size()).isEqualTo(model.size());
        }
    }
}
