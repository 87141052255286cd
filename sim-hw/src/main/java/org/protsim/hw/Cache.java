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
 * <p>Caches are not kept coherent with each other (no snooping between CPUs' private
 * caches); the next level is not inclusive (no back-invalidation).
 */
public final class Cache {
    private static final long INVALID = -1L;

    private final String name;
    private final int ways;
    private final int setMask;
    private final int hitCycles;
    private final Indexing indexing;
    private final long[] tags;
    private final long[] physLines;
    private final boolean[] dirty;
    private final long[] stamps;
    private long tick;
    private Cache next;

    private long hits;
    private long misses;
    private long writebacks;
    private long flushedLines;

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
        this.physLines = new long[lines];
        this.dirty = new boolean[lines];
        this.stamps = new long[lines];
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
        int base = ((int) indexLine & setMask) * ways;
        for (int i = base, end = base + ways; i < end; i++) {
            if (tags[i] == tagLine) {
                hits++;
                stamps[i] = ++tick;
                if (write) {
                    dirty[i] = true;
                }
                return true;
            }
        }
        misses++;
        install(base, tagLine, physLine, write);
        return false;
    }

    private void install(int base, long tagLine, long physLine, boolean dirtyLine) {
        int victim = base;
        long oldest = Long.MAX_VALUE;
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
        if (tags[victim] != INVALID && dirty[victim]) {
            writeBack(physLines[victim]);
        }
        tags[victim] = tagLine;
        physLines[victim] = physLine;
        dirty[victim] = dirtyLine;
        stamps[victim] = ++tick;
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
        int base = ((int) physLine & setMask) * ways;
        for (int i = base, end = base + ways; i < end; i++) {
            if (tags[i] == physLine) {
                dirty[i] = true;
                return;
            }
        }
        install(base, physLine, physLine, true);
    }

    /** Writes back and invalidates every line (WBINVD); returns the number of valid lines flushed. */
    public int flushAll() {
        int n = 0;
        for (int i = 0; i < tags.length; i++) {
            if (tags[i] != INVALID) {
                if (dirty[i]) {
                    writeBack(physLines[i]);
                }
                tags[i] = INVALID;
                dirty[i] = false;
                n++;
            }
        }
        flushedLines += n;
        return n;
    }

    /** Writes back and invalidates the line with this index/tag if present (CLFLUSH); returns 1 if it was. */
    public int flushLine(long indexLine, long tagLine) {
        int base = ((int) indexLine & setMask) * ways;
        for (int i = base, end = base + ways; i < end; i++) {
            if (tags[i] == tagLine) {
                if (dirty[i]) {
                    writeBack(physLines[i]);
                }
                tags[i] = INVALID;
                dirty[i] = false;
                flushedLines++;
                return 1;
            }
        }
        return 0;
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
