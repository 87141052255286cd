package org.protsim.validate;

import org.protsim.core.config.CoreConfig;

/**
 * One published measurement and how protsim reproduces it. An experiment builds its config
 * (a machine resembling the one measured), runs protsim, and returns the figure in the
 * published unit. Adding an experiment is one small class and one line in {@link Validation#SUITE}.
 */
public interface Experiment {
    /** A short stable name ({@code fork-per-gib}). */
    String id();

    Published published();

    /** Predicted unless a constant was fitted to the figure. */
    default Basis basis() {
        return Basis.PREDICTED;
    }

    /** Which constant was fitted to the figure (calibrated), or why the figure is an outcome (predicted). */
    String basisNote();

    /**
     * The accepted range of predicted / published (middle of the published range); by default
     * within a factor of two, for a model of one machine held against a measurement of another.
     */
    default double bandLow() {
        return 0.5;
    }

    default double bandHigh() {
        return 2.0;
    }

    /**
     * Runs protsim under {@code core} and returns the prediction in {@link Published#unit}.
     * {@code quick}: a smaller instance of the same experiment (for the test in {@code mvn verify}).
     */
    double predict(CoreConfig core, boolean quick);
}
