package org.protsim.os.dma;

import java.util.Arrays;

/**
 * {@code kernel.dma owned-pages} under {@code sasos}: the driver's grants, each a range
 * [start, end) of the single address space and the mapping whose frames it reaches, kept sorted by
 * start in parallel arrays. Looked up as a {@link java.util.TreeMap}'s {@code floorEntry} is (the
 * grant with the greatest start at or below the address, then its end checked), and put and removed
 * by start with a map's meaning (a second grant at the same start replaces the first), but with no
 * entry object per grant: a grant allocates nothing until the arrays grow. The grants in force at
 * once are few (one per buffer mapped), so an insertion's shift costs less than a tree's rebalancing.
 */
final class Grants {
    private long[] starts = new long[16];
    private long[] ends = new long[16];
    private Mapping[] mappings = new Mapping[16];
    private int size;

    int size() {
        return size;
    }

    /** Grants [start, end) over the frames of {@code m}, replacing a grant at the same start. */
    void put(long start, long end, Mapping m) {
        int i = Arrays.binarySearch(starts, 0, size, start);
        if (i < 0) {
            i = -i - 1;
            if (size == starts.length) {
                starts = Arrays.copyOf(starts, size * 2);
                ends = Arrays.copyOf(ends, size * 2);
                mappings = Arrays.copyOf(mappings, size * 2);
            }
            System.arraycopy(starts, i, starts, i + 1, size - i);
            System.arraycopy(ends, i, ends, i + 1, size - i);
            System.arraycopy(mappings, i, mappings, i + 1, size - i);
            size++;
        }
        starts[i] = start;
        ends[i] = end;
        mappings[i] = m;
    }

    /** Removes the grant that starts at {@code start}; returns false if there is none. */
    boolean remove(long start) {
        int i = Arrays.binarySearch(starts, 0, size, start);
        if (i < 0) {
            return false;
        }
        size--;
        System.arraycopy(starts, i + 1, starts, i, size - i);
        System.arraycopy(ends, i + 1, ends, i, size - i);
        System.arraycopy(mappings, i + 1, mappings, i, size - i);
        mappings[size] = null;
        return true;
    }

    /**
     * The frame the grant with the greatest start at or below {@code addr} reaches there, or -1 if
     * there is no such grant or {@code addr} is at or past its end.
     */
    long frame(long addr) {
        int i = Arrays.binarySearch(starts, 0, size, addr);
        if (i < 0) {
            i = -i - 2; // the insertion point's left neighbour: the floor
            if (i < 0) {
                return -1;
            }
        }
        if (addr >= ends[i]) {
            return -1;
        }
        return mappings[i].frames[(int) ((addr - starts[i]) >>> 12)];
    }
}
