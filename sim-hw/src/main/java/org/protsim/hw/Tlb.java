package org.protsim.hw;

import org.protsim.hw.replacement.ReplacementPolicy;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A set-associative translation cache (fully associative when it has one set): TLBs and,
 * with one "page size" equal to a table level's span, page-walk caches.
 *
 * <p>An entry holds a key (virtual page number and size class), an address-space tag and
 * the leaf page-table entry it caches. The tag is one int:
 * <ul>
 *   <li>an ASID (0..65535): matches a context running that ASID;</li>
 *   <li>{@link #TAG_GLOBAL}: matches every context (x86 global pages: kernel mappings);</li>
 *   <li>{@link #TAG_SHARED} | space (0..63): matches contexts subscribed to that shared space
 *       (ARC shared TLB entries tagged with a SASID, docs/sources.md [001]).</li>
 * </ul>
 * Hot path: primitive arrays, no allocation, no boxing.
 */
public final class Tlb {
    public static final int TAG_GLOBAL = 1 << 16;
    public static final int TAG_SHARED = 1 << 17;
    private static final long INVALID = -1L;

    private final String name;
    private final int sets;
    private final int ways;
    private final int setMask;
    private final int hitCycles;
    private final ReplacementPolicy.State policy;
    private final int[] shifts;        // log2 of each size class's page size
    private final int[] live;          // valid entries per size class, to skip empty classes on lookup
    private int liveAbove0;            // valid entries of classes other than the first (usually none)
    private final int shift0;

    private final long[] keys;         // (vpn << 2 | sizeClass), or INVALID
    // 8-bit partial keys matched a set at a time: what a lookup scans before it reads a full key
    private final PartialTags partial;
    private final int wordsPerSet;
    private final int[] tags;
    private final long[] ptes;
    // The last hit of a first-size-class lookup, reused while nothing was filled or invalidated since
    // (version unchanged): consecutive references to one page, the common case, skip the set scan.
    private long version;
    private long lastKey = INVALID;
    private int lastSlot;
    private long lastVersion = -1;

    private long hits;
    private long misses;
    private long fills;
    private long evictions;
    private long invalidations;

    /**
     * @param shifts log2 of the page sizes this structure holds, e.g. {12, 21, 30}
     * @param policy the replacement policy; its state is made here, for this geometry
     * @param random the stream the policy may draw from (only {@code random} does among the built-ins)
     */
    public Tlb(String name, int entries, int ways, int hitCycles, ReplacementPolicy policy, int[] shifts,
               SplittableRandom random) {
        if (entries <= 0 || ways <= 0 || entries % ways != 0 || Integer.bitCount(entries / ways) != 1) {
            throw new IllegalArgumentException(name + ": bad geometry " + entries + " entries / " + ways + " ways");
        }
        if (shifts.length == 0 || shifts.length > 3) {
            throw new IllegalArgumentException(name + ": 1 to 3 page sizes, got " + shifts.length);
        }
        String unsupported = policy.unsupportedWays(ways);
        if (unsupported != null) {
            throw new IllegalArgumentException(name + ": ways " + unsupported);
        }
        this.name = name;
        this.sets = entries / ways;
        this.ways = ways;
        this.setMask = sets - 1;
        this.hitCycles = hitCycles;
        this.policy = policy.create(sets, ways, random);
        this.shifts = shifts.clone();
        this.shift0 = shifts[0];
        this.live = new int[shifts.length];
        this.keys = new long[entries];
        Arrays.fill(keys, INVALID);
        this.partial = new PartialTags(sets, ways);
        this.wordsPerSet = partial.wordsPerSet();
        this.tags = new int[entries];
        this.ptes = new long[entries];
    }

    public String name() {
        return name;
    }

    public int entries() {
        return keys.length;
    }

    public int ways() {
        return ways;
    }

    public int sets() {
        return sets;
    }

    public int hitCycles() {
        return hitCycles;
    }

    /** Index of the size class with page shift {@code shift}, or -1 if this TLB does not hold that size. */
    public int sizeClass(int shift) {
        for (int s = 0; s < shifts.length; s++) {
            if (shifts[s] == shift) {
                return s;
            }
        }
        return -1;
    }

    /** True if an entry tagged {@code tag} serves a context running {@code asid} with subscriptions {@code shared}. */
    public static boolean matches(int tag, int asid, long shared) {
        return tag == asid || matchesGlobalOrShared(tag, shared);
    }

    private static boolean matchesGlobalOrShared(int tag, long shared) {
        return (tag & TAG_GLOBAL) != 0 || ((tag & TAG_SHARED) != 0 && ((shared >>> (tag & 63)) & 1L) != 0);
    }

    /**
     * Looks {@code va} up for a context running {@code asid} subscribed to {@code shared};
     * returns the slot of the hit (read it with {@link #pte(int)}) or -1 on a miss. Counts
     * the hit or miss and updates the replacement state.
     */
    public int lookup(long va, int asid, long shared) {
        if (liveAbove0 == 0 && (va >>> shift0) << 2 == lastKey && lastVersion == version
                && matches(tags[lastSlot], asid, shared)) {
            hits++;
            policy.hit(lastSlot);
            return lastSlot;
        }
        return search(va, asid, shared);
    }

    private int search(long va, int asid, long shared) {
        int slot = find(va, asid, shared);
        if (slot >= 0) {
            hits++;
            policy.hit(slot);
            lastKey = keys[slot];
            lastSlot = slot;
            lastVersion = version;
        } else {
            misses++;
        }
        return slot;
    }

    /** As {@link #lookup} but counts nothing and leaves the replacement state alone. */
    public int probe(long va, int asid, long shared) {
        return find(va, asid, shared);
    }

    private int find(long va, int asid, long shared) {
        if (liveAbove0 == 0) {
            // the common case: only the first page size is cached
            long vpn = va >>> shift0;
            return findIn((int) vpn & setMask, vpn << 2, asid, shared);
        }
        for (int s = 0; s < shifts.length; s++) {
            if (live[s] == 0) {
                continue;
            }
            long vpn = va >>> shifts[s];
            int slot = findIn((int) vpn & setMask, (vpn << 2) | s, asid, shared);
            if (slot >= 0) {
                return slot;
            }
        }
        return -1;
    }

    /** The lowest way of {@code set} holding {@code key} for this context, or -1: as a scan in way order finds it. */
    private int findIn(int set, long key, int asid, long shared) {
        int base = set * ways;
        long pattern = PartialTags.pattern(key);
        for (int w = 0; w < wordsPerSet; w++) {
            for (long m = partial.candidates(set, w, pattern); m != 0; m &= m - 1) {
                int i = base + (w << 3) + PartialTags.lowestWay(m);
                if (keys[i] == key && matches(tags[i], asid, shared)) {
                    return i;
                }
            }
        }
        return -1;
    }

    public long pte(int slot) {
        return ptes[slot];
    }

    /** log2 of the page size of the entry in {@code slot}. */
    public int pageShift(int slot) {
        return shifts[(int) (keys[slot] & 3)];
    }

    public int tag(int slot) {
        return tags[slot];
    }

    /**
     * Installs a translation of {@code va} in size class {@code sizeClass} with {@code tag}.
     * An entry with the same page and tag is overwritten; otherwise an invalid way is used
     * if the set has one, else the policy's victim.
     */
    public void fill(long va, int sizeClass, int tag, long pte) {
        long vpn = va >>> shifts[sizeClass];
        long key = (vpn << 2) | sizeClass;
        int set = (int) vpn & setMask;
        int base = set * ways;
        int victim = -1;
        int invalid = -1;
        for (int i = base, end = base + ways; i < end; i++) {
            long k = keys[i];
            if (k == key && tags[i] == tag) {
                victim = i;
                break;
            }
            if (k == INVALID && invalid < 0) {
                invalid = i;
            }
        }
        if (victim < 0) {
            if (invalid >= 0) {
                victim = invalid;
            } else {
                victim = victim(set, base);
                evictions++;
                countLive((int) (keys[victim] & 3), -1);
            }
            countLive(sizeClass, 1);
        }
        keys[victim] = key;
        partial.set(set, victim - base, key);
        tags[victim] = tag;
        ptes[victim] = pte;
        version++;
        fills++;
        policy.filled(victim);
    }

    private int victim(int set, int base) {
        int v = policy.victim(set);
        if (v < base || v >= base + ways) {
            // a plugin's bug: fail at once rather than corrupt another set's entries
            throw new IllegalStateException(name + ": replacement policy chose slot " + v + " outside set "
                    + set + " (slots " + base + ".." + (base + ways - 1) + ")");
        }
        return v;
    }

    private void countLive(int sizeClass, int delta) {
        live[sizeClass] += delta;
        if (sizeClass > 0) {
            liveAbove0 += delta;
        }
    }

    private void invalidate(int slot) {
        countLive((int) (keys[slot] & 3), -1);
        keys[slot] = INVALID;
        version++;
        invalidations++;
    }

    /** Invalidates every entry, global ones included; returns how many were valid. */
    public int flushAll() {
        int n = 0;
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != INVALID) {
                invalidate(i);
                n++;
            }
        }
        return n;
    }

    /** Invalidates every entry that is not global (x86 CR3 write without PCID). */
    public int flushNonGlobal() {
        int n = 0;
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != INVALID && (tags[i] & TAG_GLOBAL) == 0) {
                invalidate(i);
                n++;
            }
        }
        return n;
    }

    /** Invalidates the entries tagged with {@code asid} (not global or shared ones): INVPCID single-context. */
    public int flushAsid(int asid) {
        int n = 0;
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != INVALID && tags[i] == asid) {
                invalidate(i);
                n++;
            }
        }
        return n;
    }

    /** Invalidates the entries tagged with shared space {@code space}. */
    public int flushShared(int space) {
        int tag = TAG_SHARED | space;
        int n = 0;
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != INVALID && tags[i] == tag) {
                invalidate(i);
                n++;
            }
        }
        return n;
    }

    /**
     * Invalidates the entries, of any size, that translate {@code va} for a context running
     * {@code asid} with subscriptions {@code shared} (INVLPG: the current PCID's entries and
     * global ones for that page).
     */
    public int flushPage(long va, int asid, long shared) {
        int n = 0;
        for (int s = 0; s < shifts.length; s++) {
            if (live[s] == 0) {
                continue;
            }
            long vpn = va >>> shifts[s];
            long key = (vpn << 2) | s;
            int base = ((int) vpn & setMask) * ways;
            for (int i = base, end = base + ways; i < end; i++) {
                if (keys[i] == key && matches(tags[i], asid, shared)) {
                    invalidate(i);
                    n++;
                }
            }
        }
        return n;
    }

    /** Visitor of valid entries, for audits. */
    @FunctionalInterface
    public interface EntryVisitor {
        void entry(long va, int shift, int tag, long pte);
    }

    public void forEachValid(EntryVisitor visitor) {
        for (int i = 0; i < keys.length; i++) {
            long k = keys[i];
            if (k != INVALID) {
                int s = (int) (k & 3);
                visitor.entry((k >>> 2) << shifts[s], shifts[s], tags[i], ptes[i]);
            }
        }
    }

    public int validEntries() {
        int n = 0;
        for (int c : live) {
            n += c;
        }
        return n;
    }

    public long hits() {
        return hits;
    }

    public long misses() {
        return misses;
    }

    public long fills() {
        return fills;
    }

    public long evictions() {
        return evictions;
    }

    public long invalidations() {
        return invalidations;
    }
}
