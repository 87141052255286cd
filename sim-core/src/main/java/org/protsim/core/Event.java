package org.protsim.core;

/**
 * Something that happens at a simulated cycle. Components hold their events as fields and
 * reschedule the same object (gem5's preallocated member events), so the steady state
 * allocates nothing.
 *
 * <p>An event is in at most one queue position at a time: scheduling one that is already
 * scheduled is an error, as is scheduling one before the current cycle.
 */
public abstract class Event {
    private final int priority;
    private final String name;

    // Maintained by EventQueue only.
    long time;
    long sequence;
    int heapIndex = -1;

    /**
     * @param priority among events at the same cycle, lower fires first; use a {@link Priority} constant
     * @param name     shown in error messages and debugging output
     */
    protected Event(int priority, String name) {
        this.priority = priority;
        this.name = name;
    }

    /** Called by the simulation when the event's time comes. The event is no longer scheduled then. */
    public abstract void fire();

    public final int priority() {
        return priority;
    }

    /** The cycle this event is (or was last) scheduled for. */
    public final long time() {
        return time;
    }

    public final boolean isScheduled() {
        return heapIndex >= 0;
    }

    public final String name() {
        return name;
    }

    /** An event that runs {@code action}; for components that prefer composition to subclassing. */
    public static Event of(int priority, String name, Runnable action) {
        return new Event(priority, name) {
            @Override
            public void fire() {
                action.run();
            }
        };
    }

    @Override
    public String toString() {
        return isScheduled() ? name + "@" + time : name;
    }
}
