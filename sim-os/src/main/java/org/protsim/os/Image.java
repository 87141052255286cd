package org.protsim.os;

/**
 * An executable: its text as a page-cache object, and where exec lays out text, data (with
 * bss), the heap (brk) and the stack. {@link #standard} is x86-64 Linux's layout for a non-PIE
 * binary; a replay places an image where the recording shows its heap began.
 */
public record Image(MemObject text, long textBase, long dataBase, long dataPages, long stackPages) {
    public static final long TEXT_BASE = 0x40_0000L;
    public static final long STACK_TOP = 0x7fff_f000_0000L;

    public Image {
        if ((textBase & 4095) != 0 || (dataBase & 4095) != 0 || dataBase < textBase + text.pages() * 4096) {
            throw new IllegalArgumentException("bad image layout: text at 0x" + Long.toHexString(textBase)
                    + ", data at 0x" + Long.toHexString(dataBase));
        }
    }

    /** Text at 0x400000, data on the next 2 MiB boundary after it. */
    public static Image standard(MemObject text, long dataPages, long stackPages) {
        long textEnd = TEXT_BASE + text.pages() * 4096;
        return new Image(text, TEXT_BASE, (textEnd + 0x1F_FFFFL) & ~0x1F_FFFFL, dataPages, stackPages);
    }

    /** Text and data just below {@code heapBase}, so that the heap (brk) starts exactly there. */
    public static Image endingAt(MemObject text, long heapBase, long dataPages, long stackPages) {
        long dataBase = heapBase - dataPages * 4096;
        return new Image(text, dataBase - text.pages() * 4096, dataBase, dataPages, stackPages);
    }

    public long textEnd() {
        return textBase + text.pages() * 4096;
    }

    public long heapBase() {
        return dataBase + dataPages * 4096;
    }

    public long stackBase() {
        return STACK_TOP - stackPages * 4096;
    }
}
