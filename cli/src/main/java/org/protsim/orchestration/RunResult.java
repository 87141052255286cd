package org.protsim.orchestration;

import org.protsim.core.config.RunConfig;
import org.protsim.core.stats.LatencyRecorder;
import org.protsim.core.stats.Summary;

import java.util.SortedMap;

/** What one run produced: its config, its summary and its histograms (for writing and merging). */
public record RunResult(RunConfig config, Summary summary, SortedMap<String, LatencyRecorder> histograms,
                        long simulatedCycles) {

    /** Simulated time in seconds, at the machine's clock rate. */
    public double simulatedSeconds() {
        return simulatedCycles / (config.machine().cyclesPerNs() * 1e9);
    }
}
