package org.protsim.core;

import org.protsim.core.stats.Stats;

/**
 * One simulated run: the clock (cycles, a {@code long}), the pending events, the random
 * streams and the statistics. Nothing here is static, so any number of simulations can run
 * side by side in one JVM (sweeps run them on parallel threads).
 *
 * <p>{@link #run(long)} pops events in (time, priority, sequence) order until the queue is
 * empty, the next event lies beyond the cycle limit, or a component calls {@link #stop}.
 */
public final class Simulation {
    /** Why {@link #run} returned. */
    public enum StopReason {
        /** No event was pending: the workload finished. */
        QUEUE_EMPTY,
        /** The next event lay beyond the cycle limit. */
        CYCLE_LIMIT,
        /** A component asked to stop (a stop condition was met). */
        STOPPED
    }

    private final EventQueue queue = new EventQueue();
    private final RandomStreams streams;
    private final Stats stats = new Stats();
    private String stopRequest;
    private long eventsFired;

    public Simulation(long seed) {
        this.streams = new RandomStreams(seed);
    }

    /** The current cycle. */
    public long now() {
        return queue.now();
    }

    public RandomStreams streams() {
        return streams;
    }

    public Stats stats() {
        return stats;
    }

    /** Schedules {@code event} {@code delayCycles} from now. */
    public void schedule(Event event, long delayCycles) {
        if (delayCycles < 0) {
            throw new IllegalArgumentException("negative delay " + delayCycles + " for " + event.name());
        }
        queue.schedule(event, queue.now() + delayCycles);
    }

    /** Schedules {@code event} at absolute cycle {@code time}, which must not be in the past. */
    public void scheduleAt(Event event, long time) {
        queue.schedule(event, time);
    }

    /** Unschedules {@code event}; returns false if it was not scheduled. */
    public boolean cancel(Event event) {
        return queue.cancel(event);
    }

    public int pendingEvents() {
        return queue.size();
    }

    /** Time of the next pending event, {@link Long#MAX_VALUE} if none. */
    public long nextEventTime() {
        return queue.peekTime();
    }

    /** Asks the run loop to return after the current event; the reason is kept for reporting. */
    public void stop(String reason) {
        if (stopRequest == null) {
            stopRequest = reason;
        }
    }

    public String stopRequest() {
        return stopRequest;
    }

    public long eventsFired() {
        return eventsFired;
    }

    /**
     * Fires events until the queue is empty, the next event is after {@code maxCycles}, or
     * {@link #stop} was called. At a cycle limit the clock is left at {@code maxCycles}.
     */
    public StopReason run(long maxCycles) {
        while (true) {
            if (stopRequest != null) {
                return StopReason.STOPPED;
            }
            long next = queue.peekTime();
            if (next == Long.MAX_VALUE) {
                return StopReason.QUEUE_EMPTY;
            }
            if (next > maxCycles) {
                queue.advanceTo(maxCycles);
                return StopReason.CYCLE_LIMIT;
            }
            Event e = queue.poll();
            eventsFired++;
            e.fire();
        }
    }
}
