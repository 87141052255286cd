package org.protsim.os;

import org.protsim.hw.Cpu;
import org.protsim.hw.Interconnect;

import java.util.ArrayList;
import java.util.List;

/**
 * TLB invalidation after translations changed: a local flush where the address space runs, and
 * a shootdown (IPI, remote flush, acknowledgement: Linux flush_tlb_mm_range) of the CPUs the
 * model names. The initiating CPU waits; what depends on the old translations being gone (freeing
 * the pages) runs only once every CPU has acknowledged.
 */
final class Shootdowns {
    /** An invalidation still waiting for acknowledgements: [startHva, endHva) of {@code mm}. */
    record Pending(Mm mm, long startHva, long endHva) {
    }

    private final Scheduler scheduler;
    private final Interconnect interconnect;
    private final ProtectionModel model;
    private final List<Pending> pending = new ArrayList<>();

    Shootdowns(Scheduler scheduler, Interconnect interconnect, ProtectionModel model) {
        this.scheduler = scheduler;
        this.interconnect = interconnect;
        this.model = model;
    }

    /** The invalidations in flight (for the audit: entries they cover may still be cached). */
    List<Pending> pending() {
        return pending;
    }

    /**
     * After translations of {@code mm} in [hva, hva + pages) changed: flush them here if this
     * CPU runs {@code mm}, shoot down the CPUs the model names, and run {@code after} once
     * every CPU has acknowledged (at once if none had to be asked). The initiating CPU waits.
     */
    void invalidate(Scheduler.CpuLoop r, Mm mm, long hva, long pages, Runnable after) {
        Cpu cpu = r.cpu;
        long targets = model.invalidationTargets(cpu, mm);
        Mm here = runningView(r.loaded, mm);
        if (here != null) {
            model.flushLocal(cpu, here, hva, pages);
        }
        if (targets == 0) {
            after.run();
            return;
        }
        Pending p = new Pending(mm, hva, hva + Math.min(pages, Long.MAX_VALUE / 8192) * 4096);
        pending.add(p);
        r.stall();
        interconnect.shootdown(cpu, targets, cpu.clock(), target -> {
            Mm there = runningView(scheduler.loop(target.id()).loaded, mm);
            return model.flushLocal(target, there != null ? there : mm, hva, pages);
        }, done -> {
            pending.remove(p);
            r.resume(done);
            after.run();
        });
    }

    /** {@code loaded} if it is {@code mm} or a context built over it, else null. */
    private Mm runningView(Mm loaded, Mm mm) {
        if (loaded == null) {
            return null;
        }
        return loaded == mm || model.runsOver(loaded, mm) ? loaded : null;
    }
}
