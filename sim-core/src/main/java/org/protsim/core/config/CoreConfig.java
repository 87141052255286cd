package org.protsim.core.config;

/**
 * The core's timing model: {@code serial} (every latency adds up, an in-order core) or
 * {@code interval} (an out-of-order core with a reorder window of {@code robEntries} filled
 * {@code dispatchWidth} per cycle; Genbrugge, Eyerman, Eeckhout, "Interval simulation", HPCA 2010;
 * Karkhanis and Smith, "A first-order superscalar processor model", ISCA 2004). The window and
 * width are read by the interval model only.
 *
 * @param model         serial or interval
 * @param robEntries    reorder-buffer entries (instructions in flight)
 * @param dispatchWidth instructions dispatched per cycle
 */
public record CoreConfig(CoreModel model, int robEntries, int dispatchWidth) {
    // Skylake: 224-entry reorder buffer, 4-wide (docs/hardware-costs.md "Skylake out-of-order window").
    public static final int SKYLAKE_ROB_ENTRIES = 224;
    public static final int SKYLAKE_DISPATCH_WIDTH = 4;

    public static final CoreConfig SERIAL = new CoreConfig(CoreModel.SERIAL, SKYLAKE_ROB_ENTRIES, SKYLAKE_DISPATCH_WIDTH);
    public static final CoreConfig INTERVAL = new CoreConfig(CoreModel.INTERVAL, SKYLAKE_ROB_ENTRIES,
            SKYLAKE_DISPATCH_WIDTH);

    public CoreConfig {
        Check.that(model != null, "model", "must be given: serial or interval");
        Check.range("robEntries", robEntries, 1, 4096);
        Check.range("dispatchWidth", dispatchWidth, 1, 64);
        Check.that(robEntries % dispatchWidth == 0, "robEntries",
                robEntries + " is not a multiple of dispatchWidth " + dispatchWidth);
    }

    /** Cycles of dispatch the reorder window spans: how much of a miss's latency it can hide. */
    public int windowCycles() {
        return robEntries / dispatchWidth;
    }
}
