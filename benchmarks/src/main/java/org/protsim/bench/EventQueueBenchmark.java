package org.protsim.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.protsim.core.Event;
import org.protsim.core.EventQueue;
import org.protsim.core.Priority;

import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The "hold" model of event-set benchmarks: with N events pending, pop the earliest and
 * schedule it again a random distance ahead, so the queue size stays N. protsim's
 * {@link EventQueue} runs side by side with {@link PriorityQueue} holding the same kind of
 * reusable events under the same (time, priority, sequence) order and the same increments.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class EventQueueBenchmark {
    @Param({"10", "1000", "100000"})
    int pending;

    private static final int INCREMENTS = 1 << 16;
    private final long[] increments = new long[INCREMENTS];
    private int next;

    private EventQueue queue;
    private PriorityQueue<PqEvent> pq;
    private long pqSequence;

    /** What a PriorityQueue must hold to give the same total order. */
    static final class PqEvent {
        long time;
        int priority;
        long sequence;
    }

    private static final Comparator<PqEvent> ORDER = (a, b) -> {
        if (a.time != b.time) {
            return Long.compare(a.time, b.time);
        }
        if (a.priority != b.priority) {
            return Integer.compare(a.priority, b.priority);
        }
        return Long.compare(a.sequence, b.sequence);
    };

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < INCREMENTS; i++) {
            increments[i] = 1 + r.nextLong(1000); // mean gap 500 cycles, many equal times at large N
        }
        queue = new EventQueue();
        pq = new PriorityQueue<>(pending, ORDER);
        int[] priorities = {Priority.INTERRUPT, Priority.TIMER, Priority.CPU};
        for (int i = 0; i < pending; i++) {
            long t = r.nextLong(1000);
            int p = priorities[i % priorities.length];
            queue.schedule(Event.of(p, "e" + i, () -> { }), t);
            PqEvent e = new PqEvent();
            e.time = t;
            e.priority = p;
            e.sequence = pqSequence++;
            pq.add(e);
        }
    }

    private long increment() {
        long v = increments[next];
        next = (next + 1) & (INCREMENTS - 1);
        return v;
    }

    @Benchmark
    public long protsimEventQueue() {
        Event e = queue.poll();
        queue.schedule(e, queue.now() + increment());
        return e.time();
    }

    @Benchmark
    public long javaPriorityQueue() {
        PqEvent e = pq.poll();
        e.time += increment();
        e.sequence = pqSequence++;
        pq.add(e);
        return e.time;
    }
}
