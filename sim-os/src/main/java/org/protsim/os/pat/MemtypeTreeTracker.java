package org.protsim.os.pat;

import org.protsim.hw.Pte;

import java.util.Arrays;

/**
 * {@code memtype-tree}: Linux's interval tree of reserved pfn ranges (arch/x86/mm/pat/
 * memtype_interval.c; docs/hardware-costs.md "Linux memtype tracking"), a balanced search tree ordered by
 * start and augmented with each subtree's greatest end, so a check visits only subtrees that
 * can overlap the request: O(log n) nodes plus the overlaps it finds. Overlapping entries are
 * allowed; an exact repetition of a reservation adds a reference to its node instead of a
 * second node (Linux keeps a second node; the checks come out the same).
 *
 * <p>An AVL tree in primitive arrays (node 0 is the empty tree; freed nodes are reused), so a
 * check allocates nothing; Linux uses a red-black tree, whose height bound (2 log2 n) is looser
 * than AVL's (1.44 log2 n), which does not change the logarithmic growth the cost shows.
 */
public final class MemtypeTreeTracker implements MemtypeTracker {
    private static final int NIL = 0;

    private final MemtypeCosts costs;
    private long[] start = new long[16];
    private long[] end = new long[16];
    private long[] maxEnd = new long[16];
    private int[] type = new int[16];
    private int[] refs = new int[16];
    private int[] left = new int[16];
    private int[] right = new int[16];
    private int[] height = new int[16];
    private int root = NIL;
    private int used = 1;          // nodes 1..used-1 have been handed out
    private int freeList = NIL;    // freed nodes, linked through left[]
    private long reservations;
    private long steps;
    private long lastSteps;
    private long lastCycles;

    public MemtypeTreeTracker(MemtypeCosts costs) {
        this.costs = costs;
        maxEnd[NIL] = Long.MIN_VALUE;
    }

    @Override
    public String name() {
        return "memtype-tree";
    }

    @Override
    public Outcome reserve(long startPfn, long endPfn, int attribute, boolean ram) {
        VmaWalkTracker.checkRange(startPfn, endPfn);
        steps = 0;
        if (ram) {
            return finish(attribute == Pte.WRITE_BACK ? Outcome.ACCEPTED : Outcome.RAM_NOT_WRITE_BACK);
        }
        if (conflicts(root, startPfn, endPfn, attribute)) {
            return finish(Outcome.CONFLICTING_MEMTYPE);
        }
        int same = find(startPfn, endPfn, attribute);
        if (same != NIL) {
            refs[same]++;
        } else {
            root = insert(root, startPfn, endPfn, attribute, 1);
        }
        reservations++;
        return finish(Outcome.ACCEPTED);
    }

    @Override
    public Outcome free(long startPfn, long endPfn, boolean ram) {
        VmaWalkTracker.checkRange(startPfn, endPfn);
        steps = 0;
        if (ram) {
            return finish(Outcome.ACCEPTED);
        }
        int exact = findRange(root, startPfn, endPfn);
        if (exact != NIL) {
            release(exact, 1);
            reservations--;
            return finish(Outcome.ACCEPTED);
        }
        int tail = tailOf(root, startPfn, endPfn);
        if (tail == NIL) {
            return finish(Outcome.NOT_RESERVED);
        }
        // mremap: one reference of [s, end) becomes [s, startPfn)
        long s = start[tail];
        int t = type[tail];
        release(tail, 1);
        int same = find(s, startPfn, t);
        if (same != NIL) {
            refs[same]++;
        } else {
            root = insert(root, s, startPfn, t, 1);
        }
        return finish(Outcome.ACCEPTED);
    }

    @Override
    public int attributeOf(long pfn) {
        steps = 0;
        int x = firstOverlap(root, pfn, pfn + 1);
        finish(null);
        return x == NIL ? -1 : type[x];
    }

    @Override
    public long reservations() {
        return reservations;
    }

    /** Nodes in the tree (distinct reservations). */
    public int nodes() {
        return count(root);
    }

    /** Height of the tree (0 when empty). */
    public int height() {
        return height[root];
    }

    @Override
    public long lastSteps() {
        return lastSteps;
    }

    @Override
    public long lastCycles() {
        return lastCycles;
    }

    private Outcome finish(Outcome outcome) {
        lastSteps = steps;
        lastCycles = costs.cycles(steps);
        return outcome;
    }

    // ---- queries

    /** Whether a node under {@code x} overlapping [s, e) has a type other than {@code t}. */
    private boolean conflicts(int x, long s, long e, int t) {
        while (x != NIL) {
            if (maxEnd[x] <= s) {
                return false; // nothing in this subtree ends after s
            }
            steps++;
            if (conflicts(left[x], s, e, t)) {
                return true;
            }
            if (start[x] >= e) {
                return false; // this node and everything to its right start at or after e
            }
            if (s < end[x] && type[x] != t) {
                return true;
            }
            x = right[x];
        }
        return false;
    }

    /** The overlapping node with the lowest start (interval_iter_first), or NIL. */
    private int firstOverlap(int x, long s, long e) {
        while (x != NIL) {
            if (maxEnd[x] <= s) {
                return NIL;
            }
            steps++;
            int l = firstOverlap(left[x], s, e);
            if (l != NIL) {
                return l;
            }
            if (start[x] >= e) {
                return NIL;
            }
            if (s < end[x]) {
                return x;
            }
            x = right[x];
        }
        return NIL;
    }

    /** The node of [s, e) with any type (an exact match for a release), or NIL. */
    private int findRange(int x, long s, long e) {
        while (x != NIL) {
            steps++;
            int c = Long.compare(s, start[x]) != 0 ? Long.compare(s, start[x]) : Long.compare(e, end[x]);
            if (c == 0) {
                return x;
            }
            x = c < 0 ? left[x] : right[x];
        }
        return NIL;
    }

    /** The node of exactly (s, e, t), or NIL. */
    private int find(long s, long e, int t) {
        int x = root;
        while (x != NIL) {
            steps++;
            int c = compare(s, e, t, x);
            if (c == 0) {
                return x;
            }
            x = c < 0 ? left[x] : right[x];
        }
        return NIL;
    }

    /** The lowest-starting node with start < s and end == e (Linux END_MATCH), or NIL. */
    private int tailOf(int x, long s, long e) {
        while (x != NIL) {
            if (maxEnd[x] <= s) {
                return NIL;
            }
            steps++;
            int l = tailOf(left[x], s, e);
            if (l != NIL) {
                return l;
            }
            if (start[x] >= s) {
                return NIL; // a tail's owner starts before s
            }
            if (end[x] == e) {
                return x;
            }
            x = right[x];
        }
        return NIL;
    }

    private int compare(long s, long e, int t, int x) {
        if (s != start[x]) {
            return s < start[x] ? -1 : 1;
        }
        if (e != end[x]) {
            return e < end[x] ? -1 : 1;
        }
        return Integer.compare(t, type[x]);
    }

    /** For tests: checks order, balance, heights and maxEnd of every node; throws if one is wrong. */
    void checkInvariants() {
        check(root, Long.MIN_VALUE);
        int[] order = new int[count(root)];
        inOrder(root, order, 0);
        for (int i = 1; i < order.length; i++) {
            if (compare(start[order[i]], end[order[i]], type[order[i]], order[i - 1]) <= 0) {
                throw new IllegalStateException("nodes " + order[i - 1] + " and " + order[i] + " out of order");
            }
        }
    }

    private int inOrder(int x, int[] out, int i) {
        if (x == NIL) {
            return i;
        }
        i = inOrder(left[x], out, i);
        out[i++] = x;
        return inOrder(right[x], out, i);
    }

    private long check(int x, long lowerStart) {
        if (x == NIL) {
            return Long.MIN_VALUE;
        }
        if (start[x] < lowerStart || refs[x] <= 0) {
            throw new IllegalStateException("node " + x + " out of order or without references");
        }
        long l = check(left[x], lowerStart);
        long r = check(right[x], start[x]);
        if (left[x] != NIL && start[left[x]] > start[x]) {
            throw new IllegalStateException("left child of " + x + " starts after it");
        }
        if (Math.abs(height[left[x]] - height[right[x]]) > 1
                || height[x] != 1 + Math.max(height[left[x]], height[right[x]])) {
            throw new IllegalStateException("node " + x + " unbalanced or with a wrong height");
        }
        long m = Math.max(end[x], Math.max(l, r));
        if (maxEnd[x] != m) {
            throw new IllegalStateException("node " + x + " has maxEnd " + maxEnd[x] + ", not " + m);
        }
        return m;
    }

    private int count(int x) {
        return x == NIL ? 0 : 1 + count(left[x]) + count(right[x]);
    }

    // ---- AVL insertion and removal, keeping maxEnd

    private void release(int x, int n) {
        refs[x] -= n;
        if (refs[x] == 0) {
            long s = start[x];
            long e = end[x];
            int t = type[x];
            root = remove(root, s, e, t);
        }
    }

    private int insert(int x, long s, long e, int t, int r) {
        if (x == NIL) {
            return newNode(s, e, t, r);
        }
        steps++;
        // the child is computed before the store: an insertion may grow (replace) the arrays
        if (compare(s, e, t, x) < 0) {
            int child = insert(left[x], s, e, t, r);
            left[x] = child;
        } else {
            int child = insert(right[x], s, e, t, r);
            right[x] = child;
        }
        return balance(x);
    }

    private int remove(int x, long s, long e, int t) {
        steps++;
        int c = compare(s, e, t, x);
        if (c < 0) {
            left[x] = remove(left[x], s, e, t);
        } else if (c > 0) {
            right[x] = remove(right[x], s, e, t);
        } else {
            if (left[x] == NIL || right[x] == NIL) {
                int child = left[x] == NIL ? right[x] : left[x];
                freeNode(x);
                return child;
            }
            // replace by the successor: the leftmost node of the right subtree
            int m = right[x];
            while (left[m] != NIL) {
                steps++;
                m = left[m];
            }
            long ms = start[m];
            long me = end[m];
            int mt = type[m];
            int mr = refs[m];
            right[x] = remove(right[x], ms, me, mt);
            start[x] = ms;
            end[x] = me;
            type[x] = mt;
            refs[x] = mr;
        }
        return balance(x);
    }

    private int balance(int x) {
        update(x);
        int b = height[left[x]] - height[right[x]];
        if (b > 1) {
            if (height[left[left[x]]] < height[right[left[x]]]) {
                left[x] = rotateLeft(left[x]);
            }
            return rotateRight(x);
        }
        if (b < -1) {
            if (height[right[right[x]]] < height[left[right[x]]]) {
                right[x] = rotateRight(right[x]);
            }
            return rotateLeft(x);
        }
        return x;
    }

    private int rotateRight(int x) {
        int l = left[x];
        left[x] = right[l];
        right[l] = x;
        update(x);
        update(l);
        return l;
    }

    private int rotateLeft(int x) {
        int r = right[x];
        right[x] = left[r];
        left[r] = x;
        update(x);
        update(r);
        return r;
    }

    private void update(int x) {
        height[x] = 1 + Math.max(height[left[x]], height[right[x]]);
        maxEnd[x] = Math.max(end[x], Math.max(maxEnd[left[x]], maxEnd[right[x]]));
    }

    private int newNode(long s, long e, int t, int r) {
        int x;
        if (freeList != NIL) {
            x = freeList;
            freeList = left[x];
        } else {
            if (used == start.length) {
                grow();
            }
            x = used++;
        }
        start[x] = s;
        end[x] = e;
        type[x] = t;
        refs[x] = r;
        left[x] = NIL;
        right[x] = NIL;
        update(x);
        return x;
    }

    private void freeNode(int x) {
        left[x] = freeList;
        freeList = x;
    }

    private void grow() {
        int n = start.length * 2;
        start = Arrays.copyOf(start, n);
        end = Arrays.copyOf(end, n);
        maxEnd = Arrays.copyOf(maxEnd, n);
        type = Arrays.copyOf(type, n);
        refs = Arrays.copyOf(refs, n);
        left = Arrays.copyOf(left, n);
        right = Arrays.copyOf(right, n);
        height = Arrays.copyOf(height, n);
    }
}
