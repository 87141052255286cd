package org.protsim.os.dma;

/**
 * A first-in first-out queue of {@code long}s in a ring of a {@code long[]} that doubles when full
 * (as {@link java.util.ArrayDeque} does, without boxing): an add or a poll allocates nothing until
 * the ring grows. What {@code kernel.dma owned-pages} keeps the driver's freed window slots in.
 */
final class LongQueue {
    private long[] ring = new long[8];
    private int head;
    private int size;

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** Appends {@code value} at the tail. */
    void add(long value) {
        if (size == ring.length) {
            long[] bigger = new long[ring.length * 2];
            int first = ring.length - head; // head..end, then 0..head
            System.arraycopy(ring, head, bigger, 0, first);
            System.arraycopy(ring, 0, bigger, first, head);
            ring = bigger;
            head = 0;
        }
        ring[(head + size) & (ring.length - 1)] = value;
        size++;
    }

    /** Removes and returns the head. */
    long poll() {
        if (size == 0) {
            throw new IllegalStateException("the queue is empty");
        }
        long value = ring[head];
        head = (head + 1) & (ring.length - 1);
        size--;
        return value;
    }
}
