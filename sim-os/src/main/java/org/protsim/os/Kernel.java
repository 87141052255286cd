package org.protsim.os;

import org.protsim.core.Event;
import org.protsim.core.InputError;
import org.protsim.core.Priority;
import org.protsim.core.Simulation;
import org.protsim.core.config.CostsConfig;
import org.protsim.core.config.KernelConfig;
import org.protsim.core.config.RunConfig;
import org.protsim.core.stats.Counter;
import org.protsim.core.stats.LatencyRecorder;
import org.protsim.core.stats.Stats;
import org.protsim.hw.Cpu;
import org.protsim.hw.CycleCategory;
import org.protsim.hw.Machine;
import org.protsim.hw.PhysicalMemory;
import org.protsim.hw.Pte;
import org.protsim.hw.RadixPageTable;
import org.protsim.os.model.ProtectionModel;
import org.protsim.os.model.Models;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The simulated kernel: processes, tasks, address spaces and VMAs, real radix page tables in
 * simulated frames, per-CPU run queues with a time quantum, and the system calls workloads
 * use (fork, exec, exit, mmap, munmap, mprotect, brk, clone) with demand-zero and
 * copy-on-write faults. How address spaces meet the hardware is the {@link ProtectionModel}'s
 * business; the kernel is the same for every model.
 *
 * <p>Each CPU runs its current task's references in a tight loop for one lookahead window,
 * then yields to the event queue (DESIGN.md section 2). A change to translations other CPUs
 * may cache shoots them down through the interconnect; the initiating CPU waits for the
 * acknowledgements and frees pages only then.
 */
public final class Kernel {
    /** Kernel text lives in the top half: PML4 slot 256 (4-level), PML5 slot 384 (5-level). */
    public static final long KERNEL_BASE_4 = 0xffff_8000_0000_0000L;
    public static final long KERNEL_BASE_5 = 0xff80_0000_0000_0000L;
    /** mmap places mappings top-down from here (below the stack), as Linux's legacy layout does. */
    public static final long MMAP_TOP = 0x7f00_0000_0000L;
    public static final int KERNEL_OWNER = 0;

    private final RunConfig config;
    private final KernelConfig kconfig;
    private final CostsConfig costs;
    private final Simulation sim;
    private final Machine machine;
    private final PhysicalMemory memory;
    private final RadixPageTable tables;
    private final ProtectionModel model;
    private final Runner[] runners;
    private final Audit audit;

    private final TreeMap<Integer, Process> processes = new TreeMap<>();
    private int nextPid = 1;
    private int nextTid = 1;
    private int nextMmId = 1;
    private int nextObjectId = 1;
    private int liveProcesses;

    private final long kernelBase;
    private final int kernelSlot;
    private long kernelSubtree; // the top-level entry every root shares
    private final SplittableRandom kernelRandom;
    final List<long[]> pendingInvalidations = new ArrayList<>(); // {mmId, startHva, endHva}

    // statistics
    private final Counter forks;
    private final Counter threads;
    private final Counter execs;
    private final Counter exits;
    private final Counter contextSwitches;
    private final Counter faultsDemand;
    private final Counter faultsCow;
    private final Counter faultsSegv;
    private final Counter pagesCopied;
    private final Counter pagesZeroed;
    private final Counter syscalls;
    private final Counter faultsStray;
    private final Counter ptesCopied;
    private final Counter vasSwitches;
    private final LatencyRecorder forkLatency;
    private final LatencyRecorder execLatency;
    private final LatencyRecorder switchLatency;
    private long peakProcesses;

    public Kernel(RunConfig config, Simulation sim, Machine machine) {
        this.config = config;
        this.kconfig = config.kernel();
        this.costs = config.machine().costs();
        this.sim = sim;
        this.machine = machine;
        this.memory = machine.memory();
        this.tables = machine.pageTable();
        this.kernelRandom = sim.streams().get("kernel.text");
        Stats s = sim.stats();
        forks = s.counter("forks", "processes", "process creations of every kind (fork, vfork, spawn)");
        threads = s.counter("threads", "threads", "threads created in an existing process");
        execs = s.counter("execs", "execs", "successful execs");
        exits = s.counter("exits", "processes", "processes that ended");
        contextSwitches = s.counter("contextSwitches", "switches", "a CPU switching from one task to another");
        faultsDemand = s.counter("faults.demand", "faults", "faults that mapped a page on first touch");
        faultsCow = s.counter("faults.cow", "faults", "write faults on copy-on-write pages");
        faultsSegv = s.counter("faults.segv", "faults", "faults no mapping allows: the process is killed");
        pagesCopied = s.counter("pages.copied", "pages", "4 KiB pages copied (copy-on-write, sasos fork)");
        pagesZeroed = s.counter("pages.zeroed", "pages", "4 KiB pages zeroed (demand-zero, page tables, file reads)");
        syscalls = s.counter("syscalls", "calls", "system calls made");
        faultsStray = s.counter("faults.stray", "faults",
                "replayed references no mapping allowed (raced with another thread's unmap), dropped");
        ptesCopied = s.counter("ptes.copied", "entries", "page-table entries copied or write-protected at fork");
        vasSwitches = s.counter("vas.switches", "switches", "threads switching between first-class address spaces");
        forkLatency = s.histogram("fork.latency", "cycles", "fork: from the call to its return in the parent");
        execLatency = s.histogram("exec.latency", "cycles", "exec: from the call to the first instruction of the image");
        switchLatency = s.histogram("contextSwitch.latency", "cycles",
                "a context switch: scheduler, root switch and the flushes it causes");
        s.counter("processes.peak", "processes", "most processes alive at once", () -> peakProcesses);
        s.counter("asid.rollovers", "rollovers", "ASID generations exhausted (every TLB flushed)",
                () -> Models.rollovers(model()));
        s.derived("forkMeanCycles", "cycles", "mean fork latency",
                sum -> sum.histograms().get("fork.latency").count() == 0 ? Double.NaN
                        : sum.histograms().get("fork.latency").mean());

        int levels = config.machine().walker().levels();
        this.kernelBase = levels == 5 ? KERNEL_BASE_5 : KERNEL_BASE_4;
        this.kernelSlot = RadixPageTable.index(kernelBase, levels);
        this.runners = new Runner[machine.cpuCount()];
        for (int i = 0; i < runners.length; i++) {
            runners[i] = new Runner(machine.cpu(i));
        }
        this.audit = kconfig.audit() ? new Audit(this) : null;
        bootKernelText();
        this.model = Models.create(config, this);
        model.boot(this);
    }

    /** Maps the kernel's text (global, supervisor-only) into a subtree every address space shares. */
    private void bootKernelText() {
        long template = tables.newRoot(KERNEL_OWNER);
        for (int i = 0; i < kconfig.textPages(); i++) {
            int f = memory.allocate(PhysicalMemory.KERNEL, KERNEL_OWNER);
            tables.map(template, kernelBase + i * 4096L, Pte.of(f, Pte.GLOBAL | Pte.WRITABLE), 1, KERNEL_OWNER, null);
        }
        kernelSubtree = memory.readPte(template, kernelSlot);
    }

    // ------------------------------------------------------------------ accessors

    public RunConfig config() {
        return config;
    }

    public CostsConfig costs() {
        return costs;
    }

    public Simulation simulation() {
        return sim;
    }

    public Machine machine() {
        return machine;
    }

    public PhysicalMemory memory() {
        return memory;
    }

    public RadixPageTable tables() {
        return tables;
    }

    public ProtectionModel model() {
        return model;
    }

    public long kernelBase() {
        return kernelBase;
    }

    public int liveProcesses() {
        return liveProcesses;
    }

    public Iterable<Process> processes() {
        return processes.values();
    }

    public Process process(int pid) {
        return processes.get(pid);
    }

    /** The address space whose context CPU {@code cpu} holds (lazily, also while idle); null if none. */
    public Mm loaded(int cpu) {
        return runners[cpu].loaded;
    }

    public Task current(int cpu) {
        return runners[cpu].current;
    }

    // ------------------------------------------------------------------ address spaces

    /** A new empty address space with a root the model chose. */
    public Mm newMm() {
        Mm mm = new Mm(nextMmId++);
        model.mmCreated(mm);
        return mm;
    }

    /** A new top-level table sharing the kernel's subtree, for models with per-address-space tables. */
    public long newRoot(int owner) {
        long root = tables.newRoot(owner);
        memory.writePte(root, kernelSlot, kernelSubtree);
        return root;
    }

    public int kernelSlot() {
        return kernelSlot;
    }

    /** Frees the tables under {@code root} except the shared kernel subtree. */
    public void freeRoot(long root) {
        memory.writePte(root, kernelSlot, 0);
        tables.freeTables(root);
    }

    public MemObject newObject(String name, long pages, boolean library) {
        return new MemObject(nextObjectId++, name, pages, library);
    }

    public Image newImage(String name, long textPages, long dataPages, long stackPages) {
        return Image.standard(newObject(name, textPages, false), dataPages, stackPages);
    }

    /** Creates a process running {@code image} as {@code program} (an initial process of the workload). */
    public Process spawn(Image image, TaskProgram program) {
        Process p = newProcess(null);
        p.mm = newMm();
        layOut(p.mm, image);
        p.image = image;
        Task t = newTask(p, program);
        enqueue(t, idlestCpu());
        return p;
    }

    private Process newProcess(Process parent) {
        Process p = new Process(nextPid++, parent);
        processes.put(p.pid(), p);
        liveProcesses++;
        peakProcesses = Math.max(peakProcesses, liveProcesses);
        return p;
    }

    private Task newTask(Process p, TaskProgram program) {
        Task t = new Task(nextTid++, p, program);
        p.tasks.add(t);
        return t;
    }

    /** VMAs of a freshly exec'd image: text (file, r-x), data (anonymous rw-), heap (empty brk), stack (rw-). */
    private void layOut(Mm mm, Image image) {
        addVma(mm, new Vma(image.textBase(), image.textEnd(), Vma.READ | Vma.EXEC, Vma.PRIVATE, image.text(), 0));
        if (image.dataPages() > 0) {
            addVma(mm, new Vma(image.dataBase(), image.heapBase(), Vma.READ | Vma.WRITE, Vma.PRIVATE | Vma.ANONYMOUS,
                    null, 0));
        }
        mm.brkStart = image.heapBase();
        mm.brkEnd = image.heapBase();
        addVma(mm, new Vma(image.stackBase(), Image.STACK_TOP, Vma.READ | Vma.WRITE, Vma.PRIVATE | Vma.ANONYMOUS,
                null, 0));
    }

    void addVma(Mm mm, Vma v) {
        mm.vmas.put(v.start, v);
        model.vmaMapped(mm, v);
    }

    // ------------------------------------------------------------------ page tables

    /** The hardware address of process address {@code va} in {@code mm}. */
    public static long hw(Mm mm, long va) {
        return mm.vaBase + va;
    }

    /** The leaf translation of {@code va} in {@code mm} (0 if none). */
    public long lookup(Mm mm, long va) {
        return tables.lookup(mm.root, hw(mm, va));
    }

    /** Installs {@code pte} for page {@code va} of {@code mm}; page-table pages it needs are zeroed and charged. */
    public long install(Cpu cpu, Mm mm, long va, long pte) {
        int[] created = new int[1];
        long old = tables.setRawEntry(mm.root, hw(mm, va), pte, mm.id(), created);
        if (Pte.present(pte)) {
            mm.everMapped = true;
        }
        if (created[0] > 0) {
            chargeZero(cpu, created[0]);
            for (Mm view : mm.views) {
                Models.syncView(this, view, mm, hw(mm, va));
            }
        }
        return old;
    }

    /** Zeroing {@code pages} pages, charged as copy work. */
    public void chargeZero(Cpu cpu, long pages) {
        pagesZeroed.add(pages);
        if (cpu != null) {
            cpu.charge(CycleCategory.COPY, pages * costs.pageZeroCycles());
        }
    }

    public void chargeCopy(Cpu cpu, long pages) {
        pagesCopied.add(pages);
        if (cpu != null) {
            cpu.charge(CycleCategory.COPY, pages * costs.pageCopyCycles());
        }
    }

    public void countPtesCopied(long n) {
        ptesCopied.add(n);
    }

    /** Clears every entry in [start, end) of {@code mm}, collecting the frames to release. */
    private void clearRange(Mm mm, long start, long end, List<Integer> release) {
        tables.clearEntries(mm.root, hw(mm, start), hw(mm, end), (hva, e, level) -> {
            if (Pte.present(e)) {
                release.add((int) Pte.frame(e));
                mm.residentPages--;
            } else if ((e & Pte.COPY_PENDING) != 0) {
                release.add((int) Pte.frame(e));
            }
        });
    }

    private void releaseAll(List<Integer> frames) {
        for (int f : frames) {
            memory.release(f);
        }
    }

    /** Unmaps every page of {@code mm} and frees its address space (exit, exec). */
    private void destroyMm(Mm mm) {
        List<Integer> release = new ArrayList<>();
        for (Vma v : List.copyOf(mm.vmas.values())) {
            clearRange(mm, v.start, v.end, release);
        }
        mm.vmas.clear();
        releaseAll(release);
        forgetSpace(mm);
        model.mmDestroyed(mm);
    }

    /** {@code mm} is dead: no CPU may keep it as its (lazily) loaded context. */
    public void forgetSpace(Mm mm) {
        mm.dead = true;
        for (Runner r : runners) {
            if (r.loaded == mm || r.loaded != null && r.loaded.viewOf == mm) {
                r.loaded = null; // lazily loaded contexts of a dead mm are never reused
            }
        }
    }

    // ------------------------------------------------------------------ scheduling

    private int idlestCpu() {
        int best = 0;
        int bestLoad = Integer.MAX_VALUE;
        for (int i = 0; i < runners.length; i++) {
            int load = runners[i].runqueue.size() + (runners[i].current != null ? 1 : 0);
            if (load < bestLoad) {
                best = i;
                bestLoad = load;
            }
        }
        return best;
    }

    /** Makes {@code t} runnable on CPU {@code cpu}, waking it if idle, no earlier than {@code time}. */
    private void enqueue(Task t, int cpu, long time) {
        t.state = Task.State.RUNNABLE;
        Runner r = runners[cpu];
        r.runqueue.add(t);
        r.wake(time);
    }

    private void enqueue(Task t, int cpu) {
        enqueue(t, cpu, sim.now());
    }

    /** One CPU's scheduler loop: runs the current task for a lookahead window at a time. */
    final class Runner extends Event {
        final Cpu cpu;
        final ArrayDeque<Task> runqueue = new ArrayDeque<>();
        Task current;
        Mm loaded;
        long quantumEnd;
        boolean stalled;
        /** Inside {@link #fire}: a wake-up needs no event, the loop reschedules itself. */
        boolean firing;

        Runner(Cpu cpu) {
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
                        syscall(this, t, op);
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
                    fault(this, t, fault); // the reference at pos runs again once the fault is handled
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
            contextSwitches.increment();
            switchLatency.record(cpu.clock() - before);
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

        private void preempt() {
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

    // ------------------------------------------------------------------ kernel entry

    /** Kernel entry work: the entry cost, and the kernel's own references over its (global) text. */
    private void enter(Cpu cpu, CycleCategory category, long cycles) {
        cpu.charge(category, cycles);
        for (int i = 0; i < kconfig.refsPerEntry(); i++) {
            long va = kernelBase + kernelRandom.nextLong(kconfig.textPages() * 4096L) & ~7L;
            int r = cpu.referenceKernel(va, 8, Cpu.EXECUTE);
            if (r != Cpu.OK) {
                throw new IllegalStateException("kernel text not mapped at 0x" + Long.toHexString(va) + " on " + cpu.id()
                        + " with " + cpu.context());
            }
        }
    }

    void syscall(Runner r, Task t, Op op) {
        Cpu cpu = r.cpu;
        syscalls.increment();
        long start = cpu.clock();
        enter(cpu, CycleCategory.SYSCALL, costs.syscallCycles());
        if (op instanceof Op.Mmap m) {
            mmap(r, t, m);
        } else if (op instanceof Op.Munmap m) {
            unmap(r, t, m.addr(), m.length(), () -> t.program.returned(0));
        } else if (op instanceof Op.Mprotect m) {
            mprotect(r, t, m.addr(), m.length(), m.prot());
        } else if (op instanceof Op.Discard d) {
            discard(r, t, d.addr(), d.length());
        } else if (op instanceof Op.Brk b) {
            brk(r, t, b.end());
        } else if (op instanceof Op.Fork f) {
            fork(r, t, f, start);
        } else if (op instanceof Op.Clone c) {
            Task th = newTask(t.process, c.thread());
            threads.increment();
            enqueue(th, idlestCpu(), cpu.clock());
            t.program.returned(th.tid());
        } else if (op instanceof Op.Exec e) {
            exec(r, t, e, start);
        } else if (op instanceof Op.Exit e) {
            exitTask(r, t, e.status());
        } else if (op instanceof Op.ExitGroup e) {
            exitProcess(r, t.process, e.status());
        } else if (op instanceof Op.Yield) {
            if (!r.runqueue.isEmpty()) {
                r.preempt();
            }
        } else if (op instanceof Op.VasCreate v) {
            t.program.returned(model.vasCreate(cpu, v.base(), v.pages(), v.readOnly()));
        } else if (op instanceof Op.VasAttach v) {
            model.vasAttach(cpu, t.process, v.id());
        } else if (op instanceof Op.VasSwitch v) {
            Mm space = model.vasSwitch(cpu, t, v.id());
            if (space != r.loaded) {
                long before = cpu.clock();
                r.load(t, space);
                vasSwitches.increment();
                switchLatency.record(cpu.clock() - before);
            }
        } else {
            throw new IllegalStateException("unhandled " + op);
        }
        if (audit != null && !r.stalled) {
            audit.afterOperation(op.getClass().getSimpleName() + " by " + t);
        }
    }

    // ------------------------------------------------------------------ faults

    void fault(Runner r, Task t, int code) {
        Cpu cpu = r.cpu;
        long va = cpu.faultAddress();
        int access = cpu.faultAccess();
        enter(cpu, CycleCategory.FAULT, costs.faultCycles());
        Mm mm = model.spaceFor(t, va);
        Vma vma = mm.find(va);
        int need = access == Cpu.WRITE ? Vma.WRITE : access == Cpu.EXECUTE ? Vma.EXEC : Vma.READ;
        if (vma == null || (vma.prot & need) == 0 || code == Cpu.FAULT_DOMAIN) {
            if (t.refs.dropStray && t.refs.position < t.refs.count) {
                t.refs.position++;
                faultsStray.increment();
                return;
            }
            segv(r, t, va, code);
            return;
        }
        long page = va & ~4095L;
        long hva = hw(mm, page);
        long e = tables.rawEntry(mm.root, hva);
        if (Pte.present(e) && allows(e, access)) {
            // spurious: the page table already allows it (another CPU mapped it, or this TLB held an
            // older, narrower translation); drop the cached entry and retry
            cpu.flushPage(hva, cpu.context().asid, cpu.context().sharedSpaces);
        } else if (code == Cpu.FAULT_NOT_PRESENT && !Pte.present(e)) {
            if ((e & Pte.COPY_PENDING) != 0) {
                copyPending(cpu, mm, vma, page, e);
            } else {
                demandFault(cpu, mm, vma, page, access);
            }
            faultsDemand.increment();
        } else if (access == Cpu.WRITE && Pte.present(e) && !Pte.writable(e)) {
            faultsCow.increment();
            breakCow(r, t, mm, vma, page, e);
            return;
        } else {
            segv(r, t, va, code);
            return;
        }
        if (audit != null) {
            audit.afterOperation("fault at 0x" + Long.toHexString(va) + " by " + t);
        }
    }

    /** True if {@code pte} lets a user reference of kind {@code access} through. */
    private static boolean allows(long pte, int access) {
        if ((pte & Pte.USER) == 0) {
            return false;
        }
        if (access == Cpu.WRITE) {
            return Pte.writable(pte);
        }
        return access != Cpu.EXECUTE || (pte & Pte.NO_EXECUTE) == 0;
    }

    /** First touch: a zeroed anonymous page, or the object's page-cache page (read in on its first use). */
    private void demandFault(Cpu cpu, Mm mm, Vma vma, long page, int access) {
        long flags = Pte.USER | ((vma.prot & Vma.EXEC) == 0 ? Pte.NO_EXECUTE : 0) | model.pteBits(mm, vma);
        int frame;
        if (vma.anonymous()) {
            frame = memory.allocate(PhysicalMemory.DATA, mm.id());
            chargeZero(cpu, 1);
            if (vma.writable()) {
                flags |= Pte.WRITABLE;
            }
        } else {
            boolean[] loaded = new boolean[1];
            int cached = vma.object.frameOrLoad(vma.objectPage(page), memory, loaded);
            if (loaded[0]) {
                chargeZero(cpu, 1); // reading the page in: charged as filling one page
            }
            if (!vma.shared() && vma.writable() && access == Cpu.WRITE) {
                // a private write to a file page: copy it at once
                frame = memory.allocate(PhysicalMemory.DATA, mm.id());
                chargeCopy(cpu, 1);
                flags |= Pte.WRITABLE;
            } else {
                frame = cached;
                memory.retain(frame);
                if (vma.shared() && vma.writable()) {
                    flags |= Pte.WRITABLE;
                } else if (vma.writable()) {
                    flags |= Pte.COW; // private file page: shared read-only until written
                }
            }
        }
        install(cpu, mm, page, Pte.of(frame, flags));
        mm.residentPages++;
    }

    /** sasos on-touch fork: the first touch copies the parent's page into this address space. */
    private void copyPending(Cpu cpu, Mm mm, Vma vma, long page, long pending) {
        int source = (int) Pte.frame(pending);
        int frame = memory.allocate(PhysicalMemory.DATA, mm.id());
        chargeCopy(cpu, 1);
        memory.release(source);
        long flags = Pte.USER | Pte.WRITABLE | ((vma.prot & Vma.EXEC) == 0 ? Pte.NO_EXECUTE : 0)
                | model.pteBits(mm, vma);
        install(cpu, mm, page, Pte.of(frame, flags));
        mm.residentPages++;
    }

    /** A write to a present read-only page of a writable private mapping: copy it, or take it if ours alone. */
    private void breakCow(Runner r, Task t, Mm mm, Vma vma, long page, long e) {
        Cpu cpu = r.cpu;
        int old = (int) Pte.frame(e);
        long writable = (e & ~Pte.COW) | Pte.WRITABLE;
        boolean pageCache = vma.object != null && vma.object.frame(vma.objectPage(page)) == old;
        List<Integer> release = new ArrayList<>(1);
        long pte;
        if (!pageCache && memory.refcount(old) == 1) {
            pte = writable; // sole owner left: just make it writable
        } else {
            int copy = memory.allocate(PhysicalMemory.DATA, mm.id());
            chargeCopy(cpu, 1);
            pte = Pte.withFrame(writable, copy);
            release.add(old);
        }
        install(cpu, mm, page, pte);
        invalidate(r, mm, hw(mm, page), 1, () -> {
            releaseAll(release);
            if (audit != null) {
                audit.afterOperation("copy-on-write at 0x" + Long.toHexString(page) + " by " + t);
            }
        });
    }

    private void segv(Runner r, Task t, long va, int code) {
        faultsSegv.increment();
        exitProcess(r, t.process, 128 + 11);
    }

    // ------------------------------------------------------------------ invalidation

    /**
     * After translations of {@code mm} in [hva, hva + pages) changed: flush them here if this
     * CPU runs {@code mm}, shoot down the CPUs the model names, and run {@code after} once
     * every CPU has acknowledged (at once if none had to be asked). The initiating CPU waits.
     */
    void invalidate(Runner r, Mm mm, long hva, long pages, Runnable after) {
        Cpu cpu = r.cpu;
        long targets = model.invalidationTargets(cpu, mm);
        Mm here = runningView(r.loaded, mm);
        if (here != null) {
            model.flushLocal(cpu, here, hva, pages);
        }
        if (targets == 0) {
            after.run();
            return;
        }
        long[] pending = {mm.id(), hva, hva + Math.min(pages, Long.MAX_VALUE / 8192) * 4096};
        pendingInvalidations.add(pending);
        r.stall();
        machine.interconnect().shootdown(cpu, targets, cpu.clock(), target -> {
            Mm there = runningView(runners[target.id()].loaded, mm);
            return model.flushLocal(target, there != null ? there : mm, hva, pages);
        }, done -> {
            pendingInvalidations.remove(pending);
            r.resume(done);
            after.run();
        });
    }

    /** {@code loaded} if it is {@code mm} or a view built over it, else null. */
    private static Mm runningView(Mm loaded, Mm mm) {
        if (loaded == null) {
            return null;
        }
        return loaded == mm || loaded.viewOf == mm || loaded.viewVas == mm ? loaded : null;
    }

    // ------------------------------------------------------------------ memory syscalls

    private void mmap(Runner r, Task t, Op.Mmap m) {
        Mm mm = t.process.mm;
        long length = (m.length() + 4095) & ~4095L;
        if (length <= 0) {
            t.program.returned(-22); // EINVAL
            return;
        }
        boolean fixed = (m.flags() & Vma.FIXED) != 0;
        long addr;
        if (fixed || m.addr() != 0 && isFree(mm, m.addr() & ~4095L, length)) {
            addr = m.addr() & ~4095L;
        } else {
            long placed = m.object() != null ? model.placeObject(mm, m.object(), length) : 0;
            addr = placed != 0 && isFree(mm, placed, length) ? placed : topDown(mm, length);
        }
        Runnable map = () -> {
            addVma(mm, new Vma(addr, addr + length, m.prot(), m.flags() & ~Vma.FIXED, m.object(), m.objectPage()));
            t.program.returned(addr);
        };
        if (fixed && !isFree(mm, addr, length)) {
            unmap(r, t, addr, length, map); // MAP_FIXED replaces what was there
        } else {
            map.run();
        }
    }

    private boolean isFree(Mm mm, long addr, long length) {
        var below = mm.vmas.floorEntry(addr + length - 1);
        return below == null || below.getValue().end <= addr;
    }

    private long topDown(Mm mm, long length) {
        long candidate = MMAP_TOP - length;
        for (Vma v : mm.vmas.descendingMap().values()) {
            if (v.start >= MMAP_TOP) {
                continue;
            }
            if (v.end <= candidate) {
                break;
            }
            candidate = Math.min(candidate, v.start - length);
        }
        return candidate;
    }

    /** Removes [start, end) from {@code mm}'s VMAs (splitting as needed) and clears its entries. */
    private void removeRange(Mm mm, long start, long end, List<Integer> release) {
        for (Vma v : overlapping(mm, start, end)) {
            Vma inside = cut(mm, v, start, end);
            clearRange(mm, inside.start, inside.end, release);
        }
    }

    /**
     * Takes {@code v} out of {@code mm}'s VMAs, puts back its parts outside [start, end), and
     * returns its part inside (not in the map).
     */
    private Vma cut(Mm mm, Vma v, long start, long end) {
        model.vmaChanging(mm, v);
        mm.vmas.remove(v.start);
        if (v.start < start) {
            addVmaRaw(mm, v.slice(v.start, start));
        }
        if (v.end > end) {
            addVmaRaw(mm, v.slice(end, v.end));
        }
        return v.slice(Math.max(v.start, start), Math.min(v.end, end));
    }

    private void addVmaRaw(Mm mm, Vma v) {
        mm.vmas.put(v.start, v);
    }

    private List<Vma> overlapping(Mm mm, long start, long end) {
        List<Vma> out = new ArrayList<>();
        var floor = mm.vmas.floorKey(start);
        long from = floor == null ? start : floor;
        for (Vma v : mm.vmas.subMap(from, true, end, false).values()) {
            if (v.end > start && v.start < end) {
                out.add(v);
            }
        }
        return out;
    }

    private void unmap(Runner r, Task t, long addr, long length, Runnable after) {
        Mm mm = t.process.mm;
        long start = addr & ~4095L;
        long end = (addr + length + 4095) & ~4095L;
        List<Integer> release = new ArrayList<>();
        removeRange(mm, start, end, release);
        invalidate(r, mm, hw(mm, start), (end - start) / 4096, () -> {
            releaseAll(release);
            after.run();
        });
    }

    /** madvise(MADV_DONTNEED): drop the pages (the next touch faults a fresh one in), keep the mapping. */
    private void discard(Runner r, Task t, long addr, long length) {
        Mm mm = t.process.mm;
        long start = addr & ~4095L;
        long end = (addr + length + 4095) & ~4095L;
        List<Integer> release = new ArrayList<>();
        for (Vma v : overlapping(mm, start, end)) {
            clearRange(mm, Math.max(v.start, start), Math.min(v.end, end), release);
        }
        invalidate(r, mm, hw(mm, start), (end - start) / 4096, () -> {
            releaseAll(release);
            t.program.returned(0);
        });
    }

    private void mprotect(Runner r, Task t, long addr, long length, int prot) {
        Mm mm = t.process.mm;
        long start = addr & ~4095L;
        long end = (addr + length + 4095) & ~4095L;
        boolean narrowed = false;
        for (Vma v : overlapping(mm, start, end)) {
            Vma mid = cut(mm, v, start, end);
            if ((v.prot & ~prot) != 0) {
                narrowed = true;
            }
            mid.prot = prot;
            addVmaRaw(mm, mid);
            for (long va = mid.start; va < mid.end; va += 4096) {
                long e = tables.lookup(mm.root, hw(mm, va));
                if (e == 0) {
                    continue;
                }
                long ne = e;
                if ((prot & Vma.WRITE) == 0) {
                    ne &= ~Pte.WRITABLE;
                }
                ne = (prot & Vma.EXEC) == 0 ? ne | Pte.NO_EXECUTE : ne & ~Pte.NO_EXECUTE;
                if ((prot & Vma.READ) == 0 && (prot & Vma.WRITE) == 0 && (prot & Vma.EXEC) == 0) {
                    ne &= ~Pte.USER; // PROT_NONE: kept resident but inaccessible to user references
                } else {
                    ne |= Pte.USER;
                }
                if (ne != e) {
                    tables.update(mm.root, hw(mm, va), ne);
                }
            }
        }
        if (narrowed) {
            invalidate(r, mm, hw(mm, start), (end - start) / 4096, () -> t.program.returned(0));
        } else {
            t.program.returned(0);
        }
    }

    private void brk(Runner r, Task t, long end) {
        Mm mm = t.process.mm;
        if (end == 0 || end < mm.brkStart) {
            t.program.returned(mm.brkEnd);
            return;
        }
        long newEnd = (end + 4095) & ~4095L;
        long oldEnd = (mm.brkEnd + 4095) & ~4095L;
        if (newEnd > oldEnd) {
            if (!isFree(mm, oldEnd, newEnd - oldEnd)) {
                t.program.returned(mm.brkEnd); // would collide: refused, as Linux does
                return;
            }
            Vma heap = mm.find(oldEnd - 1);
            if (heap != null && heap.anonymous() && heap.end == oldEnd && oldEnd > mm.brkStart) {
                heap.end = newEnd;
            } else {
                addVma(mm, new Vma(oldEnd, newEnd, Vma.READ | Vma.WRITE, Vma.PRIVATE | Vma.ANONYMOUS, null, 0));
            }
            mm.brkEnd = end;
            t.program.returned(end);
        } else if (newEnd < oldEnd) {
            mm.brkEnd = end;
            unmap(r, t, newEnd, oldEnd - newEnd, () -> t.program.returned(end));
        } else {
            mm.brkEnd = end;
            t.program.returned(end);
        }
    }

    // ------------------------------------------------------------------ processes

    private void fork(Runner r, Task t, Op.Fork f, long start) {
        Cpu cpu = r.cpu;
        cpu.charge(CycleCategory.SYSCALL, costs.forkCycles());
        Process parent = t.process;
        Process child = newProcess(parent);
        child.image = parent.image;
        forks.increment();
        Task ct = newTask(child, f.child());
        if (f.sharesMm()) {
            // vfork / CLONE_VM: the child borrows the parent's mm until it execs; the parent waits
            child.mm = parent.mm;
            parent.mm.users++;
            child.vforkParent = t;
            t.state = Task.State.BLOCKED;
            r.drop(t);
            enqueue(ct, cpu.id(), cpu.clock());
            t.program.returned(child.pid());
            forkLatency.record(cpu.clock() - start);
            return;
        }
        child.mm = newMm();
        boolean protectedParent = model.fork(cpu, parent, child, f.execsAtOnce());
        Runnable done = () -> {
            forkLatency.record(cpu.clock() - start);
            enqueue(ct, idlestCpu(), cpu.clock());
            t.program.returned(child.pid());
        };
        if (protectedParent) {
            Mm pm = parent.mm;
            invalidate(r, pm, hw(pm, 0), Long.MAX_VALUE / 8192, done);
        } else {
            done.run();
        }
    }

    private void exec(Runner r, Task t, Op.Exec e, long start) {
        Cpu cpu = r.cpu;
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
        layOut(fresh, e.image());
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
        execs.increment();
        execLatency.record(cpu.clock() - start);
    }

    private void wakeVforkParent(Process p, long time) {
        Task parent = p.vforkParent;
        p.vforkParent = null;
        if (parent.state == Task.State.BLOCKED) {
            enqueue(parent, parent.lastCpu >= 0 ? parent.lastCpu : idlestCpu(), time);
        }
    }

    private void exitTask(Runner r, Task t, int status) {
        Process p = t.process;
        if (p.tasks.size() == 1) {
            exitProcess(r, p, status);
            return;
        }
        endTask(t);
    }

    private void endTask(Task t) {
        t.state = Task.State.EXITED;
        t.process.tasks.remove(t);
        for (Runner r : runners) {
            r.drop(t);
        }
    }

    private void exitProcess(Runner r, Process p, int status) {
        if (!p.alive) {
            return;
        }
        for (Task t : List.copyOf(p.tasks)) {
            endTask(t);
        }
        p.alive = false;
        p.exitStatus = status;
        liveProcesses--;
        exits.increment();
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

    public int exitStatusOf(Process p) {
        return p.exitStatus;
    }

    /** Fails the run with a clear message when a workload asks for something the model cannot do. */
    public static InputError unsupported(String what) {
        return new InputError(what);
    }

}
