package org.protsim.os;

import org.protsim.core.config.CostsConfig;
import org.protsim.core.stats.Counter;
import org.protsim.core.stats.LatencyRecorder;
import org.protsim.core.stats.Stats;
import org.protsim.hw.Cpu;
import org.protsim.hw.CycleCategory;

/** The kernel's statistics, registered once and shared by its parts; and the copy work they charge. */
final class KernelStats {
    private final CostsConfig costs;
    final Counter forks;
    final Counter threads;
    final Counter execs;
    final Counter exits;
    final Counter contextSwitches;
    final Counter faultsDemand;
    final Counter faultsCow;
    final Counter faultsSegv;
    final Counter pagesCopied;
    final Counter pagesZeroed;
    final Counter syscalls;
    final Counter faultsStray;
    final Counter ptesCopied;
    final Counter vasSwitches;
    final LatencyRecorder forkLatency;
    final LatencyRecorder execLatency;
    final LatencyRecorder switchLatency;
    long peakProcesses;

    KernelStats(Stats s, CostsConfig costs) {
        this.costs = costs;
        forks = s.counter("forks", "processes", "process creations of every kind (fork, vfork, spawn)");
        threads = s.counter("threads", "threads", "threads created in an existing process");
        execs = s.counter("execs", "execs", "successful execs");
        exits = s.counter("exits", "processes", "processes that ended");
        contextSwitches = s.counter("contextSwitches", "switches", "a CPU switching from one task to another");
        faultsDemand = s.counter("faults.demand", "faults", "faults that mapped a page on first touch");
        faultsCow = s.counter("faults.cow", "faults", "write faults on copy-on-write pages");
        faultsSegv = s.counter("faults.segv", "faults", "faults no mapping allows: the process is killed");
        pagesCopied = s.counter("pages.copied", "pages", "4 KiB pages copied (copy-on-write, sasos fork)");
        pagesZeroed = s.counter("pages.zeroed", "pages", "4 KiB pages zeroed (demand-zero, page tables, file reads)");
        syscalls = s.counter("syscalls", "calls", "system calls made");
        faultsStray = s.counter("faults.stray", "faults",
                "replayed references no mapping allowed (raced with another thread's unmap), dropped");
        ptesCopied = s.counter("ptes.copied", "entries", "page-table entries copied or write-protected at fork");
        vasSwitches = s.counter("vas.switches", "switches", "threads switching between first-class address spaces");
        forkLatency = s.histogram("fork.latency", "cycles", "fork: from the call to its return in the parent");
        execLatency = s.histogram("exec.latency", "cycles", "exec: from the call to the first instruction of the image");
        switchLatency = s.histogram("contextSwitch.latency", "cycles",
                "a context switch: scheduler, root switch and the flushes it causes");
        s.counter("processes.peak", "processes", "most processes alive at once", () -> peakProcesses);
    }

    /** Zeroing {@code pages} pages, charged as copy work. */
    void chargeZero(Cpu cpu, long pages) {
        pagesZeroed.add(pages);
        if (cpu != null) {
            cpu.charge(CycleCategory.COPY, pages * costs.pageZeroCycles());
        }
    }

    void chargeCopy(Cpu cpu, long pages) {
        pagesCopied.add(pages);
        if (cpu != null) {
            cpu.charge(CycleCategory.COPY, pages * costs.pageCopyCycles());
        }
    }
}
