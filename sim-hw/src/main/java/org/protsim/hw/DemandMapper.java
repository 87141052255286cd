package org.protsim.hw;

/**
 * The minimal "OS" of a bare-hardware run: one address space whose pages are mapped on first
 * touch, each to the next free frame (read, write and execute allowed), building real table
 * nodes in physical memory as it goes. Frames are taken in a fixed order (root first; then,
 * per first touch, any missing tables top-down and the data frame), so a replay is
 * reproducible frame for frame. The walker calls it when a walk finds the page unmapped
 * ({@link PageWalker#mapOnFirstTouch}).
 */
public final class DemandMapper {
    public static final int OWNER = 1;

    private final PhysicalMemory memory;
    private final RadixPageTable table;
    private final long root;
    private long pagesMapped;

    public DemandMapper(PhysicalMemory memory, RadixPageTable table) {
        this.memory = memory;
        this.table = table;
        this.root = table.newRoot(OWNER);
    }

    public long root() {
        return root;
    }

    /** Maps the 4 KiB page holding {@code va} to a fresh frame; does nothing if it is mapped already. */
    public void map(long va) {
        long page = va & ~4095L;
        if (table.lookup(root, page) != 0) {
            return;
        }
        // tables first (top-down), then the data frame: RadixPageTable.map allocates tables as it descends
        long placeholder = Pte.of(0, Pte.WRITABLE | Pte.USER);
        table.map(root, page, placeholder, 1, OWNER, null);
        int frame = memory.allocate(PhysicalMemory.DATA, OWNER);
        table.update(root, page, Pte.of(frame, Pte.WRITABLE | Pte.USER));
        pagesMapped++;
    }

    public long pagesMapped() {
        return pagesMapped;
    }
}
