package org.protsim.os;

import org.protsim.core.Event;
import org.protsim.core.Priority;
import org.protsim.hw.Cpu;

import java.util.Set;

/**
 * A test mechanism adding one system call, {@link Ping}: the caller blocks while a device
 * works for the given cycles (an event), then wakes with the answer 42 - the shape of an
 * asynchronous I/O completion.
 */
final class DeviceCall implements KernelMechanism {
    /** Ask the device; the answer comes after {@code delayCycles}. */
    record Ping(long delayCycles) implements Op.MechanismOp {
    }

    static final long ANSWER = 42;

    private final Event done = Event.of(Priority.DEVICE, "test.device", this::answer);
    private MechanismServices services;
    private Task waiting;
    long answered;

    @Override
    public String name() {
        return "test/device";
    }

    @Override
    public void boot(MechanismServices s) {
        this.services = s;
    }

    @Override
    public Set<Class<? extends Op.MechanismOp>> ops() {
        return Set.of(Ping.class);
    }

    @Override
    public void syscall(Cpu cpu, Task task, Op.MechanismOp op) {
        Ping p = (Ping) op;
        if (waiting != null) {
            throw new IllegalStateException("the test device serves one request at a time");
        }
        waiting = task;
        services.block(task);
        services.scheduleAt(done, Math.max(services.now(), cpu.clock()) + p.delayCycles());
    }

    private void answer() {
        Task t = waiting;
        waiting = null;
        answered++;
        services.complete(t, ANSWER);
        services.wake(t, done.time());
    }
}
