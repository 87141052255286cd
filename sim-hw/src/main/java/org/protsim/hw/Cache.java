package org.protsim.hw;

import org.protsim.core.config.CacheConfig;
import org.protsim.core.config.Indexing;

import java.util.Arrays;

/**
 * A set-associative, write-back, write-allocate cache with LRU replacement. It is indexed
 * and tagged by line numbers the caller forms from the virtual or physical address, as
 * {@link #indexing()} says: PIPT (both physical), VIPT (virtual index, physical tag) or VIVT
 * (both virtual). Lines also remember their physical line number, so a dirty line can be
 * written back to the next level whatever the indexing.
 *
 * <p>A CPU's private caches are kept coherent with other CPUs' by a {@link CoherenceDirectory}
 * when one is attached ({@link #attach}): each line then carries an exclusive bit (MESI's E or M;
 * a dirty line is M), fills and evictions are reported to the directory, and a write to a line
 * not held exclusively asks the directory to invalidate the other copies first. The next level
 * is not inclusive (no back-invalidation).
 */
public final class Cache {
    private static final long INVALID = -1L;

    private final String name;
    private final int ways;
    private final int setMask;
    private final int hitCycles;
    private final Indexing indexing;
    // Per line: the tag (what a lookup scans), a dirty flag, and an LRU stamp. Physical line numbers
    // are kept apart only for virtually tagged caches, whose tags cannot be written back as they are.
    private final long[] tags;
    // 8-bit partial tags matched a set at a time: what a lookup scans before it reads a full tag
    private final PartialTags partial;
    private final int wordsPerSet;
    private final long[] physLines;
    private final boolean[] dirty;
    private final int[] stamps;
    // MESI: true when no other CPU holds the line (E, or M if dirty); always true without a directory
    private final boolean[] exclusive;
    private int tick;
    private Cache next;
    // The last hit, reused while no line was installed or dropped since (version unchanged): a run of
    // references within one line, the common case, skips the set scan.
    private long version;
    private long lastTag = INVALID;
    private int lastSlot;
    private long lastVersion = -1;

    private long hits;
    private long misses;
    private long writebacks;
    private long flushedLines;

    // coherence: the directory, this cache's CPU and level in it, and whether a physical line can sit
    // in more than one slot (virtually indexed beyond the page offset, or virtually tagged)
    private CoherenceDirectory directory;
    // false while the directory is dormant (one CPU alone holds private lines): fills and evictions
    // then need no directory traffic, every line being exclusive (see CoherenceDirectory#claim)
    private boolean tracked;
    private int cpu;
    private int level;
    private final boolean aliasing;
    private final int candidateStride;
    /** Set when a write hit had to upgrade a shared line: the hierarchy charges the trip to the shared level. */
    boolean upgraded;

    public Cache(String name, CacheConfig config) {
        this.name = name;
        this.ways = config.ways();
        int sets = config.sets();
        this.setMask = sets - 1;
        this.hitCycles = config.hitCycles();
        this.indexing = config.indexing();
        int lines = sets * ways;
        this.tags = new long[lines];
        Arrays.fill(tags, INVALID);
        this.partial = new PartialTags(sets, ways);
        this.wordsPerSet = partial.wordsPerSet();
        this.physLines = indexing == Indexing.VIVT ? new long[lines] : null;
        this.dirty = new boolean[lines];
        this.stamps = new int[lines];
        this.exclusive = new boolean[lines];
        // a physical line's set: its own bits for a physically indexed cache; for a virtually indexed
        // one only the index bits inside the 4 KiB page offset are known, so every set agreeing on them
        int pageLines = Math.max(1, 4096 / config.lineBytes());
        this.candidateStride = virtuallyIndexed() ? Math.min(sets, pageLines) : sets;
        this.aliasing = candidateStride < sets || indexing == Indexing.VIVT;
    }

    /** Keeps this cache (CPU {@code cpu}'s private cache at directory level {@code level}) coherent through {@code dir}. */
    void attach(CoherenceDirectory dir, int cpu, int level) {
        this.directory = dir;
        this.cpu = cpu;
        this.level = level;
    }

    /** The directory woke up (a second CPU filled a private line): fills and evictions are reported from now on. */
    void track() {
        tracked = true;
    }

    /** Calls {@code line} for the physical line of every valid slot (aliases of one line more than once). */
    void forEachLine(java.util.function.LongConsumer line) {
        for (int i = 0; i < tags.length; i++) {
            if (tags[i] != INVALID) {
                line.accept(physLine(i));
            }
        }
    }

    /** Where dirty victims are written back; null for the last level (memory). */
    public void setNext(Cache next) {
        this.next = next;
    }

    public String name() {
        return name;
    }

    public int hitCycles() {
        return hitCycles;
    }

    public Indexing indexing() {
        return indexing;
    }

    public boolean virtuallyIndexed() {
        return indexing != Indexing.PIPT;
    }

    public boolean virtuallyTagged() {
        return indexing == Indexing.VIVT;
    }

    /**
     * Accesses one line. {@code indexLine}/{@code tagLine} are the virtual or physical line
     * numbers this cache's indexing calls for; {@code physLine} is always physical.
     * Returns true on a hit; a miss allocates the line (evicting the LRU way).
     */
    public boolean access(long indexLine, long tagLine, long physLine, boolean write) {
        int set = (int) indexLine & setMask;
        int base = set * ways;
        if (tagLine == lastTag && lastVersion == version && lastSlot - base >= 0 && lastSlot - base < ways) {
            hit(lastSlot, write);
            return true;
        }
        int slot = find(set, base, tagLine);
        if (slot < 0) {
            miss(set, base, tagLine, physLine, write);
            return false;
        }
        hit(slot, write);
        lastTag = tagLine;
        lastSlot = slot;
        lastVersion = version;
        return true;
    }

    /**
     * A prefetcher's fill of {@code physLine} (physically indexed and tagged caches only): installs
     * it clean if absent, counting neither a hit nor a miss. Returns true if it was absent.
     */
    public boolean prefetch(long physLine) {
        int set = (int) physLine & setMask;
        int base = set * ways;
        if (find(set, base, physLine) >= 0) {
            return false;
        }
        install(set, base, physLine, physLine, false);
        return true;
    }

    /** The slot of set {@code set} (first slot {@code base}) holding {@code tagLine}, lowest way first; -1 if none. */
    private int find(int set, int base, long tagLine) {
        long pattern = PartialTags.pattern(tagLine);
        for (int w = 0; w < wordsPerSet; w++) {
            for (long m = partial.candidates(set, w, pattern); m != 0; m &= m - 1) {
                int i = base + (w << 3) + PartialTags.lowestWay(m);
                if (tags[i] == tagLine) {
                    return i;
                }
            }
        }
        return -1;
    }

    /** Kept out of line so that the hit path stays small enough to inline. */
    private void miss(int set, int base, long tagLine, long physLine, boolean write) {
        misses++;
        install(set, base, tagLine, physLine, write);
    }

    private void hit(int slot, boolean write) {
        hits++;
        if (tick == Integer.MAX_VALUE) {
            renumber();
        }
        stamps[slot] = ++tick;
        if (write) {
            if (!exclusive[slot]) {
                upgrade(slot);
            }
            dirty[slot] = true;
        }
    }

    /** A write to a shared line (S to M): the directory invalidates the other CPUs' copies. */
    private void upgrade(int slot) {
        exclusive[slot] = true;
        upgraded = true;
        directory.upgrade(cpu, physLine(slot));
    }

    private int nextStamp() {
        if (tick == Integer.MAX_VALUE) {
            renumber();
        }
        return ++tick;
    }

    /** Stamps are ints: before they overflow, renumber every set's ways 1..ways in their LRU order. */
    private void renumber() {
        int max = 0;
        for (int base = 0; base < tags.length; base += ways) {
            for (int rank = 1; rank <= ways; rank++) {
                int oldest = -1;
                for (int i = base; i < base + ways; i++) {
                    if (stamps[i] > ways && (oldest < 0 || stamps[i] < stamps[oldest])) {
                        oldest = i;
                    }
                }
                if (oldest >= 0) {
                    stamps[oldest] = rank;
                }
            }
        }
        for (int st : stamps) {
            max = Math.max(max, st);
        }
        tick = max;
    }

    private void install(int set, int base, long tagLine, long physLine, boolean dirtyLine) {
        int victim = base;
        int oldest = Integer.MAX_VALUE;
        for (int i = base, end = base + ways; i < end; i++) {
            if (tags[i] == INVALID) {
                victim = i;
                break;
            }
            if (stamps[i] < oldest) {
                oldest = stamps[i];
                victim = i;
            }
        }
        long old = tags[victim] == INVALID ? INVALID : physLine(victim);
        if (old != INVALID && dirty[victim]) {
            writeBack(old);
        }
        tags[victim] = tagLine;
        partial.set(set, victim - base, tagLine);
        version++;
        if (physLines != null) {
            physLines[victim] = physLine;
        }
        dirty[victim] = dirtyLine;
        stamps[victim] = nextStamp();
        if (!tracked && (directory == null || directory.claim(cpu))) {
            exclusive[victim] = true;
            return;
        }
        if (old != INVALID) {
            dropped(old);
        }
        exclusive[victim] = directory.filled(cpu, level, physLine, dirtyLine);
    }

    /** A copy of {@code physLine} left this cache: tell the directory once no alias of it remains. */
    private void dropped(long physLine) {
        if (!aliasing || copies(physLine, false) == 0) {
            directory.evicted(cpu, level, physLine);
        }
    }

    // ---- the directory's view: copies of a physical line wherever its aliases may sit ----

    /** Slots holding {@code physLine}; with {@code dirtyOnly}, only those that are dirty. */
    int copies(long physLine, boolean dirtyOnly) {
        int n = 0;
        for (int set = (int) (physLine & (candidateStride - 1)); set <= setMask; set += candidateStride) {
            for (int i = set * ways, end = i + ways; i < end; i++) {
                if (tags[i] != INVALID && physLine(i) == physLine && (!dirtyOnly || dirty[i])) {
                    n++;
                }
            }
        }
        return n;
    }

    /**
     * Another CPU writes {@code physLine}: drops every copy here without writing it back (the data
     * moves with the ownership). Returns whether a dropped copy was dirty.
     */
    boolean invalidate(long physLine) {
        boolean wasDirty = false;
        for (int set = (int) (physLine & (candidateStride - 1)); set <= setMask; set += candidateStride) {
            for (int i = set * ways, end = i + ways; i < end; i++) {
                if (tags[i] != INVALID && physLine(i) == physLine) {
                    wasDirty |= dirty[i];
                    tags[i] = INVALID;
                    dirty[i] = false;
                    exclusive[i] = false;
                    version++;
                }
            }
        }
        return wasDirty;
    }

    /** Another CPU reads {@code physLine} (E or M to S): copies here become shared and clean; returns whether one was dirty. */
    boolean downgrade(long physLine) {
        boolean wasDirty = false;
        for (int set = (int) (physLine & (candidateStride - 1)); set <= setMask; set += candidateStride) {
            for (int i = set * ways, end = i + ways; i < end; i++) {
                if (tags[i] != INVALID && physLine(i) == physLine) {
                    wasDirty |= dirty[i];
                    dirty[i] = false;
                    exclusive[i] = false;
                }
            }
        }
        return wasDirty;
    }

    /** The physical line number held in {@code slot}: its tag unless the cache is virtually tagged. */
    private long physLine(int slot) {
        return physLines != null ? physLines[slot] : tags[slot];
    }

    private void writeBack(long physLine) {
        writebacks++;
        if (next != null) {
            next.absorb(physLine);
        }
    }

    /** A dirty line written back from the level above: mark or install it dirty, off the critical path, uncounted. */
    void absorb(long physLine) {
        // levels below L1 are physically indexed and tagged (CachesConfig refuses VIVT there)
        int set = (int) physLine & setMask;
        int base = set * ways;
        int slot = find(set, base, physLine);
        if (slot >= 0) {
            dirty[slot] = true;
            return;
        }
        install(set, base, physLine, physLine, true);
    }

    /** Writes back and invalidates every line (WBINVD); returns the number of valid lines flushed. */
    public int flushAll() {
        int n = 0;
        for (int i = 0; i < tags.length; i++) {
            if (tags[i] != INVALID) {
                long p = physLine(i);
                if (dirty[i]) {
                    writeBack(p);
                }
                tags[i] = INVALID;
                version++;
                dirty[i] = false;
                if (tracked) {
                    dropped(p);
                }
                n++;
            }
        }
        flushedLines += n;
        return n;
    }

    /** Whether the line with this index/tag is held, without touching its LRU state or the counters (a snoop). */
    public boolean holds(long indexLine, long tagLine) {
        int set = (int) indexLine & setMask;
        return find(set, set * ways, tagLine) >= 0;
    }

    /** Writes back and invalidates the line with this index/tag if present (CLFLUSH); returns 1 if it was. */
    public int flushLine(long indexLine, long tagLine) {
        int set = (int) indexLine & setMask;
        int i = find(set, set * ways, tagLine);
        if (i < 0) {
            return 0;
        }
        long p = physLine(i);
        if (dirty[i]) {
            writeBack(p);
        }
        tags[i] = INVALID;
        version++;
        dirty[i] = false;
        flushedLines++;
        if (tracked) {
            dropped(p);
        }
        return 1;
    }

    public int validLines() {
        int n = 0;
        for (long t : tags) {
            if (t != INVALID) {
                n++;
            }
        }
        return n;
    }

    public long hits() {
        return hits;
    }

    public long misses() {
        return misses;
    }

    public long writebacks() {
        return writebacks;
    }

    public long flushedLines() {
        return flushedLines;
    }
}
