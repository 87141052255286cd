package org.protsim.validate;

import org.protsim.core.config.CoreConfig;

/**
 * What one remote CPU adds to a one-page shootdown: the initiator's latency with one remote CPU
 * less its latency with none, both as {@link ShootdownLatency} measures them: the send to the
 * target, the IPI there, its handler and flush, the acknowledgement back. The IPI latency
 * constant was chosen to give this difference, so the figure is calibrated: leaving its band
 * means a change broke the shootdown protocol's timing.
 */
final class ShootdownRemotePart implements Experiment {
    @Override
    public String id() {
        return "shootdown-remote-part";
    }

    @Override
    public Published published() {
        return new Published("one-page TLB shootdown: what one remote CPU adds (1.4 - 0.7 µs)", "µs", 0.7, 0.7,
                "N. Amit, x86/mm concurrent TLB flush patch set (2019), cover letter",
                "Haswell, madvise(MADV_DONTNEED) of one page and the fault that maps it again");
    }

    @Override
    public Basis basis() {
        return Basis.CALIBRATED;
    }

    @Override
    public String basisNote() {
        return "ipiLatencyCycles (600) and ipiHandlerCycles (500) were chosen to give it, with the send "
                + "(ipiSendCycles 200) (CostsConfig)";
    }

    @Override
    public double bandLow() {
        return 0.8;
    }

    @Override
    public double bandHigh() {
        return 1.25;
    }

    @Override
    public double predict(CoreConfig core, boolean quick) {
        return ShootdownLatency.initiatorMicroseconds(1, core, quick)
                - ShootdownLatency.initiatorMicroseconds(0, core, quick);
    }
}
