package org.protsim.os;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * System-call dispatch by {@link Op} type: one handler per permitted subtype of the sealed
 * {@code Op} (the kernel's parts register theirs, and one handler routes every
 * {@link Op.MechanismOp} to the mechanism claiming it). {@link #checkComplete} makes a missing
 * handler a failure at boot (and in a test), not an "unhandled" at run time.
 * {@link Op.Refs} is not a system call: the CPU loop runs references itself.
 */
final class SyscallTable {
    /** Runs one kind of system call for task {@code t} on {@code r}'s CPU. */
    @FunctionalInterface
    interface Handler<T extends Op> {
        void run(Scheduler.CpuLoop r, Task t, T op);
    }

    private final Map<Class<?>, Handler<?>> handlers = new HashMap<>();

    <T extends Op> void register(Class<T> type, Handler<T> handler) {
        if (handlers.putIfAbsent(type, handler) != null) {
            throw new IllegalStateException("two handlers for " + type.getSimpleName());
        }
    }

    /** The permitted subtypes of {@code Op} with no handler (empty once every part registered). */
    List<Class<?>> missing() {
        List<Class<?>> out = new ArrayList<>();
        for (Class<?> c : Op.class.getPermittedSubclasses()) {
            if (c != Op.Refs.class && !handlers.containsKey(c)) {
                out.add(c);
            }
        }
        return out;
    }

    /** The types with a handler. */
    List<Class<?>> handled() {
        return List.copyOf(handlers.keySet());
    }

    void checkComplete() {
        List<Class<?>> m = missing();
        if (!m.isEmpty()) {
            throw new IllegalStateException("system calls without a handler: " + Arrays.toString(m.toArray()));
        }
    }

    @SuppressWarnings("unchecked")
    void dispatch(Scheduler.CpuLoop r, Task t, Op op) {
        Class<?> type = op instanceof Op.MechanismOp ? Op.MechanismOp.class : op.getClass();
        Handler<Op> h = (Handler<Op>) handlers.get(type);
        if (h == null) {
            throw new IllegalStateException("no handler for " + op); // checkComplete rules this out
        }
        h.run(r, t, op);
    }
}
