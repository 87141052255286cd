package org.protsim.validate;

import org.protsim.core.config.CoreConfig;
import org.protsim.core.config.RunConfig;
import org.protsim.orchestration.RunResult;
import org.protsim.orchestration.Runner;

/**
 * What PCID saves per cross-process switch: two processes time-sliced on one CPU (10 µs quanta)
 * run the same references under {@code conventional} (every switch flushes the non-global TLB
 * entries) and {@code pcid} (both stay tagged in the TLB); the saving is the difference in time
 * over the number of switches. The machine is the default Skylake. The saving is what the
 * refills after a flush cost, an outcome of TLB sizes, walks and caches, not a fitted constant.
 */
final class PcidSwitchSaving implements Experiment {
    private static final String CONFIG = """
            {"machine": {"cpus": 1},
             "kernel": {"quantumCycles": 30000},
             "workload": {"type": "shared-libc", "processes": 2%s}}""";

    private final String size;
    private final String workingSet;

    /**
     * @param size       "small" or "default" (shared-libc's own: 460 library pages, 64 private)
     * @param workingSet JSON members added to the workload (empty for the default)
     */
    PcidSwitchSaving(String size, String workingSet) {
        this.size = size;
        this.workingSet = workingSet;
    }

    @Override
    public String id() {
        return "pcid-switch-saving-" + size;
    }

    @Override
    public Published published() {
        return new Published("time PCID saves per cross-process switch (" + size + " working set, 10 µs slices)",
                "ns", 100, 100, "A. Lutomirski, x86/mm PCID patch set, cover letter (2016): \"about 100ns\"",
                "Skylake laptop, two-process pipe ping-pong");
    }


    @Override
    public String basisNote() {
        return "refill cost after a flush: TLB sizes, walks and caches; no constant fitted";
    }



    @Override
    public double predict(CoreConfig core, boolean quick) {
        String refs = "workload.refsPerProcess=" + (quick ? 150_000 : 1_000_000);
        String json = CONFIG.formatted(workingSet);
        RunConfig conventional = Configs.of(json, core, refs, "model.name=conventional");
        RunConfig pcid = Configs.of(json, core, refs, "model.name=pcid");
        RunResult a = Runner.run(conventional);
        RunResult b = Runner.run(pcid);
        long switches = a.summary().counter("contextSwitches");
        double savedCycles = (double) (a.simulatedCycles() - b.simulatedCycles()) / switches;
        return savedCycles / conventional.machine().cyclesPerNs();
    }
}
