package org.protsim.os.pat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.protsim.os.pat.MemtypeTracker.Outcome;

import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.protsim.hw.Pte.UNCACHED;
import static org.protsim.hw.Pte.WRITE_BACK;
import static org.protsim.hw.Pte.WRITE_COMBINING;

/** The rules of docs/sources.md [004] and Linux's memtype.c, one contract run over both trackers. */
class MemtypeTrackerTest {
    static Stream<Supplier<MemtypeTracker>> trackers() {
        return Stream.of(() -> new VmaWalkTracker(MemtypeCosts.DEFAULT), () -> new MemtypeTreeTracker(MemtypeCosts.DEFAULT));
    }

    @ParameterizedTest
    @MethodSource("trackers")
    void shouldAcceptRamOnlyWriteBack(Supplier<MemtypeTracker> s) {
        MemtypeTracker t = s.get();
        assertThat(t.reserve(100, 110, WRITE_BACK, true)).isEqualTo(Outcome.ACCEPTED);
        assertThat(t.reserve(100, 110, UNCACHED, true)).isEqualTo(Outcome.RAM_NOT_WRITE_BACK);
        assertThat(t.reserve(100, 110, WRITE_COMBINING, true)).isEqualTo(Outcome.RAM_NOT_WRITE_BACK);
        assertThat(t.reservations()).as("RAM is not recorded").isZero();
    }

    @ParameterizedTest
    @MethodSource("trackers")
    void shouldRefuseAnAliasWithAnotherTypeAndShareOneWithTheSameType(Supplier<MemtypeTracker> s) {
        MemtypeTracker t = s.get();
        assertThat(t.reserve(0x1000, 0x1010, UNCACHED, false)).isEqualTo(Outcome.ACCEPTED);
        assertThat(t.reserve(0x1000, 0x1010, UNCACHED, false)).as("a second driver").isEqualTo(Outcome.ACCEPTED);
        assertThat(t.reserve(0x1008, 0x1020, WRITE_COMBINING, false)).isEqualTo(Outcome.CONFLICTING_MEMTYPE);
        assertThat(t.reservations()).isEqualTo(2);

        assertThat(t.free(0x1000, 0x1010, false)).isEqualTo(Outcome.ACCEPTED);
        assertThat(t.reserve(0x1008, 0x1020, WRITE_COMBINING, false)).as("one reference left")
                .isEqualTo(Outcome.CONFLICTING_MEMTYPE);
        assertThat(t.free(0x1000, 0x1010, false)).isEqualTo(Outcome.ACCEPTED);
        assertThat(t.reserve(0x1008, 0x1020, WRITE_COMBINING, false)).isEqualTo(Outcome.ACCEPTED);
        assertThat(t.free(0x1000, 0x1010, false)).isEqualTo(Outcome.NOT_RESERVED);
    }

    @ParameterizedTest
    @MethodSource("trackers")
    void shouldTreatRangesAsHalfOpenAndCheckEveryOverlap(Supplier<MemtypeTracker> s) {
        MemtypeTracker t = s.get();
        t.reserve(0, 10, UNCACHED, false);
        assertThat(t.reserve(5, 15, UNCACHED, false)).isEqualTo(Outcome.ACCEPTED);
        assertThat(t.reserve(12, 20, WRITE_COMBINING, false)).as("overlaps [5, 15)").isEqualTo(Outcome.CONFLICTING_MEMTYPE);
        assertThat(t.reserve(15, 20, WRITE_COMBINING, false)).as("touches, does not overlap").isEqualTo(Outcome.ACCEPTED);
        assertThat(t.attributeOf(14)).isEqualTo(UNCACHED);
        assertThat(t.attributeOf(15)).isEqualTo(WRITE_COMBINING);
        assertThat(t.attributeOf(20)).isEqualTo(-1);
    }

    @ParameterizedTest
    @MethodSource("trackers")
    void shouldShrinkAReservationWhenItsTailIsReleased(Supplier<MemtypeTracker> s) {
        MemtypeTracker t = s.get();
        t.reserve(0, 10, UNCACHED, false);
        assertThat(t.free(5, 10, false)).as("Linux END_MATCH (mremap)").isEqualTo(Outcome.ACCEPTED);
        assertThat(t.reserve(5, 10, WRITE_COMBINING, false)).isEqualTo(Outcome.ACCEPTED);
        assertThat(t.reserve(4, 6, WRITE_COMBINING, false)).isEqualTo(Outcome.CONFLICTING_MEMTYPE);
        assertThat(t.free(3, 7, false)).as("neither exact nor a tail").isEqualTo(Outcome.NOT_RESERVED);
        assertThat(t.reservations()).isEqualTo(2);
    }

    @ParameterizedTest
    @MethodSource("trackers")
    void shouldChargeTheFixedCostPlusItsStepsAtTheStepCost(Supplier<MemtypeTracker> s) {
        MemtypeTracker t = s.get();
        t.reserve(0, 1, UNCACHED, false);
        t.reserve(0, 1, WRITE_COMBINING, false);
        // 100 fixed + 42 per step
        assertThat(t.lastCycles()).isEqualTo(100 + 42 * t.lastSteps());
        assertThat(t.lastSteps()).isEqualTo(1); // one entry, one node: it conflicts at once
    }
}
