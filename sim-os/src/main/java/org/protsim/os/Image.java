package org.protsim.os;

/**
 * An executable: its text as a page-cache object, and where exec lays out text, data, heap
 * and stack (x86-64 Linux's layout for a non-PIE binary).
 */
public record Image(MemObject text, long dataPages, long stackPages) {
    public static final long TEXT_BASE = 0x40_0000L;
    public static final long STACK_TOP = 0x7fff_f000_0000L;

    public long textEnd() {
        return TEXT_BASE + text.pages() * 4096;
    }

    /** Data (and bss) follow the text, on the next 2 MiB boundary. */
    public long dataBase() {
        return (textEnd() + 0x1F_FFFFL) & ~0x1F_FFFFL;
    }

    public long heapBase() {
        return dataBase() + dataPages * 4096;
    }

    public long stackBase() {
        return STACK_TOP - stackPages * 4096;
    }
}
