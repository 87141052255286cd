package org.protsim.core;

/**
 * Named priorities for events that fall on the same cycle (lower fires first). Equal
 * (time, priority) pairs fire in insertion order, so the total order is deterministic.
 */
public final class Priority {
    private Priority() {
    }

    /** Interrupt delivery (IPIs, acknowledgements): a CPU must see an interrupt raised at cycle t before it runs past t. */
    public static final int INTERRUPT = 10;
    /** Device completions (I/O, DMA): after interrupts so a completion raised by an interrupt is seen the same cycle. */
    public static final int DEVICE = 20;
    /** Timer ticks and time-slice expiry: before CPUs run so a CPU starting at t sees the tick at t. */
    public static final int TIMER = 30;
    /** A CPU running its current task for one slice: after everything that may change what it should run. */
    public static final int CPU = 40;
    /** Bookkeeping (sampling, stop checks): last, so it sees the cycle's final state. */
    public static final int BOOKKEEPING = 90;
}
