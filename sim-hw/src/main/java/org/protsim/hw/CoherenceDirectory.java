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
 *
 * <p>The directory sleeps while a single CPU holds private lines (a trace replayed on CPU 0, a
 * single-process run): every such line is exclusive to that CPU, which is all an awake directory
 * would record, so its caches fill and evict without asking it. The first fill by a second CPU
 * wakes it: it reads the entries off the first CPU's caches and is kept from then on. The
 * simulated outcome is the same as a directory kept from the start; only the host work differs.
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

    // Open addressing with linear probing over one array, four longs a slot, so a probe touches one
    // or two host cache lines: [0] the line number + 1 (0: empty) with the exclusive holder + 1 in
    // bits 48..55 (0: none; line numbers stay below 2^40, memory being at most 2^43 bytes), [1..3]
    // the sharer bitmask of each level.
    private static final int STRIDE = 4;
    private static final long KEY_MASK = (1L << 48) - 1;
    private static final int OWNER_SHIFT = 48;
    private long[] table;
    private int mask;
    private int shift;
    private int size;

    private long invalidations;
    private long misses;
    /** While asleep: the one CPU that has filled a private line (-1: none yet). */
    private int sole = -1;
    private boolean awake;

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

    /** Lines some private cache holds (directory entries); 0 while the directory sleeps. */
    public int trackedLines() {
        return size;
    }

    /**
     * Asked by a private cache of CPU {@code cpu} before its fill while the directory sleeps:
     * returns true if {@code cpu} is (or now becomes) the only CPU holding private lines, so the
     * fill is exclusive and needs no entry. Otherwise wakes the directory and returns false: the
     * fill is then reported through {@link #filled}, as every later fill and eviction is.
     */
    boolean claim(int cpu) {
        if (awake) {
            return false;
        }
        if (sole < 0 || sole == cpu) {
            sole = cpu;
            return true;
        }
        wake();
        return false;
    }

    /** Wakes the directory: entries for what the one CPU holds so far, and every private cache reporting to it. */
    void wake() {
        if (awake) {
            return;
        }
        awake = true;
        if (sole >= 0) {
            Cache[] held = caches[sole];
            long bit = 1L << sole;
            for (int level = 0; level < LEVELS; level++) {
                int lv = level;
                held[level].forEachLine(line -> {
                    int b = findOrInsert(line);
                    table[b + 1 + lv] |= bit;
                    setOwner(b, sole);
                });
            }
        }
        for (Cache[] cpuCaches : caches) {
            for (Cache c : cpuCaches) {
                c.track();
            }
        }
    }

    /**
     * CPU {@code cpu} installed {@code line} at {@code level} ({@code write}: by a write miss).
     * Performs what MESI asks of the other CPUs and returns whether the new copy is exclusive.
     */
    boolean filled(int cpu, int level, long line, boolean write) {
        int b = findOrInsert(line);
        long[] t = table;
        long bit = 1L << cpu;
        long others = (t[b + 1] | t[b + 2] | t[b + 3]) & ~bit;
        if (others != 0) {
            int o = owner(b);
            if (write) {
                // only an exclusive holder's copy can be dirty: then this is a miss on its modified line
                if (invalidateOthers(b, cpu, line)) {
                    misses++;
                }
                others = 0;
            } else if (o >= 0 && o != cpu) {
                // another CPU holds it E or M (so this CPU held no copy): both copies become shared
                boolean dirty = false;
                for (int lv = 0; lv < LEVELS; lv++) {
                    if ((t[b + 1 + lv] & (1L << o)) != 0) {
                        dirty |= caches[o][lv].downgrade(line);
                    }
                }
                setOwner(b, -1);
                if (dirty) {
                    misses++;
                    llc.absorb(line); // M to S: the dirty data goes to the shared level, where this CPU reads it
                }
            }
        }
        t[b + 1 + level] |= bit;
        if (others == 0) {
            setOwner(b, cpu);
            return true;
        }
        return false;
    }

    /** CPU {@code cpu} writes {@code line}, which it holds shared: the other copies go. */
    void upgrade(int cpu, long line) {
        int b = find(line);
        if (b < 0) {
            throw new IllegalStateException("cpu" + cpu + " upgrades line 0x" + Long.toHexString(line)
                    + " that the directory does not track");
        }
        invalidateOthers(b, cpu, line); // nothing dirty elsewhere: this CPU held a shared copy
        setOwner(b, cpu);
    }

    /** CPU {@code cpu} no longer holds {@code line} at {@code level}. */
    void evicted(int cpu, int level, long line) {
        int b = find(line);
        if (b < 0) {
            throw new IllegalStateException("cpu" + cpu + " evicts line 0x" + Long.toHexString(line)
                    + " that the directory does not track");
        }
        long[] t = table;
        long bit = 1L << cpu;
        t[b + 1 + level] &= ~bit;
        long all = t[b + 1] | t[b + 2] | t[b + 3];
        if (all == 0) {
            remove(b);
        } else if ((all & bit) == 0 && owner(b) == cpu) {
            setOwner(b, -1);
        }
    }

    /** Drops every other CPU's copies; returns whether one was dirty (its data then goes to the LLC). */
    private boolean invalidateOthers(int b, int cpu, long line) {
        long[] t = table;
        long bit = 1L << cpu;
        long others = (t[b + 1] | t[b + 2] | t[b + 3]) & ~bit;
        boolean dirty = false;
        for (long m = others; m != 0; m &= m - 1) {
            int c = Long.numberOfTrailingZeros(m);
            long cb = 1L << c;
            for (int lv = 0; lv < LEVELS; lv++) {
                if ((t[b + 1 + lv] & cb) != 0) {
                    dirty |= caches[c][lv].invalidate(line);
                }
            }
            invalidations++;
        }
        for (int lv = 0; lv < LEVELS; lv++) {
            t[b + 1 + lv] &= bit;
        }
        if (dirty) {
            llc.absorb(line); // the modified data reaches the writer through the shared level
        }
        return dirty;
    }

    private int owner(int b) {
        return (int) (table[b] >>> OWNER_SHIFT) - 1;
    }

    private void setOwner(int b, int cpu) {
        table[b] = (table[b] & KEY_MASK) | ((long) (cpu + 1) << OWNER_SHIFT);
    }

    // ---- the table: slot offsets b are multiples of STRIDE ----

    private void allocate(int capacity) {
        table = new long[capacity * STRIDE];
        mask = capacity - 1;
        shift = 64 - Integer.numberOfTrailingZeros(capacity);
        size = 0;
    }

    private int home(long key) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
    }

    private int find(long line) {
        long key = line + 1;
        long[] t = table;
        for (int i = home(key); ; i = (i + 1) & mask) {
            long k = t[i * STRIDE] & KEY_MASK;
            if (k == key) {
                return i * STRIDE;
            }
            if (k == 0) {
                return -1;
            }
        }
    }

    private int findOrInsert(long line) {
        long key = line + 1;
        long[] t = table;
        int i = home(key);
        for (; ; i = (i + 1) & mask) {
            long k = t[i * STRIDE] & KEY_MASK;
            if (k == key) {
                return i * STRIDE;
            }
            if (k == 0) {
                break;
            }
        }
        if (2 * (size + 1) > mask + 1) {
            grow();
            return findOrInsert(line);
        }
        t[i * STRIDE] = key; // no owner yet
        size++;
        return i * STRIDE;
    }

    private void grow() {
        long[] old = table;
        allocate((mask + 1) * 2);
        for (int j = 0; j < old.length; j += STRIDE) {
            long key = old[j] & KEY_MASK;
            if (key != 0) {
                int i = home(key);
                while (table[i * STRIDE] != 0) {
                    i = (i + 1) & mask;
                }
                System.arraycopy(old, j, table, i * STRIDE, STRIDE);
                size++;
            }
        }
    }

    /** Deletes the slot at offset {@code b}, shifting later entries of its probe run back (no tombstones). */
    private void remove(int b) {
        size--;
        long[] t = table;
        int hole = b / STRIDE;
        for (int j = (hole + 1) & mask; t[j * STRIDE] != 0; j = (j + 1) & mask) {
            int h = home(t[j * STRIDE] & KEY_MASK);
            // the entry at j may move into the hole unless its home is cyclically within (hole, j]
            boolean stays = hole <= j ? (h > hole && h <= j) : (h > hole || h <= j);
            if (!stays) {
                System.arraycopy(t, j * STRIDE, t, hole * STRIDE, STRIDE);
                hole = j;
            }
        }
        Arrays.fill(t, hole * STRIDE, hole * STRIDE + STRIDE, 0L);
    }
}
