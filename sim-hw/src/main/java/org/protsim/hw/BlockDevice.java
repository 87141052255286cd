package org.protsim.hw;

import org.apache.commons.math3.distribution.ExponentialDistribution;
import org.apache.commons.math3.distribution.LogNormalDistribution;
import org.apache.commons.math3.distribution.RealDistribution;
import org.apache.commons.math3.special.Erf;
import org.protsim.core.Event;
import org.protsim.core.Priority;
import org.protsim.core.Simulation;
import org.protsim.core.config.DiskConfig;
import org.protsim.core.config.IrqRouting;
import org.protsim.core.stats.LatencyRecorder;
import org.protsim.core.stats.Stats;

import java.util.SplittableRandom;

/**
 * A block device driven by events, after an NVMe SSD: it serves up to {@code parallelRequests}
 * requests at once (a multi-server queue; the rest wait in submission order), each for a service
 * time drawn from the configured distribution, and signals each completion with an interrupt on
 * one CPU: the submitter's (NVMe's per-CPU queue pairs with affine MSI-X vectors, as Linux sets
 * them up) or a fixed one. Taking the interrupt charges {@code interruptCycles} of
 * {@link CycleCategory#INTERRUPT} to that CPU; then the {@link CompletionHandler} (the kernel)
 * runs on it and charges its own work.
 *
 * <p>Service times come from the named random stream {@code hw.<name>.latency}, one draw per
 * request at submission, so the same requests get the same times however they queue. Each
 * service slot is one event object, rescheduled for the next request; the wait queue is a ring of
 * primitive arrays: the steady state allocates nothing.
 *
 * <p>A submission is timed at the submitting CPU's clock, which may run ahead of the global one
 * by up to the kernel's lookahead; requests are served in the order they reach the device.
 */
public final class BlockDevice {
    /** The kernel's side of a completion. */
    @FunctionalInterface
    public interface CompletionHandler {
        /**
         * Request {@code tag} completed at cycle {@code completedAt}; {@code cpu} has taken its interrupt
         * (entry charged, its clock past it) and runs the handler now, charging it for any further work.
         */
        void completed(Cpu cpu, long tag, long submittedAt, long completedAt);
    }

    private final String name;
    private final Simulation sim;
    private final Cpu[] cpus;
    private final IrqRouting routing;
    private final int irqCpu;
    private final int interruptCycles;
    private final long medianCycles;
    private final RealDistribution distribution;
    private final SplittableRandom random;
    private final LatencyRecorder latency;
    private CompletionHandler handler = (cpu, tag, submitted, completed) -> { };

    private final Slot[] free;
    private int freeCount;

    // waiting requests: a ring buffer of parallel arrays
    private long[] waitTags = new long[16];
    private int[] waitCpus = new int[16];
    private long[] waitSubmitted = new long[16];
    private long[] waitService = new long[16];
    private int waitHead;
    private int waitCount;

    private long requests;
    private long completions;
    private long queued;

    public BlockDevice(String name, DiskConfig config, Simulation sim, Cpu[] cpus, Stats stats) {
        this.name = name;
        this.sim = sim;
        this.cpus = cpus;
        this.routing = config.irq();
        this.irqCpu = config.irqCpu();
        this.interruptCycles = config.interruptCycles();
        this.medianCycles = config.latency().medianCycles();
        double median = medianCycles;
        // commons-math3 gives the inverse distribution functions; the uniform draws come from protsim's stream
        this.distribution = switch (config.latency().distribution()) {
            case FIXED -> null;
            case LOGNORMAL -> new LogNormalDistribution(null, Math.log(median), config.latency().sigma());
            case EXPONENTIAL -> new ExponentialDistribution(null, median / Math.log(2));
        };
        this.random = sim.streams().get("hw." + name + ".latency");
        this.free = new Slot[config.parallelRequests()];
        for (int i = 0; i < free.length; i++) {
            free[i] = new Slot(i);
        }
        this.freeCount = free.length;
        this.latency = stats.histogram(name + ".latency", "cycles",
                "device latency of a request: submission to completion interrupt, queueing included");
        stats.counter(name + ".requests", "requests", "requests submitted to the " + name, () -> requests);
        stats.counter(name + ".completions", "requests", "requests the " + name + " completed", () -> completions);
        stats.counter(name + ".queued", "requests", "requests that waited for a free slot of the " + name,
                () -> queued);
    }

    /** Who runs when a completion interrupt is taken; the kernel sets it. */
    public void setHandler(CompletionHandler handler) {
        this.handler = handler;
    }

    /** Requests submitted and not yet completed. */
    public int outstanding() {
        return free.length - freeCount + waitCount;
    }

    /** Submits request {@code tag} from {@code submitter} at its current clock. */
    public void submit(Cpu submitter, long tag) {
        submit(submitter.id(), tag, Math.max(submitter.clock(), sim.now()));
    }

    /** Submits request {@code tag} from CPU {@code submitter} at cycle {@code time} (not before now). */
    public void submit(int submitter, long tag, long time) {
        if (submitter < 0 || submitter >= cpus.length) {
            throw new IllegalArgumentException(name + ": no CPU " + submitter);
        }
        if (time < sim.now()) {
            throw new IllegalArgumentException(name + ": submission at cycle " + time + " is before now " + sim.now());
        }
        requests++;
        long service = drawService();
        if (freeCount > 0) {
            free[--freeCount].start(tag, submitter, time, time, service);
            return;
        }
        queued++;
        if (waitCount == waitTags.length) {
            growQueue();
        }
        int i = (waitHead + waitCount) & (waitTags.length - 1);
        waitTags[i] = tag;
        waitCpus[i] = submitter;
        waitSubmitted[i] = time;
        waitService[i] = service;
        waitCount++;
    }

    private long drawService() {
        if (distribution == null) {
            return medianCycles;
        }
        double u = random.nextDouble();
        if (distribution instanceof LogNormalDistribution d) {
            // its inverse in closed form: commons-math solves it numerically, allocating a solver per draw
            return Math.max(1, Math.round(Math.exp(d.getScale()
                    + d.getShape() * Math.sqrt(2) * Erf.erfInv(2 * u - 1))));
        }
        return Math.max(1, Math.round(distribution.inverseCumulativeProbability(u)));
    }

    private void growQueue() {
        int n = waitTags.length;
        long[] t = new long[2 * n];
        int[] c = new int[2 * n];
        long[] s = new long[2 * n];
        long[] v = new long[2 * n];
        for (int k = 0; k < waitCount; k++) {
            int i = (waitHead + k) & (n - 1);
            t[k] = waitTags[i];
            c[k] = waitCpus[i];
            s[k] = waitSubmitted[i];
            v[k] = waitService[i];
        }
        waitTags = t;
        waitCpus = c;
        waitSubmitted = s;
        waitService = v;
        waitHead = 0;
    }

    /** One request in service; rescheduled for the next one when it completes. */
    private final class Slot extends Event {
        long tag;
        int submitter;
        long submittedAt;

        Slot(int index) {
            super(Priority.DEVICE, name + ".slot" + index);
        }

        void start(long tag, int submitter, long submittedAt, long startAt, long service) {
            this.tag = tag;
            this.submitter = submitter;
            this.submittedAt = submittedAt;
            sim.scheduleAt(this, startAt + service);
        }

        @Override
        public void fire() {
            long now = sim.now();
            long doneTag = tag;
            int doneSubmitter = submitter;
            long doneSubmitted = submittedAt;
            // the slot takes the next waiting request before the handler runs, so requests the
            // handler submits queue behind those already waiting
            if (waitCount > 0) {
                int i = waitHead;
                waitHead = (waitHead + 1) & (waitTags.length - 1);
                waitCount--;
                start(waitTags[i], waitCpus[i], waitSubmitted[i], Math.max(now, waitSubmitted[i]), waitService[i]);
            } else {
                free[freeCount++] = this;
            }
            completions++;
            latency.record(now - doneSubmitted);
            Cpu cpu = cpus[routing == IrqRouting.SUBMITTER ? doneSubmitter : irqCpu];
            cpu.advanceTo(now);
            cpu.charge(CycleCategory.INTERRUPT, interruptCycles);
            handler.completed(cpu, doneTag, doneSubmitted, now);
        }
    }

    @Override
    public String toString() {
        return name + " (" + outstanding() + " outstanding, " + freeCount + " free slots)";
    }
}
