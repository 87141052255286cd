package org.protsim.os.pat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.protsim.os.pat.MemtypeTracker.Outcome;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * vma-walk and memtype-tree are two ways to the same answers: over random sequences of
 * reservations and releases of overlapping ranges with the three attributes (RAM and not), they
 * accept and refuse exactly the same requests and report the same types afterwards. Ranges lie
 * in 64 pages so that overlaps, repetitions and tails are frequent.
 */
class MemtypeTrackerContractProperties {
    record Op(boolean reserve, long start, long length, int attribute, boolean ram) {
    }

    @Provide
    Arbitrary<Op> op() {
        return Combinators.combine(Arbitraries.of(true, true, false), Arbitraries.longs().between(0, 63),
                        Arbitraries.longs().between(1, 16), Arbitraries.integers().between(0, 2),
                        Arbitraries.of(false, false, false, true))
                .as(Op::new);
    }

    @Property(tries = 300)
    void shouldAcceptAndRefuseExactlyTheSameRequests(@ForAll @Size(max = 120) List<@net.jqwik.api.From("op") Op> ops) {
        VmaWalkTracker walk = new VmaWalkTracker(MemtypeCosts.DEFAULT);
        MemtypeTreeTracker tree = new MemtypeTreeTracker(MemtypeCosts.DEFAULT);
        for (int i = 0; i < ops.size(); i++) {
            Op o = ops.get(i);
            long end = o.start() + o.length();
            Outcome a = o.reserve() ? walk.reserve(o.start(), end, o.attribute(), o.ram())
                    : walk.free(o.start(), end, o.ram());
            Outcome b = o.reserve() ? tree.reserve(o.start(), end, o.attribute(), o.ram())
                    : tree.free(o.start(), end, o.ram());
            assertThat(b).as("op %d: %s", i, o).isEqualTo(a);
            assertThat(tree.reservations()).isEqualTo(walk.reservations());
            tree.checkInvariants();
        }
        for (long pfn = 0; pfn < 80; pfn++) {
            assertThat(tree.attributeOf(pfn)).as("pfn %d", pfn).isEqualTo(walk.attributeOf(pfn));
        }
    }

    @Property(tries = 100)
    void shouldAcceptEveryRepeatOfAnAcceptedReservation(@ForAll @Size(max = 60) List<@net.jqwik.api.From("op") Op> ops) {
        MemtypeTreeTracker tree = new MemtypeTreeTracker(MemtypeCosts.DEFAULT);
        for (Op o : ops) {
            if (o.reserve() && tree.reserve(o.start(), o.start() + o.length(), o.attribute(), o.ram()) == Outcome.ACCEPTED) {
                // a second driver mapping the same range with the same type is never refused
                assertThat(tree.reserve(o.start(), o.start() + o.length(), o.attribute(), o.ram()))
                        .isEqualTo(Outcome.ACCEPTED);
            }
        }
    }
}
