package org.protsim.hw;

import org.protsim.core.stats.Stats;

import java.util.Arrays;

/**
 * Physical memory as 4 KiB frames, each with a kind, an owner and a reference count, plus the contents of the frames that hold page tables (512 eight-byte entries
 * each; data frames have no simulated contents). Frames are numbered from 1 (frame 0 is
 * never handed out, so a zero entry is never a valid table pointer) and allocated lazily:
 * the arrays grow with the highest frame used, not with the configured memory size.
 *
 * <p>A frame has no cache attribute of its own: the attribute is a property of a mapping, held in
 * the PTE's attribute bits (x86 PAT selects the memory type per PTE, Intel SDM vol. 3 section 11.12),
 * so two mappings of one frame with different attributes can exist and be detected as an alias.
 *
 * <p>Metadata costs 13 bytes per frame (refcount 4, owner 4, kind 1, table
 * reference 4 with compressed oops); table frames add their 4 KiB of entries. It is stored in
 * chunks of 65,536 frames, so growing never copies it and at most one chunk is allocated
 * ahead of use.
 */
public final class PhysicalMemory {
    public static final int FREE = 0;
    public static final int DATA = 1;
    public static final int TABLE = 2;
    public static final int KERNEL = 3;
    /**
     * I/O memory, not RAM: a device's registers or aperture (a PCI BAR). Its frames are handed out
     * once, when the device appears, and stay allocated (held by the device) while mappings come and go.
     */
    public static final int DEVICE = 4;

    public static final int ENTRIES_PER_TABLE = 512;
    /**
     * Linux's {@code struct page}: 64 bytes of metadata per 4 KiB frame (refcount, mapcount, flags,
     * mapping), kept in one array indexed by frame number (x86-64's vmemmap). It is memory like
     * any other, so the kernel's accesses to it go through the caches; it is placed above every
     * frame protsim hands out (frames are ints: below 2^43), so it aliases no frame.
     */
    public static final long STRUCT_PAGE_BYTES = 64;
    public static final long MEMMAP_BASE = 1L << 44;

    private static final int CHUNK_SHIFT = 16;
    private static final int CHUNK = 1 << CHUNK_SHIFT;
    private static final int MASK = CHUNK - 1;

    private final long limit;
    private int[][] refcount = new int[0][];
    private int[][] owner = new int[0][];
    private byte[][] kind = new byte[0][];
    private long[][][] tables = new long[0][][];
    private int highest; // frames 1..highest have been handed out at least once
    private int[] freeList = new int[256];
    private int freeCount;
    private long inUse;
    private long tablesInUse;
    private long peakInUse;
    private long peakTables;

    /** @param frames frames of physical memory (the configured size / 4 KiB) */
    public PhysicalMemory(long frames) {
        if (frames < 2 || frames > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("physical memory of " + frames + " frames is outside 2.." + Integer.MAX_VALUE);
        }
        this.limit = frames;
    }

    public void registerStats(Stats stats) {
        stats.counter("frames.peak", "frames", "most physical frames in use at once", () -> peakInUse);
        stats.counter("pageTablePages", "frames", "most page-table frames in use at once (peak)", () -> peakTables);
    }

    /** Hands out a free frame of {@code kind} for {@code owner}, reference count 1. */
    public int allocate(int kind, int owner) {
        int f;
        if (freeCount > 0) {
            f = freeList[--freeCount];
        } else {
            if (highest + 1 >= limit) {
                throw new OutOfMemoryException(limit);
            }
            f = ++highest;
            if ((f >>> CHUNK_SHIFT) >= refcount.length) {
                grow();
            }
        }
        int c = f >>> CHUNK_SHIFT;
        int i = f & MASK;
        this.kind[c][i] = (byte) kind;
        this.owner[c][i] = owner;
        this.refcount[c][i] = 1;
        inUse++;
        peakInUse = Math.max(peakInUse, inUse);
        if (kind == TABLE) {
            long[] entries = tables[c][i];
            if (entries == null) {
                tables[c][i] = new long[ENTRIES_PER_TABLE];
            } else {
                Arrays.fill(entries, 0);
            }
            tablesInUse++;
            peakTables = Math.max(peakTables, tablesInUse);
        }
        return f;
    }

    /** Adds a reference; returns the new count. */
    public int retain(int frame) {
        checkLive(frame);
        return ++refcount[frame >>> CHUNK_SHIFT][frame & MASK];
    }

    /** Drops a reference, freeing the frame when none remain; returns the new count. */
    public int release(int frame) {
        checkLive(frame);
        int c = frame >>> CHUNK_SHIFT;
        int i = frame & MASK;
        int left = --refcount[c][i];
        if (left == 0) {
            if (kind[c][i] == TABLE) {
                tablesInUse--;
                tables[c][i] = null; // a freed table's entries are garbage; the next TABLE allocation starts clean
            }
            kind[c][i] = FREE;
            owner[c][i] = 0;
            inUse--;
            if (freeCount == freeList.length) {
                freeList = Arrays.copyOf(freeList, freeCount * 2);
            }
            freeList[freeCount++] = frame;
        }
        return left;
    }

    public int refcount(int frame) {
        return refcount[frame >>> CHUNK_SHIFT][frame & MASK];
    }

    public int owner(int frame) {
        return owner[frame >>> CHUNK_SHIFT][frame & MASK];
    }

    public void setOwner(int frame, int newOwner) {
        checkLive(frame);
        owner[frame >>> CHUNK_SHIFT][frame & MASK] = newOwner;
    }

    public int kind(int frame) {
        return frame > 0 && frame <= highest ? kind[frame >>> CHUNK_SHIFT][frame & MASK] : FREE;
    }

    public long framesInUse() {
        return inUse;
    }

    public long tableFramesInUse() {
        return tablesInUse;
    }

    public long peakTableFrames() {
        return peakTables;
    }

    /** Entry {@code index} of the table in {@code frame}: what a page walker reads. */
    public long readPte(long frame, int index) {
        int f = (int) frame;
        return tables[f >>> CHUNK_SHIFT][f & MASK][index];
    }

    public void writePte(long frame, int index, long pte) {
        table(frame)[index] = pte;
    }

    /** The entries of a table frame (for bulk copies such as fork); do not keep the array. */
    /** The physical address of {@code frame}'s struct page in the memmap ({@link #MEMMAP_BASE}). */
    public static long structPage(long frame) {
        return MEMMAP_BASE + frame * STRUCT_PAGE_BYTES;
    }

    public long[] table(long frame) {
        int f = (int) frame;
        long[] t = f > 0 && f <= highest ? tables[f >>> CHUNK_SHIFT][f & MASK] : null;
        if (t == null || kind[f >>> CHUNK_SHIFT][f & MASK] != TABLE) {
            throw new IllegalStateException("frame " + frame + " does not hold a page table");
        }
        return t;
    }

    private void checkLive(int frame) {
        if (frame <= 0 || frame > highest || kind[frame >>> CHUNK_SHIFT][frame & MASK] == FREE) {
            throw new IllegalStateException("frame " + frame + " is not allocated");
        }
    }

    /** One more chunk of frame metadata (the chunk index arrays grow, the chunks themselves never move). */
    private void grow() {
        int n = refcount.length + 1;
        refcount = Arrays.copyOf(refcount, n);
        owner = Arrays.copyOf(owner, n);
        kind = Arrays.copyOf(kind, n);
        tables = Arrays.copyOf(tables, n);
        refcount[n - 1] = new int[CHUNK];
        owner[n - 1] = new int[CHUNK];
        kind[n - 1] = new byte[CHUNK];
        tables[n - 1] = new long[CHUNK][];
    }

    /** Bytes of frame metadata allocated (16-byte array headers, 4-byte references: compressed oops). */
    public long metadataBytes() {
        long chunks = refcount.length;
        long perChunk = (16 + 4L * CHUNK) * 2 + (16 + CHUNK) + (16 + 4L * CHUNK);
        return chunks * perChunk + 4 * (16 + 4 * chunks);
    }

    /** Bytes of page-table entries allocated: one 512-entry long array (and its header) per table frame. */
    public long tableBytes() {
        return tablesInUse * (16 + 8L * ENTRIES_PER_TABLE);
    }

    /** Frames handed out at least once (the metadata covers them). */
    public long framesTouched() {
        return highest;
    }

    /** The simulated machine ran out of frames: a config problem (memory too small for the workload). */
    public static final class OutOfMemoryException extends RuntimeException {
        OutOfMemoryException(long frames) {
            super("simulated physical memory exhausted (" + frames + " frames); raise machine.memory.sizeMiB");
        }
    }
}
