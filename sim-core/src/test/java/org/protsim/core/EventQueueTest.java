package org.protsim.core;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventQueueTest {

    private static final class Named extends Event {
        final List<String> log;

        Named(int priority, String name, List<String> log) {
            super(priority, name);
            this.log = log;
        }

        @Override
        public void fire() {
            log.add(name());
        }
    }

    private static List<String> drain(EventQueue q) {
        List<String> order = new ArrayList<>();
        Event e;
        while ((e = q.poll()) != null) {
            order.add(e.name());
        }
        return order;
    }

    @Test
    void shouldFireEqualTimesByPriorityThenInsertionOrder() {
        EventQueue q = new EventQueue();
        List<String> log = new ArrayList<>();
        q.schedule(new Named(Priority.CPU, "cpu-a", log), 100);
        q.schedule(new Named(Priority.INTERRUPT, "ipi-a", log), 100);
        q.schedule(new Named(Priority.CPU, "cpu-b", log), 100);
        q.schedule(new Named(Priority.TIMER, "timer", log), 100);
        q.schedule(new Named(Priority.INTERRUPT, "ipi-b", log), 100);
        q.schedule(new Named(Priority.BOOKKEEPING, "early", log), 50);
        // time first (50 before 100); at 100: INTERRUPT(10) < TIMER(30) < CPU(40), ties in insertion order
        assertThat(drain(q)).containsExactly("early", "ipi-a", "ipi-b", "timer", "cpu-a", "cpu-b");
    }

    @Test
    void shouldAdvanceTheClockToEachPoppedEvent() {
        EventQueue q = new EventQueue();
        q.schedule(Event.of(Priority.CPU, "x", () -> { }), 70);
        assertThat(q.now()).isZero();
        q.poll();
        assertThat(q.now()).isEqualTo(70);
    }

    @Test
    void shouldRejectSchedulingInThePast() {
        EventQueue q = new EventQueue();
        q.schedule(Event.of(Priority.CPU, "a", () -> { }), 10);
        q.poll(); // now = 10
        Event late = Event.of(Priority.CPU, "late", () -> { });
        assertThatThrownBy(() -> q.schedule(late, 9))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("late").hasMessageContaining("9").hasMessageContaining("10");
        assertThat(late.isScheduled()).isFalse();
        q.schedule(late, 10); // the current cycle itself is allowed
        assertThat(late.isScheduled()).isTrue();
    }

    @Test
    void shouldRejectSchedulingAnAlreadyScheduledEvent() {
        EventQueue q = new EventQueue();
        Event e = Event.of(Priority.CPU, "twice", () -> { });
        q.schedule(e, 5);
        assertThatThrownBy(() -> q.schedule(e, 6)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("twice");
        assertThat(q.size()).isEqualTo(1);
        assertThat(e.time()).isEqualTo(5);
    }

    @Test
    void shouldCancelAndAllowRescheduling() {
        EventQueue q = new EventQueue();
        List<String> log = new ArrayList<>();
        Named a = new Named(Priority.CPU, "a", log);
        Named b = new Named(Priority.CPU, "b", log);
        Named c = new Named(Priority.CPU, "c", log);
        q.schedule(a, 1);
        q.schedule(b, 2);
        q.schedule(c, 3);
        assertThat(q.cancel(b)).isTrue();
        assertThat(q.cancel(b)).isFalse();
        assertThat(b.isScheduled()).isFalse();
        q.schedule(b, 4);
        assertThat(drain(q)).containsExactly("a", "c", "b");
    }

    @Test
    void shouldReportEmptyQueue() {
        EventQueue q = new EventQueue();
        assertThat(q.poll()).isNull();
        assertThat(q.peekTime()).isEqualTo(Long.MAX_VALUE);
    }

    /** Any mix of schedules and cancels pops in the order a sort by (time, priority, sequence) gives. */
    @Property(tries = 200)
    void shouldPopInTotalOrderAfterAnyCancellations(
            @ForAll @Size(min = 1, max = 300) List<@IntRange(min = 0, max = 50) Integer> times,
            @ForAll @Size(min = 1, max = 300) List<@IntRange(min = 0, max = 3) Integer> priorities,
            @ForAll @Size(max = 100) List<@IntRange(min = 0, max = 299) Integer> cancels) {
        EventQueue q = new EventQueue();
        record Spec(int time, int priority, int seq, Event event) {
        }
        List<Spec> specs = new ArrayList<>();
        for (int i = 0; i < times.size(); i++) {
            int p = priorities.get(i % priorities.size());
            Event e = Event.of(p, "e" + i, () -> { });
            q.schedule(e, times.get(i));
            specs.add(new Spec(times.get(i), p, i, e));
        }
        List<Spec> live = new ArrayList<>(specs);
        for (int c : cancels) {
            if (c < specs.size() && q.cancel(specs.get(c).event())) {
                live.remove(specs.get(c));
            }
        }
        live.sort(Comparator.comparingInt(Spec::time).thenComparingInt(Spec::priority).thenComparingInt(Spec::seq));
        List<String> expected = live.stream().map(s -> s.event().name()).toList();
        assertThat(drain(q)).isEqualTo(expected);
    }
}
