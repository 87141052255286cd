package org.protsim.hw;

/** What a CPU's cycles were spent on; {@code summary.json}'s {@code cycles} map uses these names. */
public enum CycleCategory {
    /** The instructions themselves: cyclesPerReference per memory reference. */
    USEFUL("useful"),
    /** TLB lookups: L1 and L2 TLB hit latencies. */
    TLB("tlb"),
    /** Page walks: page-walk-cache hits and the cache/memory references of the walk. */
    WALK("walk"),
    /** Data and instruction cache and memory latency of references. */
    CACHE("cache"),
    /** Protection lookaside buffer checks and refills. */
    PLB("plb"),
    /** Local TLB (and virtual-cache) flushes. */
    FLUSH("flush"),
    /** Waiting for remote CPUs to acknowledge a shootdown, and handling others' shootdown IPIs. */
    SHOOTDOWN("shootdown"),
    /** Page-fault entry, handling and return (not the page zeroing or copying). */
    FAULT("fault"),
    /** System-call entry, exit and the kernel's fixed work. */
    SYSCALL("syscall"),
    /** Zeroing and copying pages, and copying page-table entries. */
    COPY("copy"),
    /** Context switches: scheduler, register state and root switches. */
    SWITCH("switch"),
    /** Device interrupts: entry, acknowledgement and return, and the work the kernel's handler charges. */
    INTERRUPT("interrupt");

    private final String json;

    CycleCategory(String json) {
        this.json = json;
    }

    public String json() {
        return json;
    }
}
