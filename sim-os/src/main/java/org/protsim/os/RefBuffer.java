package org.protsim.os;

/**
 * A batch of memory references in primitive arrays, filled by a generator or trace reader
 * and consumed by a CPU loop: the per-reference path allocates nothing.
 */
public final class RefBuffer {
    public final long[] addresses;
    public final int[] sizes;
    /** Cpu.READ, Cpu.WRITE or Cpu.EXECUTE. */
    public final byte[] accesses;
    /** Number of valid references. */
    public int count;
    /** Index of the next reference to perform. */
    public int position;
    /**
     * Drop (and count) a reference no mapping allows instead of killing the process: for
     * replays, whose references between recorded calls are synthetic and may race with another
     * thread's munmap or mprotect.
     */
    public boolean dropStray;

    public RefBuffer(int capacity) {
        addresses = new long[capacity];
        sizes = new int[capacity];
        accesses = new byte[capacity];
    }

    public int capacity() {
        return addresses.length;
    }

    public boolean isEmpty() {
        return position >= count;
    }

    public boolean isFull() {
        return count == addresses.length;
    }

    public void clear() {
        count = 0;
        position = 0;
    }

    public void add(long address, int size, int access) {
        int i = count++;
        addresses[i] = address;
        sizes[i] = size;
        accesses[i] = (byte) access;
    }
}
