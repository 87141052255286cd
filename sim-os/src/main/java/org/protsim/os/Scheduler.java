package org.protsim.os;

import org.protsim.core.Event;
import org.protsim.core.Priority;
import org.protsim.core.Simulation;
import org.protsim.core.config.CostsConfig;
import org.protsim.core.config.KernelConfig;
import org.protsim.hw.Cpu;
import org.protsim.hw.CycleCategory;
import org.protsim.hw.Machine;

import java.util.ArrayDeque;

/**
 * Per-CPU run queues with a time quantum, and each CPU's loop: it runs its current task's
 * references for one lookahead window, then yields to the event queue (DESIGN.md section 2).
 * Tasks block (vfork's parent, a mechanism's waiting system call) and are woken here.
 */
final class Scheduler {
    /** Where a CPU's loop enters the kernel: a task's system call, or a fault of its reference. */
    interface Entry {
        void syscall(CpuLoop r, Task t, Op op);

        void fault(CpuLoop r, Task t, int code);
    }

    private final Simulation sim;
    private final KernelConfig kconfig;
    private final CostsConfig costs;
    private final KernelStats stats;
    private final CpuLoop[] loops;
    private ProtectionModel model;
    private Mechanisms mechanisms;
    private Audit audit;
    private Entry entry;

    Scheduler(Simulation sim, Machine machine, KernelConfig kconfig, CostsConfig costs, KernelStats stats) {
        this.sim = sim;
        this.kconfig = kconfig;
        this.costs = costs;
        this.stats = stats;
        this.loops = new CpuLoop[machine.cpuCount()];
        for (int i = 0; i < loops.length; i++) {
            loops[i] = new CpuLoop(machine.cpu(i));
        }
    }

    /** The parts the loops call into, once they exist. */
    void attach(ProtectionModel model, Mechanisms mechanisms, Audit audit, Entry entry) {
        this.model = model;
        this.mechanisms = mechanisms;
        this.audit = audit;
        this.entry = entry;
    }

    CpuLoop loop(int cpu) {
        return loops[cpu];
    }

    int cpuCount() {
        return loops.length;
    }

    /** The CPU with the fewest tasks running or queued (the lowest-numbered of equals). */
    int idlestCpu() {
        int best = 0;
        int bestLoad = Integer.MAX_VALUE;
        for (int i = 0; i < loops.length; i++) {
            int load = loops[i].runqueue.size() + (loops[i].current != null ? 1 : 0);
            if (load < bestLoad) {
                best = i;
                bestLoad = load;
            }
        }
        return best;
    }

    /** Makes {@code t} runnable on CPU {@code cpu}, waking it if idle, no earlier than {@code time}. */
    void enqueue(Task t, int cpu, long time) {
        t.state = Task.State.RUNNABLE;
        CpuLoop r = loops[cpu];
        r.runqueue.add(t);
        r.wake(time);
    }

    void enqueue(Task t, int cpu) {
        enqueue(t, cpu, sim.now());
    }

    /** {@code t} stops running (or waiting to run) until {@link #wake}. */
    void block(Task t) {
        if (t.state == Task.State.EXITED) {
            throw new IllegalStateException(t + " has exited and cannot block");
        }
        t.state = Task.State.BLOCKED;
        for (CpuLoop r : loops) {
            r.drop(t);
        }
    }

    /** A blocked {@code t} becomes runnable on the CPU it last ran on (or the idlest), no earlier than {@code time}. */
    void wake(Task t, long time) {
        if (t.state == Task.State.BLOCKED) {
            enqueue(t, t.lastCpu >= 0 ? t.lastCpu : idlestCpu(), time);
        }
    }

    /** {@code t} has ended: no CPU runs or queues it again. */
    void remove(Task t) {
        t.state = Task.State.EXITED;
        for (CpuLoop r : loops) {
            r.drop(t);
        }
    }

    /** No CPU keeps a context over the dead {@code mm} as its lazily loaded one. */
    void forget(Mm mm) {
        for (CpuLoop r : loops) {
            if (r.loaded != null && (r.loaded == mm || model.runsOver(r.loaded, mm))) {
                r.loaded = null; // lazily loaded contexts of a dead mm are never reused
            }
        }
    }

    /** One CPU's scheduler loop: runs the current task for a lookahead window at a time. */
    final class CpuLoop extends Event {
        final Cpu cpu;
        final ArrayDeque<Task> runqueue = new ArrayDeque<>();
        Task current;
        /** The task this CPU ran last (for the mechanisms' switch hook). */
        Task previous;
        Mm loaded;
        long quantumEnd;
        /** The CPU's clock when the system call it runs now was made (fork and exec latencies start there). */
        long syscallStart;
        boolean stalled;
        /** Inside {@link #fire}: a wake-up needs no event, the loop reschedules itself. */
        boolean firing;

        CpuLoop(Cpu cpu) {
            super(Priority.CPU, "cpu" + cpu.id());
            this.cpu = cpu;
        }

        void wake(long time) {
            if (!isScheduled() && !stalled && !firing) {
                sim.scheduleAt(this, Math.max(Math.max(time, sim.now()), cpu.clock()));
            }
        }

        @Override
        public void fire() {
            firing = true;
            try {
                run();
            } finally {
                firing = false;
            }
        }

        private void run() {
            cpu.advanceTo(sim.now());
            long horizon = sim.now() + kconfig.lookaheadCycles();
            while (cpu.clock() < horizon) {
                if (current == null && !pickNext()) {
                    return; // idle until something is enqueued
                }
                Task t = current;
                RefBuffer b = t.refs;
                if (b.position >= b.count) {
                    Op op = t.program.next(b);
                    if (op != Op.REFS) {
                        entry.syscall(this, t, op);
                        if (stalled) {
                            return;
                        }
                    } else if (b.count == 0) {
                        throw new IllegalStateException(t + ": program returned REFS with no references");
                    }
                    continue;
                }
                long limit = runqueue.isEmpty() ? horizon : Math.min(horizon, quantumEnd);
                int pos = b.position;
                int n = b.count;
                long[] addresses = b.addresses;
                int[] sizes = b.sizes;
                byte[] accesses = b.accesses;
                int fault = Cpu.OK;
                while (pos < n && cpu.clock() < limit) {
                    fault = cpu.reference(addresses[pos], sizes[pos], accesses[pos]);
                    if (fault != Cpu.OK) {
                        break;
                    }
                    if (audit != null) {
                        audit.checkReference(cpu, t, addresses[pos], sizes[pos]);
                    }
                    pos++;
                }
                b.position = pos;
                if (fault != Cpu.OK) {
                    entry.fault(this, t, fault); // the reference at pos runs again once the fault is handled
                }
                if (stalled) {
                    return;
                }
                if (current != null && !runqueue.isEmpty() && cpu.clock() >= quantumEnd) {
                    preempt();
                }
            }
            sim.scheduleAt(this, cpu.clock());
        }

        private boolean pickNext() {
            Task next = runqueue.poll();
            if (next == null) {
                return false;
            }
            long before = cpu.clock();
            cpu.charge(CycleCategory.SWITCH, costs.contextSwitchCycles());
            load(next, model.contextSpace(next));
            next.state = Task.State.RUNNING;
            next.lastCpu = cpu.id();
            current = next;
            quantumEnd = cpu.clock() + kconfig.quantumCycles();
            stats.contextSwitches.increment();
            stats.switchLatency.record(cpu.clock() - before);
            mechanisms.taskSwitched(cpu, previous == next ? null : previous, next);
            previous = next;
            return true;
        }

        /** Loads {@code space}'s context for {@code task} (a switch, exec's activation, or a VAS switch). */
        void load(Task task, Mm space) {
            model.switchTo(cpu, loaded, task, space);
            if (loaded != null && loaded != space) {
                loaded.cpusRunning &= ~(1L << cpu.id());
            }
            loaded = space;
            space.cpusRunning |= 1L << cpu.id();
            space.cpusRan |= 1L << cpu.id();
        }

        void preempt() {
            Task t = current;
            t.state = Task.State.RUNNABLE;
            runqueue.add(t);
            current = null;
        }

        /** The current task stops running here (blocked or exited). */
        void drop(Task t) {
            if (current == t) {
                current = null;
            } else {
                runqueue.remove(t);
            }
        }

        /** Waits for a shootdown: the CPU spins until {@code done}'s time, then resumes. */
        void stall() {
            stalled = true;
        }

        void resume(long time) {
            long waited = time - cpu.clock();
            if (waited > 0) {
                cpu.charge(CycleCategory.SHOOTDOWN, waited);
            }
            stalled = false;
            if (!isScheduled()) {
                sim.scheduleAt(this, Math.max(cpu.clock(), sim.now()));
            }
        }
    }
}
