package org.protsim.workloads;

/** A workload: given a freshly built run, it creates its processes or schedules its first events. */
public interface Workload {
    void start(RunContext run);
}
