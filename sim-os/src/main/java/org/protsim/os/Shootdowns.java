package org.protsim.os;

import org.protsim.core.Pool;
import org.protsim.hw.Cpu;
import org.protsim.hw.Interconnect;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * TLB invalidation after translations changed: a local flush where the address space runs, and
 * a shootdown (IPI, remote flush, acknowledgement: Linux flush_tlb_mm_range) of the CPUs the
 * model names. The initiating CPU waits; what depends on the old translations being gone (freeing
 * the pages) runs only once every CPU has acknowledged.
 *
 * <p>An invalidation in flight is a {@link Pending} taken from a free list and handed back when the
 * last acknowledgement has come (before its continuation runs), so a shootdown allocates nothing
 * once the list holds as many as are in flight at once (at most one per initiating CPU).
 */
final class Shootdowns {
    /**
     * An invalidation still waiting for acknowledgements: [startHva, endHva) of {@code mm}. It is
     * also what each target does when the IPI arrives and what the initiator does at the last
     * acknowledgement, so the shootdown needs no object of its own beyond it.
     */
    final class Pending implements Interconnect.RemoteFlush, LongConsumer {
        private Scheduler.CpuLoop initiator;
        private Mm mm;
        private long hva;
        private long pages;
        private long endHva;
        private Runnable after;

        Mm mm() {
            return mm;
        }

        long startHva() {
            return hva;
        }

        long endHva() {
            return endHva;
        }

        @Override
        public long apply(Cpu target) {
            Mm there = runningView(scheduler.loop(target.id()).loaded, mm);
            return model.flushLocal(target, there != null ? there : mm, hva, pages);
        }

        @Override
        public void accept(long done) {
            Scheduler.CpuLoop r = initiator;
            Runnable then = after;
            pending.remove(this);
            initiator = null;
            mm = null;
            after = null;
            free.give(this); // free before the continuation runs: it may start the next invalidation
            r.resume(done);
            then.run();
        }
    }

    private final Scheduler scheduler;
    private final Interconnect interconnect;
    private final ProtectionModel model;
    private final List<Pending> pending = new ArrayList<>();
    private final Pool<Pending> free = new Pool<>(Pending::new);

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
        Pending p = free.take();
        p.initiator = r;
        p.mm = mm;
        p.hva = hva;
        p.pages = pages;
        p.endHva = hva + Math.min(pages, Long.MAX_VALUE / 8192) * 4096;
        p.after = after;
        pending.add(p);
        r.stall();
        interconnect.shootdown(cpu, targets, cpu.clock(), p, p);
    }

    /** {@code loaded} if it is {@code mm} or a context built over it, else null. */
    private Mm runningView(Mm loaded, Mm mm) {
        if (loaded == null) {
            return null;
        }
        return loaded == mm || model.runsOver(loaded, mm) ? loaded : null;
    }
}
