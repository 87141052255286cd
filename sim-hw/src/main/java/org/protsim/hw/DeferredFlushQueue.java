package org.protsim.hw;

import org.protsim.core.Event;
import org.protsim.core.Priority;
import org.protsim.core.config.IommuConfig;

/**
 * One domain's deferred (lazy) IOTLB flush queue, after Linux drivers/iommu/dma-iommu.c
 * ({@code queue_iova}, {@code fq_flush_iotlb}, {@code fq_flush_timeout}); docs/hardware-costs.md "deferred
 * (lazy) invalidation".
 *
 * <p>An unmap clears the I/O PTEs at once and queues the range on its CPU's queue; the IOVA
 * is not freed yet, so it cannot be handed out again while a stale IOTLB entry may still
 * translate it. An unmap that finds its CPU's queue holding {@code queueEntries} entries first
 * flushes: one domain-selective invalidation and a wait, after which every queue's entries are
 * released (their IOVAs freed). The first entry queued while no timer is pending arms a timer
 * {@code flushIntervalCycles} later, which flushes the same way; as in Linux, a full-queue flush
 * does not cancel it. The time from each entry's unmap to the completion of the flush that
 * covered it took effect in the unit is the window of exposure ({@code dma.exposure.latency}).
 *
 * <p>The timer is an event on the simulation's queue (one object, rescheduled). The CPU cycles
 * a timer flush costs are handed to the {@link FlushListener}, which charges the CPU that runs
 * the timer; a full-queue flush's cycles are returned to the unmapping caller.
 */
public final class DeferredFlushQueue {
    /** Told of every flush; {@code cpuCycles} is what it cost the CPU that ran it. */
    @FunctionalInterface
    public interface FlushListener {
        void flushed(int domain, long time, long cpuCycles, boolean byTimer);
    }

    private final Iommu iommu;
    private final int domain;
    private final IommuConfig.FlushQueue config;
    // per CPU: a ring of (pfn, pages, unmap time)
    private final long[][] pfns;
    private final long[][] pages;
    private final long[][] unmapped;
    private final int[] count;
    private final Event timer;
    private FlushListener listener = (d, t, c, byTimer) -> { };
    private long timerFlushes;
    private long fullFlushes;

    DeferredFlushQueue(Iommu iommu, int domain, IommuConfig.FlushQueue config, int cpus) {
        this.iommu = iommu;
        this.domain = domain;
        this.config = config;
        this.pfns = new long[cpus][config.queueEntries()];
        this.pages = new long[cpus][config.queueEntries()];
        this.unmapped = new long[cpus][config.queueEntries()];
        this.count = new int[cpus];
        this.timer = Event.of(Priority.TIMER, "iommu.fq.timer.d" + domain, this::timeout);
    }

    public void setListener(FlushListener listener) {
        this.listener = listener;
    }

    /** Entries queued on {@code cpu}'s queue. */
    public int queued(int cpu) {
        return count[cpu];
    }

    public boolean timerPending() {
        return timer.isScheduled();
    }

    public long timerFlushes() {
        return timerFlushes;
    }

    public long fullFlushes() {
        return fullFlushes;
    }

    /**
     * Deferred unmap of {@code n} pages at IOVA page {@code pfn} on CPU {@code cpu} at cycle
     * {@code now}: clears the PTEs, flushes first if this CPU's queue is full, queues the range
     * and arms the timer. Returns the CPU cycles.
     */
    public long unmap(int cpu, long pfn, long n, long now) {
        long cycles = 0;
        for (long p = 0; p < n; p++) {
            cycles += iommu.unmap(domain, (pfn + p) << 12);
        }
        long cleared = now + cycles;
        cycles += config.queueCycles();
        if (count[cpu] == config.queueEntries()) {
            fullFlushes++;
            cycles += flush(cpu, now + cycles);
        }
        int i = count[cpu]++;
        pfns[cpu][i] = pfn;
        pages[cpu][i] = n;
        unmapped[cpu][i] = cleared;
        if (!timer.isScheduled()) {
            // Linux arms fq_timer from the unmapping CPU; it fires flushIntervalCycles after this unmap
            iommu.sim().scheduleAt(timer, Math.max(cleared, iommu.sim().now()) + config.flushIntervalCycles());
        }
        return cycles;
    }

    private void timeout() {
        timerFlushes++;
        long now = iommu.sim().now();
        long cycles = flush(0, now);
        listener.flushed(domain, now, cycles, true);
    }

    /**
     * fq_flush_iotlb then fq_ring_free on every CPU: one domain invalidation and a wait, then every
     * queued range's window closes and its IOVA is freed on {@code cpu}'s rcache. Returns CPU cycles.
     */
    private long flush(int cpu, long now) {
        iommu.queueFlushes++;
        long cycles = iommu.invalidateDomain(domain, now);
        long done = iommu.busyUntil(); // the unit has dropped the domain's entries
        cycles += iommu.waitForCompletion(now + cycles);
        IovaAllocator a = iommu.iova(domain);
        for (int c = 0; c < count.length; c++) {
            for (int i = 0; i < count[c]; i++) {
                iommu.exposed(unmapped[c][i], done);
                a.free(cpu, pfns[c][i], pages[c][i]);
                cycles += a.lastCycles();
            }
            count[c] = 0;
        }
        return cycles;
    }
}
