package org.protsim.hw;

/**
 * The timing of an out-of-order core after the interval model (Genbrugge, Eyerman, Eeckhout,
 * "Interval simulation: raising the level of abstraction in architectural simulation", HPCA 2010,
 * the core model of Sniper; Karkhanis and Smith, "A first-order superscalar processor model",
 * ISCA 2004). The core dispatches {@code width} instructions a cycle into a reorder window of
 * {@code rob} entries, so the window spans {@code S = rob / width} cycles of dispatch. A miss does
 * not stop dispatch: the window fills behind it for S cycles and only then stalls, so a miss costs
 * its latency less S (nothing if it is shorter), and misses dispatched while that window is open
 * overlap with it (memory-level parallelism): each adds only what its own cost exceeds the stall
 * already charged in the window.
 *
 * <p>What is independent in protsim's reference streams, the rule this class follows:
 * <ul>
 * <li>Within one reference everything is one dependent chain: the L2 TLB lookup follows the L1
 *     miss, the walk follows the L2 TLB miss, each walk level the one above, the data access the
 *     walk, a second page or line the first. The chain is one miss event whose latency is the sum
 *     (what {@code serial} charges).</li>
 * <li>Data references of a stream are independent of each other (protsim's streams carry no data
 *     dependences): two data misses within S dispatch cycles, i.e. within {@code rob} instructions,
 *     of the window's first miss overlap. The window closes S dispatch cycles after its first miss;
 *     the next miss opens a new one.</li>
 * <li>Instruction fetches are front-end events: the reorder window cannot run ahead of them, so a
 *     fetch costs its full latency beyond the pipelined L1 i-cache hit, is not overlapped, and does
 *     not use the window's dispatch budget (Eyerman et al., "A mechanistic performance model for
 *     superscalar out-of-order processors", TOCS 2009: i-cache and i-TLB miss penalties are their
 *     latency).</li>
 * <li>Serialising events (TLB flushes, shootdowns and their interrupts, faults, system calls,
 *     kernel copying, context switches) wait for every outstanding miss: the part of the open
 *     window's latency not yet played out is charged ({@link #drain}), and the window is closed.
 *     A faulting reference is a data or fetch event like any other; the fault's entry then drains.</li>
 * </ul>
 *
 * <p>Charging is eager: a miss's stall is charged when it dispatches, and the references in its
 * shadow then run. Model time is ahead of a real core's by the stall charged in the open window
 * ({@link #covered}); {@link #pending} is how far in model time the last outstanding access still
 * has to go. Primitive fields only: the hot path allocates nothing.
 */
final class IntervalCore {
    private final long window;
    private final long fetchPipelined;
    /** Dispatch cycles left in which a data miss overlaps the open window (≤ 0: no window open). */
    private long windowLeft;
    /** Stall cycles already charged in the open window. */
    private long covered;
    /** Model cycles until the last outstanding data access completes. */
    private long pending;

    /**
     * @param windowCycles   S: reorder-buffer entries over dispatch width
     * @param fetchPipelined latency of an L1 i-cache hit, which the fetch pipeline hides
     */
    IntervalCore(long windowCycles, long fetchPipelined) {
        this.window = windowCycles;
        this.fetchPipelined = fetchPipelined;
    }

    /** A data reference whose dependent chain takes {@code latency} cycles: returns the cycles the window hides. */
    long data(long latency) {
        if (windowLeft <= 0) {
            covered = 0;
        }
        long charged = Math.max(0, latency - window - covered);
        if (charged > 0 && covered == 0) {
            windowLeft = window; // the first stalling miss opens a window
        }
        covered += charged;
        pending = Math.max(pending, latency - covered);
        return latency - charged;
    }

    /** An instruction fetch taking {@code latency} cycles: returns the cycles the fetch pipeline hides. */
    long fetch(long latency) {
        long hidden = Math.min(latency, fetchPipelined);
        pending -= latency - hidden; // the stall is real time, in which outstanding data arrives
        return hidden;
    }

    /** A reference dispatched in {@code cycles}: the window moves on. */
    void dispatched(long cycles) {
        windowLeft -= cycles;
        pending -= cycles;
    }

    /** A serialising event: returns the cycles it waits for outstanding misses; the window is closed. */
    long drain() {
        long d = Math.max(0, pending);
        windowLeft = 0;
        covered = 0;
        pending = 0;
        return d;
    }

    /** The CPU sat idle for {@code cycles}: outstanding misses completed meanwhile. */
    void idle(long cycles) {
        pending = Math.max(0, pending - cycles);
        windowLeft = 0;
        covered = 0;
    }

    long covered() {
        return covered;
    }

    long pending() {
        return pending;
    }
}
