package org.protsim.hw;

import org.protsim.core.stats.Stats;

import java.util.Arrays;

/**
 * MESI coherence between the CPUs' private caches (L1d, L1i, L2), kept by a directory at the
 * shared level, as a snoop filter or the core-valid bits of an inclusive LLC do on current
 * multicores (Sorin, Hill and Wood, "A Primer on Memory Consistency and Cache Coherence", 2nd ed.,
 * ch. 7 (MESI) and 8 (directory protocols)). For every line some private cache holds, the
 * directory knows which CPUs hold it at which level and which CPU, if any, holds it exclusively
 * (E, or M once written). Only lines in private caches have entries, so a reference whose line no
 * other CPU holds costs at most a hash probe at a fill or an eviction, never a scan of the others.
 *
 * <ul>
 *   <li>A write to a line another CPU holds (a write miss, or a write hit on a shared line)
 *       invalidates the other copies: one {@code coherence.invalidations} per CPU that lost it.
 *   <li>A miss in a CPU's private caches on a line another CPU holds modified is a
 *       {@code coherence.misses} (Intel's snoop "HITM"): the dirty data goes to the shared level,
 *       where the missing CPU finds it, so the miss costs the LLC's latency, not DRAM's. On a read
 *       the owner keeps a clean shared copy (M to S); on a write it loses it (M to I).
 *   <li>A read of a line another CPU holds exclusive but clean (E) makes both shared, uncounted.
 * </ul>
 *
 * A dirty private line is always exclusive (a downgrade cleans it), which is what lets a write
 * hit on a dirty line skip the directory altogether.
 */
public final class CoherenceDirectory {
    static final int L1D = 0;
    static final int L1I = 1;
    static final int L2 = 2;
    private static final int LEVELS = 3;
    private static final long EMPTY = -1L;

    /** caches[cpu][level]: each CPU's private caches, in directory level order. */
    private final Cache[][] caches;
    private final Cache llc;

    // open addressing with linear probing: keys (physical line numbers), per entry one sharer bitmask
    // per level, and the exclusive holder (-1 for none)
    private long[] keys;
    private long[] sharers;
    private byte[] owner;
    private int mask;
    private int shift;
    private int size;

    private long invalidations;
    private long misses;

    /**
     * Attaches every CPU's private caches to a new directory. {@code privateCaches[cpu]} holds
     * that CPU's L1d, L1i and L2; {@code llc} is where dirty data goes when another CPU needs it.
     */
    public CoherenceDirectory(Cache[][] privateCaches, Cache llc) {
        this.caches = privateCaches;
        this.llc = llc;
        allocate(1 << 12);
        for (int c = 0; c < privateCaches.length; c++) {
            for (int level = 0; level < LEVELS; level++) {
                privateCaches[c][level].attach(this, c, level);
            }
        }
    }

    /** Counters {@code coherence.invalidations} and {@code coherence.misses}. */
    public static void registerStats(Stats s, CoherenceDirectory d) {
        s.counter("coherence.invalidations", "copies",
                "private copies of a line (one per CPU) invalidated because another CPU wrote the line",
                d == null ? () -> 0 : () -> d.invalidations);
        s.counter("coherence.misses", "misses",
                "misses in a CPU's private caches on a line another CPU held modified (served via the LLC)",
                d == null ? () -> 0 : () -> d.misses);
    }

    public long invalidations() {
        return invalidations;
    }

    public long misses() {
        return misses;
    }

    /** Lines some private cache holds (directory entries). */
    public int trackedLines() {
        return size;
    }

    /**
     * CPU {@code cpu} installed {@code line} at {@code level} ({@code write}: by a write miss).
     * Performs what MESI asks of the other CPUs and returns whether the new copy is exclusive.
     */
    boolean filled(int cpu, int level, long line, boolean write) {
        int s = findOrInsert(line);
        int b = s * LEVELS;
        long bit = 1L << cpu;
        long all = sharers[b] | sharers[b + 1] | sharers[b + 2];
        long others = all & ~bit;
        if (others != 0) {
            int o = owner[s];
            if (o >= 0 && o != cpu) {
                // another CPU holds it E or M, so this CPU held no copy: a fill from the shared level
                boolean dirty = caches[o][L1D].copies(line, true) + caches[o][L2].copies(line, true) > 0;
                if (dirty) {
                    misses++;
                }
                if (!write) {
                    for (int level2 = 0; level2 < LEVELS; level2++) {
                        if ((sharers[b + level2] & (1L << o)) != 0) {
                            caches[o][level2].downgrade(line);
                        }
                    }
                    owner[s] = -1;
                    if (dirty) {
                        llc.absorb(line);
                    }
                }
            }
            if (write) {
                invalidateOthers(s, cpu, line);
                others = 0;
            }
        }
        sharers[b + level] |= bit;
        if (others == 0) {
            owner[s] = (byte) cpu;
            return true;
        }
        return false;
    }

    /** CPU {@code cpu} writes {@code line}, which it holds shared: the other copies go. */
    void upgrade(int cpu, long line) {
        int s = find(line);
        if (s < 0) {
            throw new IllegalStateException("cpu" + cpu + " upgrades line 0x" + Long.toHexString(line)
                    + " that the directory does not track");
        }
        invalidateOthers(s, cpu, line);
        owner[s] = (byte) cpu;
    }

    /** CPU {@code cpu} no longer holds {@code line} at {@code level}. */
    void evicted(int cpu, int level, long line) {
        int s = find(line);
        if (s < 0) {
            throw new IllegalStateException("cpu" + cpu + " evicts line 0x" + Long.toHexString(line)
                    + " that the directory does not track");
        }
        int b = s * LEVELS;
        long bit = 1L << cpu;
        sharers[b + level] &= ~bit;
        long all = sharers[b] | sharers[b + 1] | sharers[b + 2];
        if (all == 0) {
            remove(s);
        } else if ((all & bit) == 0 && owner[s] == cpu) {
            owner[s] = -1;
        }
    }

    private void invalidateOthers(int s, int cpu, long line) {
        int b = s * LEVELS;
        long bit = 1L << cpu;
        long others = (sharers[b] | sharers[b + 1] | sharers[b + 2]) & ~bit;
        boolean dirty = false;
        for (long m = others; m != 0; m &= m - 1) {
            int c = Long.numberOfTrailingZeros(m);
            long cb = 1L << c;
            for (int level = 0; level < LEVELS; level++) {
                if ((sharers[b + level] & cb) != 0) {
                    dirty |= caches[c][level].invalidate(line);
                }
            }
            invalidations++;
        }
        for (int level = 0; level < LEVELS; level++) {
            sharers[b + level] &= bit;
        }
        if (dirty) {
            llc.absorb(line); // the modified data reaches the writer through the shared level
        }
    }

    // ---- the table ----

    private void allocate(int capacity) {
        keys = new long[capacity];
        Arrays.fill(keys, EMPTY);
        sharers = new long[capacity * LEVELS];
        owner = new byte[capacity];
        mask = capacity - 1;
        shift = 64 - Integer.numberOfTrailingZeros(capacity);
        size = 0;
    }

    private int home(long line) {
        return (int) ((line * 0x9E3779B97F4A7C15L) >>> shift);
    }

    private int find(long line) {
        for (int i = home(line); ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == line) {
                return i;
            }
            if (k == EMPTY) {
                return -1;
            }
        }
    }

    private int findOrInsert(long line) {
        int i = home(line);
        for (; ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == line) {
                return i;
            }
            if (k == EMPTY) {
                break;
            }
        }
        if (2 * (size + 1) > keys.length) {
            grow();
            return findOrInsert(line);
        }
        keys[i] = line;
        owner[i] = -1;
        size++;
        return i;
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldSharers = sharers;
        byte[] oldOwner = owner;
        allocate(oldKeys.length * 2);
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != EMPTY) {
                int i = home(oldKeys[j]);
                while (keys[i] != EMPTY) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                System.arraycopy(oldSharers, j * LEVELS, sharers, i * LEVELS, LEVELS);
                owner[i] = oldOwner[j];
                size++;
            }
        }
    }

    /** Deletes slot {@code i}, shifting later entries of its probe run back (no tombstones). */
    private void remove(int i) {
        size--;
        int hole = i;
        for (int j = (i + 1) & mask; keys[j] != EMPTY; j = (j + 1) & mask) {
            int h = home(keys[j]);
            // the entry at j may move into the hole if its home is not cyclically within (hole, j]
            boolean stays = hole <= j ? (h > hole && h <= j) : (h > hole || h <= j);
            if (!stays) {
                keys[hole] = keys[j];
                System.arraycopy(sharers, j * LEVELS, sharers, hole * LEVELS, LEVELS);
                owner[hole] = owner[j];
                hole = j;
            }
        }
        keys[hole] = EMPTY;
        sharers[hole * LEVELS] = 0;
        sharers[hole * LEVELS + 1] = 0;
        sharers[hole * LEVELS + 2] = 0;
        owner[hole] = -1;
    }
}
