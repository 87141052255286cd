package org.protsim.workloads;

import org.protsim.core.Simulation;
import org.protsim.core.config.RunConfig;

/** What a workload may use of the run it is part of. */
public record RunContext(RunConfig config, Simulation simulation) {
}
