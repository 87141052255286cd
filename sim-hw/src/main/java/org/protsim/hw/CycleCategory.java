package org.protsim.hw;

/** What a CPU's cycles were spent on; {@code summary.json}'s {@code cycles} map uses these names. */
public enum CycleCategory {
    /** The instructions themselves: cyclesPerReference per memory reference. */
    USEFUL("useful", false),
    /** TLB lookups: L1 and L2 TLB hit latencies. */
    TLB("tlb", false),
    /** Page walks: page-walk-cache hits and the cache/memory references of the walk. */
    WALK("walk", false),
    /** Data and instruction cache and memory latency of references. */
    CACHE("cache", false),
    /** Protection lookaside buffer checks and refills. */
    PLB("plb", false),
    /** Local TLB (and virtual-cache) flushes. */
    FLUSH("flush", true),
    /** Waiting for remote CPUs to acknowledge a shootdown, and handling others' shootdown IPIs. */
    SHOOTDOWN("shootdown", true),
    /** Page-fault entry, handling and return (not the page zeroing or copying). */
    FAULT("fault", true),
    /** System-call entry, exit and the kernel's fixed work. */
    SYSCALL("syscall", true),
    /** Zeroing and copying pages, and copying page-table entries. */
    COPY("copy", true),
    /** Context switches: scheduler, register state and root switches. */
    SWITCH("switch", true),
    /** Device interrupts: entry, acknowledgement and return, and the work the kernel's handler charges. */
    INTERRUPT("interrupt", true);

    private final String json;
    private final boolean serialises;

    CycleCategory(String json, boolean serialises) {
        this.json = json;
        this.serialises = serialises;
    }

    /**
     * Whether work of this kind waits for the out-of-order window to drain (an exception, an interrupt,
     * a serialising instruction such as a CR3 write or INVLPG, or kernel work entered through them).
     */
    public boolean serialises() {
        return serialises;
    }

    public String json() {
        return json;
    }
}
