package org.example.protsim;

import org.protsim.core.stats.Counter;
import org.protsim.hw.Cache;
import org.protsim.hw.Cpu;
import org.protsim.hw.CycleCategory;
import org.protsim.os.KernelMechanism;
import org.protsim.os.MechanismServices;
import org.protsim.os.Mm;
import org.protsim.os.Task;

/**
 * {@code kernel.l1d-flush}: the L1 data cache is written back and invalidated whenever a CPU
 * switches from a task to a task of another address space, so nothing the previous task left in
 * it can leak to the next by a side channel (L1TF, CVE-2018-3620; MDS-like data forwarding,
 * CVE-2020-0550). Linux's opt-in flush on context switch follows this: a task asks for it with
 * {@code prctl(PR_SET_SPECULATION_CTRL, PR_SPEC_L1D_FLUSH, PR_SPEC_ENABLE)} and
 * {@code switch_mm_irqs_off} (arch/x86/mm/tlb.c) flushes with the hardware command
 * IA32_FLUSH_CMD.L1D_FLUSH when the address space changes (Documentation/admin-guide/hw-vuln/l1d_flush.rst).
 * Here every task has asked.
 *
 * <p>What a flush costs comes from the cache's own state at the switch: a fixed part, plus one
 * write-back per dirty line ({@code l1dFlush.dirtyLines}); the lines it invalidates are misses
 * the next task takes, which the caches simulate, not this class.
 */
public final class L1dFlush implements KernelMechanism {
    private final L1dFlushConfig config;
    private MechanismServices services;
    private Counter flushes;
    private Counter lines;
    private Counter dirtyLines;
    private Counter cycles;
    // the last flush, kept so that a flush allocates nothing (it runs at every switch)
    private int lastLines;
    private long lastDirty;

    L1dFlush(L1dFlushConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return L1dFlushConfig.SWITCH + "/" + config.mode();
    }

    @Override
    public void boot(MechanismServices s) {
        this.services = s;
        flushes = s.stats().counter("l1dFlush.flushes", "flushes",
                "L1D write-back and invalidations at switches between address spaces");
        lines = s.stats().counter("l1dFlush.lines", "lines", "valid L1D lines the flushes invalidated");
        dirtyLines = s.stats().counter("l1dFlush.dirtyLines", "lines", "dirty L1D lines the flushes wrote back to L2");
        cycles = s.stats().counter("l1dFlush.cycles", "cycles",
                "cycles the flushes took (charged as switch time): fixedCycles each plus cyclesPerDirtyLine per dirty line");
    }

    @Override
    public void taskSwitched(Cpu cpu, Task previous, Task next) {
        if (previous == null || space(previous) == space(next)) {
            return; // the first task on this CPU, the same task again, or a thread of the same address space
        }
        long c = flush(cpu.caches().l1d());
        flushes.increment();
        lines.add(lastLines);
        dirtyLines.add(lastDirty);
        cycles.add(c);
        services.charge(cpu, CycleCategory.SWITCH, c);
    }

    /** The address space {@code t} runs in: a first-class one it switched to (vas), else its process's. */
    private static Mm space(Task t) {
        return t.vas() != null ? t.vas() : t.process().mm();
    }

    /** Writes back and invalidates every line of {@code l1d}; returns the cycles it took. */
    long flush(Cache l1d) {
        long before = l1d.writebacks();
        lastLines = l1d.flushAll();
        lastDirty = l1d.writebacks() - before;
        return config.fixedCycles() + lastDirty * config.cyclesPerDirtyLine();
    }

    int lastLines() {
        return lastLines;
    }

    long lastDirty() {
        return lastDirty;
    }
}
