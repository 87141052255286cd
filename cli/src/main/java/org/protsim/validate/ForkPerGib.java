package org.protsim.validate;

import org.protsim.core.config.CoreConfig;
import org.protsim.core.config.RunConfig;
import org.protsim.orchestration.RunResult;
import org.protsim.orchestration.Runner;

/**
 * fork() of a process with a large resident set of 4 KiB pages, in milliseconds per GiB
 * resident: one parent touches its pages, then forks one child that execs at once. The
 * machine resembles the measured one: a 2.27 GHz Nehalem-EP Xeon (L1 dTLB 64 entries 4-way,
 * STLB 512 entries 4-way, 8 MiB LLC, DRAM ~65 ns = ~148 cycles; Intel optimization manual,
 * Nehalem chapter), whose L2 streamer prefetches up to 20 lines ahead (docs/hardware-costs.md
 * "L2 stream prefetcher"). What the fork costs comes from the per-PTE copy's instructions, its
 * memory traffic through the caches (the entries, and each page's struct page: 16 MiB of
 * them per GiB, more than the LLC, consecutive for consecutive frames, so the streamer's), the
 * page-table pages and the parent's flush, none of them fitted to this figure.
 */
final class ForkPerGib implements Experiment {
    private static final String CONFIG = """
            {"machine": {"cpus": 1, "cyclesPerNs": 2.27,
                         "tlb": {"l2": {"entries": 512, "ways": 4, "hitCycles": 7}},
                         "memory": {"latencyCycles": 148}, "caches": {"streamPrefetchLines": 20}},
             "model": {"name": "conventional"},
             "workload": {"type": "fork-storm", "parents": 1, "forks": 1, "execFraction": 1.0,
                          "childRefs": 0, "imagePages": 16, "parentRefsPerFork": 0}}""";

    @Override
    public String id() {
        return "fork-per-gib";
    }

    @Override
    public Published published() {
        return new Published("fork() of a process with a large resident set (4 KiB pages), per GiB resident", "ms",
                9, 13, "Redis documentation, \"Diagnosing latency issues\", fork time table",
                "Xeon 2.27 GHz, physical machine and VMware");
    }


    @Override
    public String basisNote() {
        return "pteCopyCycles (60, the copy's instructions) bounded by a KVM-guest measurement (tools/costs); "
                + "entries and struct pages through the caches with the L2 streamer; nothing fitted to Redis";
    }

    @Override
    public double bandLow() {
        return 9.0 / 11 / 1.25;
    }

    @Override
    public double bandHigh() {
        return 13.0 / 11 * 1.25;
    }

    @Override
    public double predict(CoreConfig core, boolean quick) {
        int pages = quick ? 32_768 : 262_144; // 128 MiB or 1 GiB
        RunConfig c = Configs.of(CONFIG, core, "workload.residentPages=" + pages);
        RunResult r = Runner.run(c);
        double forkCycles = r.summary().histograms().get("fork.latency").mean();
        double ms = forkCycles / c.machine().cyclesPerNs() / 1e6;
        return ms * (262_144.0 / pages);
    }
}
