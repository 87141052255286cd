package org.protsim.os.dma;

import org.protsim.hw.PhysicalMemory;

import static org.protsim.os.dma.DmaMechanism.VICTIMS;

/**
 * Where {@code kernel.dma}'s wild writes end: caught (an IOMMU or protection fault) or landed, on a
 * frame of which kind ({@link DmaMechanism#VICTIMS}); counted, and told to the listener.
 */
final class WildWrites {
    private final PhysicalMemory memory;
    private final DmaCounters counters;
    private DmaMechanism.WildListener listener = (kind, time, caught, victim) -> { };

    WildWrites(PhysicalMemory memory, DmaCounters counters) {
        this.memory = memory;
        this.counters = counters;
    }

    void listener(DmaMechanism.WildListener l) {
        this.listener = l;
    }

    /** A frame drawn from {@code target} (a random 64-bit draw) among those memory has handed out. */
    long randomFrame(long target) {
        long highest = Math.max(1, memory.framesTouched());
        return 1 + Long.remainderUnsigned(target, highest);
    }

    /** A wild write of {@code kind} at {@code now} reached {@code frame} (-1: it was caught). */
    void outcome(String kind, long now, long frame, int requester) {
        if (frame < 0) {
            counters.caught.increment();
            listener.wildWrite(kind, now, true, null);
            return;
        }
        int v = victim((int) frame, requester);
        counters.landed[v].increment();
        listener.wildWrite(kind, now, false, VICTIMS.get(v));
    }

    private int victim(int frame, int requester) {
        if (frame > memory.framesTouched()) {
            return VICTIMS.indexOf("free");
        }
        return switch (memory.kind(frame)) {
            case PhysicalMemory.FREE -> VICTIMS.indexOf("free");
            case PhysicalMemory.TABLE -> VICTIMS.indexOf("pageTable");
            case PhysicalMemory.KERNEL -> VICTIMS.indexOf("kernel");
            case PhysicalMemory.DEVICE -> VICTIMS.indexOf("device");
            default -> memory.owner(frame) == requester ? VICTIMS.indexOf("own") : VICTIMS.indexOf("otherProcess");
        };
    }
}
