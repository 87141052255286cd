package org.protsim.os;

import org.protsim.hw.PhysicalMemory;

/**
 * A file or shared-memory object: pages that several mappings share through the page cache
 * (executables, shared libraries). A page is given a frame on its first fault and keeps it
 * while the object lives, so every process mapping the object maps the same frames.
 */
public final class MemObject {
    private final int id;
    private final String name;
    private final long pages;
    private int[] frames;
    /** A library mapped read-only and executable: candidates for shared spaces (shared-asid). */
    private final boolean library;
    /** Where every process maps it, once decided (shared libraries at one address: ARC, prelink). */
    long fixedAddress;
    /** The shared space it lives in under shared-asid, or -1. */
    int sharedSpace = -1;

    public MemObject(int id, String name, long pages, boolean library) {
        if (pages <= 0 || pages > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("object " + name + " of " + pages + " pages");
        }
        this.id = id;
        this.name = name;
        this.pages = pages;
        this.frames = new int[(int) pages];
        this.library = library;
    }

    public int id() {
        return id;
    }

    public String name() {
        return name;
    }

    public long pages() {
        return pages;
    }

    public boolean library() {
        return library;
    }

    public int sharedSpace() {
        return sharedSpace;
    }

    public long fixedAddress() {
        return fixedAddress;
    }

    /** The page-cache frame of {@code page}, or 0 if it was never read in. */
    public int frame(long page) {
        return page < frames.length ? frames[(int) page] : 0;
    }

    /**
     * The frame of {@code page}, reading it in (a new frame owned by the object) on first use.
     * A page beyond the object's nominal size grows it (a recorded mapping may reach past what
     * the recording showed of a file).
     */
    int frameOrLoad(long page, PhysicalMemory memory, boolean[] loaded) {
        if (page >= frames.length) {
            frames = java.util.Arrays.copyOf(frames, (int) Math.max(page + 1, frames.length * 2L));
        }
        int f = frames[(int) page];
        if (f == 0) {
            f = memory.allocate(PhysicalMemory.DATA, -id);
            frames[(int) page] = f;
            loaded[0] = true;
        }
        return f;
    }

    @Override
    public String toString() {
        return "MemObject[" + name + ", " + pages + " pages]";
    }
}
