package org.protsim.hw;

import org.junit.jupiter.api.Test;
import org.protsim.core.Event;
import org.protsim.core.Priority;
import org.protsim.core.Simulation;
import org.protsim.core.stats.Summary;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class InterconnectTest {
    private static final long VA = 0x1000;

    @Test
    void shouldFlushEveryTargetAndReturnAfterTheLastAcknowledgement() {
        Simulation sim = new Simulation(1);
        Machine m = new Machine(HwFixture.config(3), sim);
        for (int i = 1; i < 3; i++) {
            m.cpu(i).tlbs().l1d().fill(VA, 0, 0, Pte.of(5, Pte.USER));
        }
        List<Long> done = new ArrayList<>();
        sim.scheduleAt(Event.of(Priority.CPU, "start", () ->
                m.interconnect().shootdown(m.cpu(0), 0b111, 1000, t -> t.flushPage(VA, 0, 0), done::add)), 1000);
        sim.run(Long.MAX_VALUE);
        // the initiator sends to CPU 1 (200), then CPU 2 (200); each IPI takes 600, the handler 500, the
        // INVLPG 260, the acknowledgement 600: the flushes run in parallel, CPU 2's 200 behind CPU 1's
        assertThat(done).containsExactly(1000L + 200 + 200 + 600 + 500 + 260 + 600);
        for (int i = 1; i < 3; i++) {
            assertThat(m.cpu(i).tlbs().l1d().probe(VA, 0, 0)).isNegative();
            assertThat(m.cpu(i).cycles(CycleCategory.SHOOTDOWN)).isEqualTo(500);
            assertThat(m.cpu(i).cycles(CycleCategory.FLUSH)).isEqualTo(260);
            assertThat(m.cpu(i).clock()).isEqualTo(1000 + 200L * i + 600 + 500 + 260);
        }
        Summary s = sim.stats().summary("x");
        assertThat(s.counter("ipis")).isEqualTo(2);
        assertThat(s.counter("shootdowns")).isEqualTo(1);
        // 2,360 cycles, reported as HdrHistogram's highest equivalent value at 3 significant digits
        assertThat(s.histograms().get("shootdown.latency").max())
                .isEqualTo(new org.HdrHistogram.Histogram(3).highestEquivalentValue(2360));
        assertThat(s.histograms().get("shootdown.latency").count()).isEqualTo(1);
    }

    @Test
    void shouldCompleteAtOnceWithoutRemoteTargets() {
        Simulation sim = new Simulation(1);
        Machine m = new Machine(HwFixture.config(2), sim);
        List<Long> done = new ArrayList<>();
        m.interconnect().shootdown(m.cpu(0), 0b01, 50, t -> 0, done::add);
        assertThat(done).containsExactly(50L);
        assertThat(sim.stats().value("ipis")).isZero();
        assertThat(sim.stats().value("shootdowns")).isZero();
    }

    @Test
    void shouldHandleTheIpiAfterARemoteCpuThatRanAhead() {
        Simulation sim = new Simulation(1);
        Machine m = new Machine(HwFixture.config(2), sim);
        m.cpu(1).advanceTo(5000); // CPU 1 already ran to 5000 within its lookahead window
        List<Long> done = new ArrayList<>();
        m.interconnect().shootdown(m.cpu(0), 0b10, 0, t -> t.flushNonGlobal(), done::add);
        sim.run(Long.MAX_VALUE);
        // the acknowledgement follows the IPI's arrival (700 + 500 + 96 + 700); CPU 1 pays 596 on its own clock
        assertThat(done).containsExactly(1996L);
        assertThat(m.cpu(1).clock()).isEqualTo(5000 + 500 + 96);
    }

    @Test
    void shouldRunAShootdownStartedByTheLastOnesCompletionAsANewOne() {
        // the second round reuses the first's objects (taken again inside the first's completion): it
        // must reach only its own target with its own flush and report to its own consumer
        Simulation sim = new Simulation(1);
        Machine m = new Machine(HwFixture.config(3), sim);
        List<Integer> firstFlushes = new ArrayList<>();
        List<Integer> secondFlushes = new ArrayList<>();
        List<Long> firstDone = new ArrayList<>();
        List<Long> secondDone = new ArrayList<>();
        sim.scheduleAt(Event.of(Priority.CPU, "start", () ->
                m.interconnect().shootdown(m.cpu(0), 0b110, 1000, t -> {
                    firstFlushes.add(t.id());
                    return 260;
                }, time -> {
                    firstDone.add(time);
                    m.interconnect().shootdown(m.cpu(0), 0b100, time, t -> {
                        secondFlushes.add(t.id());
                        return 0;
                    }, secondDone::add);
                })), 1000);
        sim.run(Long.MAX_VALUE);
        // first: sends 200 + 200, IPI 600, handler 500, flush 260, acknowledgement 600 behind CPU 2's
        assertThat(firstDone).containsExactly(1000L + 200 + 200 + 600 + 500 + 260 + 600);
        assertThat(firstFlushes).containsExactly(1, 2);
        // second, from 3,360: one send 200, IPI 600, handler 500, no flush, acknowledgement 600
        assertThat(secondDone).containsExactly(3360L + 200 + 600 + 500 + 600);
        assertThat(secondFlushes).containsExactly(2);
        assertThat(m.cpu(1).cycles(CycleCategory.SHOOTDOWN)).isEqualTo(500);
        assertThat(m.cpu(2).cycles(CycleCategory.SHOOTDOWN)).isEqualTo(2 * 500);
        Summary s = sim.stats().summary("x");
        assertThat(s.counter("ipis")).isEqualTo(3);
        assertThat(s.counter("shootdowns")).isEqualTo(2);
        assertThat(s.histograms().get("shootdown.latency").count()).isEqualTo(2);
    }

    @Test
    void shouldKeepTwoShootdownsInFlightAtOnceFromDifferentCpusApart() {
        // CPU 0 and CPU 3 shoot down CPUs 1 and 2 at overlapping times: each target handles both IPIs,
        // each with its round's flush, and each initiator hears only of its own round's end
        Simulation sim = new Simulation(1);
        Machine m = new Machine(HwFixture.config(4), sim);
        List<String> flushes = new ArrayList<>();
        List<Long> doneA = new ArrayList<>();
        List<Long> doneB = new ArrayList<>();
        sim.scheduleAt(Event.of(Priority.CPU, "a", () ->
                m.interconnect().shootdown(m.cpu(0), 0b0110, 1000, t -> {
                    flushes.add("a" + t.id());
                    return 100;
                }, doneA::add)), 1000);
        sim.scheduleAt(Event.of(Priority.CPU, "b", () ->
                m.interconnect().shootdown(m.cpu(3), 0b0110, 1100, t -> {
                    flushes.add("b" + t.id());
                    return 300;
                }, doneB::add)), 1100);
        sim.run(Long.MAX_VALUE);
        // arrivals: a at CPU 1 1000 + 200 + 600 = 1,800, at CPU 2 2,000; b at CPU 1 1100 + 200 + 600 = 1,900,
        // at CPU 2 2,100
        assertThat(flushes).containsExactly("a1", "b1", "a2", "b2");
        // a's last acknowledgement: 2,000 + 500 + 100 + 600; b's: 2,100 + 500 + 300 + 600
        assertThat(doneA).containsExactly(3200L);
        assertThat(doneB).containsExactly(3500L);
        for (int i = 1; i < 3; i++) {
            assertThat(m.cpu(i).cycles(CycleCategory.SHOOTDOWN)).isEqualTo(2 * 500);
        }
        Summary s = sim.stats().summary("x");
        assertThat(s.counter("ipis")).isEqualTo(4);
        assertThat(s.counter("shootdowns")).isEqualTo(2);
        assertThat(s.histograms().get("shootdown.latency").count()).isEqualTo(2);
    }
}
