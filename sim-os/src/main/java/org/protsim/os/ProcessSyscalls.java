package org.protsim.os;

import org.protsim.core.config.CostsConfig;
import org.protsim.hw.Cpu;
import org.protsim.hw.CycleCategory;

import java.util.List;
import java.util.TreeMap;

/**
 * Processes and tasks: spawn, fork (with vfork's borrowed address space), clone, exec (which
 * ends the other threads first, as Linux's de_thread), exit and exit_group, yield, and the
 * switches of first-class address spaces. An address space dies with its last user.
 */
final class ProcessSyscalls {
    private final CostsConfig costs;
    private final ProtectionModel model;
    private final Mechanisms mechanisms;
    private final Scheduler scheduler;
    private final Shootdowns shootdowns;
    private final MemorySyscalls memory;
    private final KernelStats stats;
    private final TreeMap<Integer, Process> processes = new TreeMap<>();
    private int nextPid = 1;
    private int nextTid = 1;
    private int nextMmId = 1;
    private int liveProcesses;

    ProcessSyscalls(CostsConfig costs, ProtectionModel model, Mechanisms mechanisms, Scheduler scheduler,
                    Shootdowns shootdowns, MemorySyscalls memory, KernelStats stats) {
        this.costs = costs;
        this.model = model;
        this.mechanisms = mechanisms;
        this.scheduler = scheduler;
        this.shootdowns = shootdowns;
        this.memory = memory;
        this.stats = stats;
    }

    void register(SyscallTable table) {
        table.register(Op.Fork.class, this::fork);
        table.register(Op.Clone.class, this::clone);
        table.register(Op.Exec.class, this::exec);
        table.register(Op.Exit.class, (r, t, e) -> exitTask(r, t, e.status()));
        table.register(Op.ExitGroup.class, (r, t, e) -> exitProcess(r, t.process, e.status()));
        table.register(Op.Yield.class, (r, t, y) -> {
            if (!r.runqueue.isEmpty()) {
                r.preempt();
            }
        });
        table.register(Op.VasCreate.class, (r, t, v) ->
                t.program.returned(model.vasCreate(r.cpu, v.base(), v.pages(), v.readOnly())));
        table.register(Op.VasAttach.class, (r, t, v) -> model.vasAttach(r.cpu, t.process, v.id()));
        table.register(Op.VasSwitch.class, this::vasSwitch);
    }

    int liveProcesses() {
        return liveProcesses;
    }

    Iterable<Process> processes() {
        return processes.values();
    }

    Process process(int pid) {
        return processes.get(pid);
    }

    // ------------------------------------------------------------------ creation

    /** A new empty address space with a root the model chose. */
    Mm newMm() {
        Mm mm = new Mm(nextMmId++);
        model.mmCreated(mm);
        mechanisms.mmCreated(mm);
        return mm;
    }

    /** Creates a process running {@code image} as {@code program} (an initial process of the workload). */
    Process spawn(Image image, TaskProgram program) {
        Process p = newProcess(null);
        p.mm = newMm();
        memory.layOut(p.mm, image);
        p.image = image;
        Task t = newTask(p, program);
        scheduler.enqueue(t, scheduler.idlestCpu());
        return p;
    }

    private Process newProcess(Process parent) {
        Process p = new Process(nextPid++, parent);
        processes.put(p.pid(), p);
        liveProcesses++;
        stats.peakProcesses = Math.max(stats.peakProcesses, liveProcesses);
        return p;
    }

    private Task newTask(Process p, TaskProgram program) {
        Task t = new Task(nextTid++, p, program);
        p.tasks.add(t);
        mechanisms.taskCreated(t);
        return t;
    }

    private void clone(Scheduler.CpuLoop r, Task t, Op.Clone c) {
        Task th = newTask(t.process, c.thread());
        stats.threads.increment();
        scheduler.enqueue(th, scheduler.idlestCpu(), r.cpu.clock());
        t.program.returned(th.tid());
    }

    private void fork(Scheduler.CpuLoop r, Task t, Op.Fork f) {
        Cpu cpu = r.cpu;
        long start = r.syscallStart;
        cpu.charge(CycleCategory.SYSCALL, costs.forkCycles());
        Process parent = t.process;
        Process child = newProcess(parent);
        child.image = parent.image;
        stats.forks.increment();
        Task ct = newTask(child, f.child());
        if (f.sharesMm()) {
            // vfork / CLONE_VM: the child borrows the parent's mm until it execs; the parent waits
            child.mm = parent.mm;
            parent.mm.users++;
            child.vforkParent = t;
            scheduler.block(t);
            scheduler.enqueue(ct, cpu.id(), cpu.clock());
            t.program.returned(child.pid());
            stats.forkLatency.record(cpu.clock() - start);
            return;
        }
        child.mm = newMm();
        boolean protectedParent = model.fork(cpu, parent, child, f.execsAtOnce());
        Runnable done = () -> {
            stats.forkLatency.record(cpu.clock() - start);
            scheduler.enqueue(ct, scheduler.idlestCpu(), cpu.clock());
            t.program.returned(child.pid());
        };
        if (protectedParent) {
            Mm pm = parent.mm;
            shootdowns.invalidate(r, pm, Kernel.hw(pm, 0), Long.MAX_VALUE / 8192, done);
        } else {
            done.run();
        }
    }

    private void exec(Scheduler.CpuLoop r, Task t, Op.Exec e) {
        Cpu cpu = r.cpu;
        long start = r.syscallStart;
        cpu.charge(CycleCategory.SYSCALL, costs.execCycles());
        Process p = t.process;
        if (p.tasks.size() > 1) {
            // exec ends the other threads first (de_thread)
            for (Task other : List.copyOf(p.tasks)) {
                if (other != t) {
                    endTask(other);
                }
            }
        }
        Mm old = p.mm;
        Mm fresh = newMm();
        memory.layOut(fresh, e.image());
        p.mm = fresh;
        p.image = e.image();
        t.vas = null;
        t.program = e.program();
        t.refs.clear();
        // activate the new address space on this CPU (exec's switch_mm)
        r.load(t, model.contextSpace(t));
        model.execMapped(cpu, p);
        old.users--;
        if (old.users == 0) {
            destroyMm(old);
        } else if (p.vforkParent != null) {
            wakeVforkParent(p, cpu.clock());
        }
        stats.execs.increment();
        stats.execLatency.record(cpu.clock() - start);
    }

    private void vasSwitch(Scheduler.CpuLoop r, Task t, Op.VasSwitch v) {
        Cpu cpu = r.cpu;
        Mm space = model.vasSwitch(cpu, t, v.id());
        if (space != r.loaded) {
            long before = cpu.clock();
            r.load(t, space);
            stats.vasSwitches.increment();
            stats.switchLatency.record(cpu.clock() - before);
        }
    }

    // ------------------------------------------------------------------ ending

    /** Unmaps every page of {@code mm} and frees its address space (exit, exec). */
    private void destroyMm(Mm mm) {
        memory.clearAll(mm);
        forgetSpace(mm);
        model.mmDestroyed(mm);
        mechanisms.mmDestroyed(mm);
    }

    /** {@code mm} is dead: no CPU may keep it as its (lazily) loaded context. */
    void forgetSpace(Mm mm) {
        mm.dead = true;
        scheduler.forget(mm);
    }

    private void wakeVforkParent(Process p, long time) {
        Task parent = p.vforkParent;
        p.vforkParent = null;
        scheduler.wake(parent, time);
    }

    private void exitTask(Scheduler.CpuLoop r, Task t, int status) {
        Process p = t.process;
        if (p.tasks.size() == 1) {
            exitProcess(r, p, status);
            return;
        }
        endTask(t);
    }

    private void endTask(Task t) {
        t.process.tasks.remove(t);
        scheduler.remove(t);
        mechanisms.taskExited(t);
    }

    void exitProcess(Scheduler.CpuLoop r, Process p, int status) {
        if (!p.alive) {
            return;
        }
        for (Task t : List.copyOf(p.tasks)) {
            endTask(t);
        }
        p.alive = false;
        p.exitStatus = status;
        liveProcesses--;
        stats.exits.increment();
        Mm mm = p.mm;
        mm.users--;
        if (mm.users == 0) {
            destroyMm(mm);
        }
        if (p.vforkParent != null) {
            wakeVforkParent(p, r.cpu.clock());
        }
        processes.remove(p.pid());
    }
}
