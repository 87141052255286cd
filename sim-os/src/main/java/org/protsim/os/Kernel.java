package org.protsim.os;

import org.protsim.core.InputError;
import org.protsim.core.Simulation;
import org.protsim.core.config.CostsConfig;
import org.protsim.core.config.KernelConfig;
import org.protsim.core.config.RunConfig;
import org.protsim.hw.Cpu;
import org.protsim.hw.CycleCategory;
import org.protsim.hw.Machine;
import org.protsim.hw.PhysicalMemory;
import org.protsim.hw.RadixPageTable;

import java.util.ArrayList;
import java.util.List;

/**
 * The simulated kernel: processes, tasks, address spaces and VMAs, real radix page tables in
 * simulated frames, per-CPU run queues with a time quantum, and the system calls workloads
 * use (fork, exec, exit, mmap, munmap, mprotect, brk, clone) with demand-zero and
 * copy-on-write faults. How address spaces meet the hardware is the {@link ProtectionModel}'s
 * business; the kernel is the same for every model. {@link KernelMechanism}s chosen by
 * {@code kernel.<switch>.mode} plug in at its funnels.
 *
 * <p>This class boots the kernel and wires its parts, each with one job: the {@link Scheduler},
 * the {@link PageTables} (the one writer of entries), {@link Faults}, {@link Shootdowns},
 * {@link MemorySyscalls} and {@link ProcessSyscalls}, with system calls dispatched by type
 * through one {@link SyscallTable}. Models and mechanisms see the kernel only through the
 * narrow {@link ModelServices} and {@link MechanismServices}.
 */
public final class Kernel {
    /** Kernel text lives in the top half: PML4 slot 256 (4-level), PML5 slot 384 (5-level). */
    public static final long KERNEL_BASE_4 = 0xffff_8000_0000_0000L;
    public static final long KERNEL_BASE_5 = 0xff80_0000_0000_0000L;
    /** mmap places mappings top-down from here (below the stack), as Linux's legacy layout does. */
    public static final long MMAP_TOP = 0x7f00_0000_0000L;
    /** User addresses lie below 2^47 in every model (sasos adds its space base on top). */
    public static final long USER_TOP = 1L << 47;
    public static final int KERNEL_OWNER = PageTables.KERNEL_OWNER;

    private final RunConfig config;
    private final Machine machine;
    private final PhysicalMemory memory;
    private final long kernelBase;
    private final PageTables tables;
    private final ProtectionModel model;
    private final Mechanisms mechanisms;
    private final Scheduler scheduler;
    private final Shootdowns shootdowns;
    private final MemorySyscalls memorySyscalls;
    private final ProcessSyscalls processSyscalls;
    private final Faults faults;
    private final SyscallTable syscallTable = new SyscallTable();
    private final KernelStats stats;
    private final KernelText text;
    private final Audit audit;
    private int nextObjectId = 1;

    /** A kernel with the model and mechanisms {@code config} names, from the built-in providers. */
    public Kernel(RunConfig config, Simulation sim, Machine machine) {
        this(config, sim, machine, Extensions.builtIn(), List.of());
    }

    /**
     * A kernel whose model and mechanisms come from {@code extensions}, with {@code extra}
     * mechanisms active after the configured ones (built in code: tests, tools).
     */
    public Kernel(RunConfig config, Simulation sim, Machine machine, Extensions extensions,
                  List<KernelMechanism> extra) {
        this.config = config;
        this.machine = machine;
        this.memory = machine.memory();
        KernelConfig kconfig = config.kernel();
        CostsConfig costs = config.machine().costs();
        this.stats = new KernelStats(sim.stats(), costs);
        sim.stats().counter("asid.rollovers", "rollovers", "ASID generations exhausted (every TLB flushed)",
                () -> model().asidRollovers());
        sim.stats().derived("forkMeanCycles", "cycles", "mean fork latency",
                sum -> sum.histograms().get("fork.latency").count() == 0 ? Double.NaN
                        : sum.histograms().get("fork.latency").mean());
        RadixPageTable radix = machine.pageTable();
        this.kernelBase = radix.levels() == 5 ? KERNEL_BASE_5 : KERNEL_BASE_4;
        this.text = new KernelText(kernelBase, kconfig.textPages(), kconfig.refsPerEntry(),
                sim.streams().get("kernel.text"));
        this.scheduler = new Scheduler(sim, machine, kconfig, costs, stats);
        this.audit = kconfig.audit() ? new Audit(this) : null;
        this.tables = new PageTables(memory, radix, stats, kernelBase, kconfig.textPages());
        this.model = extensions.model(config.model().name(), config);
        List<KernelMechanism> active = new ArrayList<>();
        for (String s : kconfig.mechanisms().keySet()) {
            if (!extensions.switchNames().contains(s)) {
                throw new InputError("kernel." + s + ": no kernel mechanism provides this switch (known: "
                        + String.join(", ", extensions.switchNames()) + ")");
            }
        }
        for (String s : extensions.switchNames()) {
            KernelMechanism m = extensions.mechanism(s, kconfig.mechanism(s).mode(), config);
            if (m != null) {
                active.add(m);
            }
        }
        active.addAll(extra);
        this.mechanisms = new Mechanisms(active);
        this.shootdowns = new Shootdowns(scheduler, machine.interconnect(), model);
        this.memorySyscalls = new MemorySyscalls(memory, tables, model, mechanisms, shootdowns);
        this.processSyscalls = new ProcessSyscalls(costs, model, mechanisms, scheduler, shootdowns, memorySyscalls,
                stats);
        this.faults = new Faults(costs, memory, tables, model, stats, text, shootdowns);
        faults.attach(processSyscalls, audit);
        memorySyscalls.register(syscallTable);
        processSyscalls.register(syscallTable);
        mechanisms.register(syscallTable);
        syscallTable.checkComplete();
        scheduler.attach(model, mechanisms, audit, new Scheduler.Entry() {
            @Override
            public void syscall(Scheduler.CpuLoop r, Task t, Op op) {
                Kernel.this.syscall(r, t, op);
            }

            @Override
            public void fault(Scheduler.CpuLoop r, Task t, int code) {
                faults.fault(r, t, code);
            }
        });
        KernelServices services = new KernelServices(this, sim);
        model.boot(services);
        mechanisms.boot(services, tables);
    }

    private void syscall(Scheduler.CpuLoop r, Task t, Op op) {
        Cpu cpu = r.cpu;
        stats.syscalls.increment();
        r.syscallStart = cpu.clock();
        text.enter(cpu, CycleCategory.SYSCALL, config.machine().costs().syscallCycles());
        syscallTable.dispatch(r, t, op);
        if (audit != null && !r.stalled) {
            audit.afterOperation(op.getClass().getSimpleName() + " by " + t);
        }
    }

    // ------------------------------------------------------------------ parts, for the services and the audit

    Scheduler scheduler() {
        return scheduler;
    }

    Shootdowns shootdowns() {
        return shootdowns;
    }

    MemorySyscalls memorySyscalls() {
        return memorySyscalls;
    }

    ProcessSyscalls processSyscalls() {
        return processSyscalls;
    }

    KernelStats stats() {
        return stats;
    }

    SyscallTable syscallTable() {
        return syscallTable;
    }

    // ------------------------------------------------------------------ what workloads and tools see

    public RunConfig config() {
        return config;
    }

    public CostsConfig costs() {
        return config.machine().costs();
    }

    public Machine machine() {
        return machine;
    }

    public PhysicalMemory memory() {
        return memory;
    }

    /** The page-table part: the one writer of entries, where observers are added. */
    public PageTables pageTables() {
        return tables;
    }

    public ProtectionModel model() {
        return model;
    }

    /** The active kernel mechanisms, in the order they are called. */
    public List<KernelMechanism> mechanisms() {
        return mechanisms.list();
    }

    public long kernelBase() {
        return kernelBase;
    }

    public int liveProcesses() {
        return processSyscalls.liveProcesses();
    }

    public Iterable<Process> processes() {
        return processSyscalls.processes();
    }

    public Process process(int pid) {
        return processSyscalls.process(pid);
    }

    /** The address space whose context CPU {@code cpu} holds (lazily, also while idle); null if none. */
    public Mm loaded(int cpu) {
        return scheduler.loop(cpu).loaded;
    }

    public Task current(int cpu) {
        return scheduler.loop(cpu).current;
    }

    /** The hardware address of process address {@code va} in {@code mm}. */
    public static long hw(Mm mm, long va) {
        return mm.hw(va);
    }

    /** The leaf translation of {@code va} in {@code mm} (0 if none). */
    public long lookup(Mm mm, long va) {
        return tables.lookup(mm, va);
    }

    public MemObject newObject(String name, long pages, boolean library) {
        return new MemObject(nextObjectId++, name, pages, library);
    }

    public Image newImage(String name, long textPages, long dataPages, long stackPages) {
        return Image.standard(newObject(name, textPages, false), dataPages, stackPages);
    }

    /** Creates a process running {@code image} as {@code program} (an initial process of the workload). */
    public Process spawn(Image image, TaskProgram program) {
        return processSyscalls.spawn(image, program);
    }

    public int exitStatusOf(Process p) {
        return p.exitStatus;
    }

    /** Fails the run with a clear message when a workload asks for something the model cannot do. */
    public static InputError unsupported(String what) {
        return new InputError(what);
    }
}
