package org.protsim.os;

import org.protsim.core.InputError;
import org.protsim.hw.Cpu;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The active kernel mechanisms, called at each funnel in order; and the router of their system calls. */
final class Mechanisms {
    private final KernelMechanism[] active;
    private final Map<Class<?>, KernelMechanism> opOwners = new HashMap<>();

    Mechanisms(List<KernelMechanism> active) {
        this.active = active.toArray(new KernelMechanism[0]);
        for (KernelMechanism m : this.active) {
            for (Class<? extends Op.MechanismOp> op : m.ops()) {
                KernelMechanism other = opOwners.putIfAbsent(op, m);
                if (other != null) {
                    throw new IllegalStateException(op.getSimpleName() + " is claimed by both " + other.name()
                            + " and " + m.name());
                }
            }
        }
    }

    List<KernelMechanism> list() {
        return List.of(active);
    }

    void boot(MechanismServices services, PageTables tables) {
        for (KernelMechanism m : active) {
            m.boot(services);
            tables.addObserver(m);
        }
    }

    void mmCreated(Mm mm) {
        for (KernelMechanism m : active) {
            m.mmCreated(mm);
        }
    }

    void mmDestroyed(Mm mm) {
        for (KernelMechanism m : active) {
            m.mmDestroyed(mm);
        }
    }

    void taskCreated(Task t) {
        for (KernelMechanism m : active) {
            m.taskCreated(t);
        }
    }

    void taskExited(Task t) {
        for (KernelMechanism m : active) {
            m.taskExited(t);
        }
    }

    void taskSwitched(Cpu cpu, Task previous, Task next) {
        for (KernelMechanism m : active) {
            m.taskSwitched(cpu, previous, next);
        }
    }

    void vmaMapped(Mm mm, Vma v) {
        for (KernelMechanism m : active) {
            m.vmaMapped(mm, v);
        }
    }

    void vmaUnmapped(Mm mm, Vma v) {
        for (KernelMechanism m : active) {
            m.vmaUnmapped(mm, v);
        }
    }

    /** The system-call handler for every {@link Op.MechanismOp}: to the active mechanism claiming it. */
    void register(SyscallTable table) {
        table.register(Op.MechanismOp.class, (r, t, op) -> {
            KernelMechanism m = opOwners.get(op.getClass());
            if (m == null) {
                throw new InputError(t + " made system call " + op.getClass().getSimpleName()
                        + ", which no active kernel mechanism provides (see the kernel.<switch>.mode settings)");
            }
            m.syscall(r.cpu, t, op);
        });
    }
}
