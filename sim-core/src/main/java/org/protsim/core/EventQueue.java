package org.protsim.core;

import java.util.Arrays;

/**
 * Pending events ordered by (time, priority, insertion sequence): a binary heap of event
 * objects that remember their own heap slot, so cancellation is O(log n) and scheduling
 * allocates nothing once the array has grown. The ordering follows SST core's
 * (time, priority, sequence) and gem5's named priorities.
 *
 * <p>The queue also keeps the current cycle: the time of the last event popped. Scheduling
 * before that cycle is rejected, so time never runs backwards.
 */
public final class EventQueue {
    /** Priorities must fit in the top bits of an order key; the low bits hold the insertion sequence. */
    private static final int SEQUENCE_BITS = 55;

    // The heap, as parallel arrays so that sifting compares primitives in contiguous memory
    // instead of dereferencing scattered event objects: slot i holds events[i], its time and
    // its order key (priority << 55 | sequence).
    private Event[] events = new Event[64];
    private long[] times = new long[64];
    private long[] orders = new long[64];
    private int size;
    private long nextSequence;
    private long now;

    public long now() {
        return now;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Time of the earliest pending event, or {@link Long#MAX_VALUE} when none is pending. */
    public long peekTime() {
        return size == 0 ? Long.MAX_VALUE : times[0];
    }

    /**
     * Schedules {@code event} at absolute cycle {@code time}.
     *
     * @throws IllegalStateException    if the event is already scheduled
     * @throws IllegalArgumentException if {@code time} is before the current cycle
     */
    public void schedule(Event event, long time) {
        if (event.heapIndex >= 0) {
            throw new IllegalStateException("event " + event.name() + " is already scheduled at cycle " + event.time);
        }
        if (time < now) {
            throw new IllegalArgumentException(
                    "cannot schedule " + event.name() + " at cycle " + time + ": the current cycle is " + now);
        }
        int priority = event.priority();
        if (priority < 0 || priority > 255) {
            throw new IllegalArgumentException("priority " + priority + " of " + event.name() + " is outside 0..255");
        }
        event.time = time;
        event.sequence = nextSequence++;
        if (size == events.length) {
            grow();
        }
        siftUp(size++, event, time, ((long) priority << SEQUENCE_BITS) | event.sequence);
    }

    /** Removes a scheduled event; returns false if it was not scheduled. */
    public boolean cancel(Event event) {
        int i = event.heapIndex;
        if (i < 0) {
            return false;
        }
        event.heapIndex = -1;
        int last = --size;
        Event moved = events[last];
        long movedTime = times[last];
        long movedOrder = orders[last];
        events[last] = null;
        if (i != last) {
            siftDown(i, moved, movedTime, movedOrder);
            if (moved.heapIndex == i) {
                siftUp(i, moved, movedTime, movedOrder);
            }
        }
        return true;
    }

    /** Removes and returns the earliest event, advancing the current cycle to its time; null if empty. */
    public Event poll() {
        if (size == 0) {
            return null;
        }
        Event first = events[0];
        now = times[0];
        first.heapIndex = -1;
        int last = --size;
        Event moved = events[last];
        long movedTime = times[last];
        long movedOrder = orders[last];
        events[last] = null;
        if (last > 0) {
            siftDown(0, moved, movedTime, movedOrder);
        }
        return first;
    }

    /** Moves the current cycle forward to {@code time} without an event (used at a cycle limit). */
    void advanceTo(long time) {
        if (time > now) {
            now = time;
        }
    }

    private void grow() {
        int n = events.length * 2;
        events = Arrays.copyOf(events, n);
        times = Arrays.copyOf(times, n);
        orders = Arrays.copyOf(orders, n);
    }

    private void place(int i, Event e, long time, long order) {
        events[i] = e;
        times[i] = time;
        orders[i] = order;
        e.heapIndex = i;
    }

    private void siftUp(int i, Event e, long time, long order) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            long pt = times[parent];
            if (pt < time || (pt == time && orders[parent] < order)) {
                break;
            }
            place(i, events[parent], pt, orders[parent]);
            i = parent;
        }
        place(i, e, time, order);
    }

    private void siftDown(int i, Event e, long time, long order) {
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && (times[right] < times[child]
                    || (times[right] == times[child] && orders[right] < orders[child]))) {
                child = right;
            }
            long ct = times[child];
            if (time < ct || (time == ct && order < orders[child])) {
                break;
            }
            place(i, events[child], ct, orders[child]);
            i = child;
        }
        place(i, e, time, order);
    }
}
