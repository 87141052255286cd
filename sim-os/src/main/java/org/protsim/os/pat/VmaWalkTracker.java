package org.protsim.os.pat;

import org.protsim.hw.Pte;

import java.util.Arrays;

/**
 * {@code vma-walk}: every mapping of a non-RAM range is one entry of a list of all such mappings,
 * and a check scans the whole list for overlaps, as Biederman proposed in docs/sources.md [004] ("keep all of
 * them on a linked list so we can walk through them ... slow but effective"). A check costs one
 * step per mapping; a repeated mapping is simply another entry.
 */
public final class VmaWalkTracker implements MemtypeTracker {
    private final MemtypeCosts costs;
    private long[] start = new long[16];
    private long[] end = new long[16];
    private int[] type = new int[16];
    private int n;
    private long lastSteps;
    private long lastCycles;

    public VmaWalkTracker(MemtypeCosts costs) {
        this.costs = costs;
    }

    @Override
    public String name() {
        return "vma-walk";
    }

    @Override
    public Outcome reserve(long startPfn, long endPfn, int attribute, boolean ram) {
        checkRange(startPfn, endPfn);
        if (ram) {
            return finish(0, attribute == Pte.WRITE_BACK ? Outcome.ACCEPTED : Outcome.RAM_NOT_WRITE_BACK);
        }
        long steps = 0;
        for (int i = 0; i < n; i++) {
            steps++;
            if (start[i] < endPfn && startPfn < end[i] && type[i] != attribute) {
                return finish(steps, Outcome.CONFLICTING_MEMTYPE);
            }
        }
        if (n == start.length) {
            start = Arrays.copyOf(start, n * 2);
            end = Arrays.copyOf(end, n * 2);
            type = Arrays.copyOf(type, n * 2);
        }
        start[n] = startPfn;
        end[n] = endPfn;
        type[n] = attribute;
        n++;
        return finish(steps, Outcome.ACCEPTED);
    }

    @Override
    public Outcome free(long startPfn, long endPfn, boolean ram) {
        checkRange(startPfn, endPfn);
        if (ram) {
            return finish(0, Outcome.ACCEPTED);
        }
        // the whole list: an exact match if there is one, else the lowest-starting entry this is the tail of
        long steps = 0;
        int exact = -1;
        int tail = -1;
        for (int i = 0; i < n; i++) {
            steps++;
            if (end[i] != endPfn) {
                continue;
            }
            if (start[i] == startPfn) {
                exact = i;
                break;
            }
            if (start[i] < startPfn && (tail < 0 || start[i] < start[tail])) {
                tail = i;
            }
        }
        if (exact >= 0) {
            n--;
            start[exact] = start[n];
            end[exact] = end[n];
            type[exact] = type[n];
            return finish(steps, Outcome.ACCEPTED);
        }
        if (tail >= 0) {
            end[tail] = startPfn;
            return finish(steps, Outcome.ACCEPTED);
        }
        return finish(steps, Outcome.NOT_RESERVED);
    }

    @Override
    public int attributeOf(long pfn) {
        long steps = 0;
        int best = -1;
        for (int i = 0; i < n; i++) {
            steps++;
            if (start[i] <= pfn && pfn < end[i] && (best < 0 || start[i] < start[best])) {
                best = i;
            }
        }
        finish(steps, null);
        return best < 0 ? -1 : type[best];
    }

    @Override
    public long reservations() {
        return n;
    }

    @Override
    public long lastSteps() {
        return lastSteps;
    }

    @Override
    public long lastCycles() {
        return lastCycles;
    }

    private Outcome finish(long steps, Outcome outcome) {
        lastSteps = steps;
        lastCycles = costs.cycles(steps);
        return outcome;
    }

    static void checkRange(long startPfn, long endPfn) {
        if (startPfn < 0 || endPfn <= startPfn) {
            throw new IllegalArgumentException("bad pfn range [" + startPfn + ", " + endPfn + ")");
        }
    }
}
