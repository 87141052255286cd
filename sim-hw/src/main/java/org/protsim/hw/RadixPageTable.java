package org.protsim.hw;

/**
 * Operations on an x86-64-style radix page table stored in {@link PhysicalMemory}: 512
 * entries per level, 4 or 5 levels, level 1 holding 4 KiB leaves, levels 2 and 3 able to
 * hold 2 MiB and 1 GiB leaves (the {@link Pte#HUGE} bit). The hardware walker reads these
 * tables; the OS (and the bare-hardware mapper) builds them with these methods.
 */
public final class RadixPageTable {
    private final PhysicalMemory memory;
    private final int levels;

    public RadixPageTable(PhysicalMemory memory, int levels) {
        if (levels != 4 && levels != 5) {
            throw new IllegalArgumentException("levels must be 4 or 5, got " + levels);
        }
        this.memory = memory;
        this.levels = levels;
    }

    public int levels() {
        return levels;
    }

    public PhysicalMemory memory() {
        return memory;
    }

    /** Index into the level-{@code level} table for virtual address {@code va}. */
    public static int index(long va, int level) {
        return (int) (va >>> (12 + 9 * (level - 1))) & 511;
    }

    /** Bytes one entry of level {@code level} spans (4 KiB at level 1). */
    public static long span(int level) {
        return 1L << (12 + 9 * (level - 1));
    }

    /** A new, empty top-level table owned by {@code owner}. */
    public int newRoot(int owner) {
        return memory.allocate(PhysicalMemory.TABLE, owner);
    }

    /**
     * Installs leaf {@code pte} for {@code va} at {@code leafLevel} (1 for 4 KiB, 2 for 2 MiB,
     * 3 for 1 GiB), creating intermediate tables owned by {@code owner}; returns the entry
     * it replaced (0 if none). Returns the number of tables created through {@code created}
     * if it is not null ({@code created[0]} is incremented).
     */
    public long map(long root, long va, long pte, int leafLevel, int owner, int[] created) {
        long table = root;
        for (int level = levels; level > leafLevel; level--) {
            int i = index(va, level);
            long e = memory.readPte(table, i);
            if (!Pte.present(e)) {
                int t = memory.allocate(PhysicalMemory.TABLE, owner);
                memory.writePte(table, i, Pte.table(t));
                if (created != null) {
                    created[0]++;
                }
                table = t;
            } else if (Pte.huge(e)) {
                throw new IllegalStateException("va 0x" + Long.toHexString(va) + " lies in a huge page at level " + level);
            } else {
                table = Pte.frame(e);
            }
        }
        int i = index(va, leafLevel);
        long old = memory.readPte(table, i);
        memory.writePte(table, i, leafLevel > 1 ? pte | Pte.HUGE : pte);
        return old;
    }

    /** Sets the leaf entry for {@code va} (which must be mapped) to {@code pte}; returns the old entry. */
    public long update(long root, long va, long pte) {
        long table = root;
        for (int level = levels; level >= 1; level--) {
            int i = index(va, level);
            long e = memory.readPte(table, i);
            if (!Pte.present(e)) {
                throw new IllegalStateException("va 0x" + Long.toHexString(va) + " is not mapped");
            }
            if (level == 1 || Pte.huge(e)) {
                memory.writePte(table, i, pte);
                return e;
            }
            table = Pte.frame(e);
        }
        throw new AssertionError();
    }

    /** Clears the leaf for {@code va}; returns the old leaf (0 if nothing was mapped). Tables are kept. */
    public long unmap(long root, long va) {
        long table = root;
        for (int level = levels; level >= 1; level--) {
            int i = index(va, level);
            long e = memory.readPte(table, i);
            if (!Pte.present(e)) {
                return 0;
            }
            if (level == 1 || Pte.huge(e)) {
                memory.writePte(table, i, 0);
                return e;
            }
            table = Pte.frame(e);
        }
        throw new AssertionError();
    }

    /** The leaf entry mapping {@code va}, or 0 if none: a software walk, with no cost. */
    public long lookup(long root, long va) {
        long table = root;
        for (int level = levels; level >= 1; level--) {
            long e = memory.readPte(table, index(va, level));
            if (!Pte.present(e)) {
                return 0;
            }
            if (level == 1 || Pte.huge(e)) {
                return e;
            }
            table = Pte.frame(e);
        }
        throw new AssertionError();
    }

    /**
     * The level-1 entry for {@code va} as stored, present or not (0 if an upper level is
     * missing): the OS keeps information in not-present entries (pending copies).
     */
    public long rawEntry(long root, long va) {
        long table = root;
        for (int level = levels; level > 1; level--) {
            long e = memory.readPte(table, index(va, level));
            if (!Pte.present(e)) {
                return 0;
            }
            if (Pte.huge(e)) {
                return e;
            }
            table = Pte.frame(e);
        }
        return memory.readPte(table, index(va, 1));
    }

    /** Writes the level-1 entry for {@code va} as given (present or not), creating tables. */
    public long setRawEntry(long root, long va, long entry, int owner, int[] created) {
        long table = root;
        for (int level = levels; level > 1; level--) {
            int i = index(va, level);
            long e = memory.readPte(table, i);
            if (!Pte.present(e)) {
                int t = memory.allocate(PhysicalMemory.TABLE, owner);
                memory.writePte(table, i, Pte.table(t));
                if (created != null) {
                    created[0]++;
                }
                table = t;
            } else {
                table = Pte.frame(e);
            }
        }
        int i = index(va, 1);
        long old = memory.readPte(table, i);
        memory.writePte(table, i, entry);
        return old;
    }

    /** The level of the leaf mapping {@code va} (1, 2 or 3), or 0 if none. */
    public int leafLevel(long root, long va) {
        long table = root;
        for (int level = levels; level >= 1; level--) {
            long e = memory.readPte(table, index(va, level));
            if (!Pte.present(e)) {
                return 0;
            }
            if (level == 1 || Pte.huge(e)) {
                return level;
            }
            table = Pte.frame(e);
        }
        throw new AssertionError();
    }

    /** Visitor of leaf entries. */
    @FunctionalInterface
    public interface LeafVisitor {
        void leaf(long va, long pte, int level);
    }

    /** Calls {@code visitor} for every present leaf under {@code root}, in address order. */
    public void forEachLeaf(long root, LeafVisitor visitor) {
        walkTree(root, levels, 0, 0, -1L, visitor);
    }

    /** Calls {@code visitor} for every present leaf with address in [start, end), descending only where needed. */
    public void forEachLeaf(long root, long start, long end, LeafVisitor visitor) {
        walkTree(root, levels, 0, start, end - 1, visitor);
    }

    private void walkTree(long table, int level, long base, long first, long last, LeafVisitor visitor) {
        long[] entries = memory.table(table);
        int shift = 12 + 9 * (level - 1);
        long spanMask = (1L << shift) - 1;
        for (int i = 0; i < PhysicalMemory.ENTRIES_PER_TABLE; i++) {
            long e = entries[i];
            if (!Pte.present(e)) {
                continue;
            }
            long va = base | ((long) i << shift);
            if (Long.compareUnsigned(va + spanMask, first) < 0 || Long.compareUnsigned(va, last) > 0) {
                continue;
            }
            if (level == 1 || Pte.huge(e)) {
                visitor.leaf(va, e, level);
            } else {
                walkTree(Pte.frame(e), level - 1, va, first, last, visitor);
            }
        }
    }

    /**
     * Clears every non-zero level-1 entry and huge leaf with address in [start, end), in one walk,
     * calling {@code visitor} with each entry's old value first; tables are kept.
     */
    public void clearEntries(long root, long start, long end, LeafVisitor visitor) {
        clearTree(root, levels, 0, start, end - 1, visitor);
    }

    private void clearTree(long table, int level, long base, long first, long last, LeafVisitor visitor) {
        long[] entries = memory.table(table);
        int shift = 12 + 9 * (level - 1);
        long spanMask = (1L << shift) - 1;
        for (int i = 0; i < PhysicalMemory.ENTRIES_PER_TABLE; i++) {
            long e = entries[i];
            if (e == 0) {
                continue;
            }
            long va = base | ((long) i << shift);
            if (Long.compareUnsigned(va + spanMask, first) < 0 || Long.compareUnsigned(va, last) > 0) {
                continue;
            }
            if (level == 1 || Pte.huge(e)) {
                visitor.leaf(va, e, level);
                entries[i] = 0;
            } else if (Pte.present(e)) {
                clearTree(Pte.frame(e), level - 1, va, first, last, visitor);
            }
        }
    }

    /** Releases every table frame under and including {@code root} (not the leaves' frames); returns how many. */
    public int freeTables(long root) {
        return freeTree(root, levels);
    }

    /** Releases the table frame {@code table} of level {@code level} and every table under it; returns how many. */
    public int freeTree(long table, int level) {
        int freed = 0;
        if (level > 1) {
            long[] entries = memory.table(table);
            for (int i = 0; i < PhysicalMemory.ENTRIES_PER_TABLE; i++) {
                long e = entries[i];
                if (Pte.present(e) && !Pte.huge(e)) {
                    freed += freeTree(Pte.frame(e), level - 1);
                }
            }
        }
        memory.release((int) table);
        return freed + 1;
    }

    /** Number of table frames under and including {@code root}. */
    public int countTables(long root) {
        return countTree(root, levels);
    }

    private int countTree(long table, int level) {
        int n = 1;
        if (level > 1) {
            long[] entries = memory.table(table);
            for (int i = 0; i < PhysicalMemory.ENTRIES_PER_TABLE; i++) {
                long e = entries[i];
                if (Pte.present(e) && !Pte.huge(e)) {
                    n += countTree(Pte.frame(e), level - 1);
                }
            }
        }
        return n;
    }
}
