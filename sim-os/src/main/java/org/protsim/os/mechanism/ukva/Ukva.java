package org.protsim.os.mechanism.ukva;

import org.protsim.core.Event;
import org.protsim.core.InputError;
import org.protsim.core.Priority;
import org.protsim.core.config.ModelName;
import org.protsim.core.config.UkvaConfig;
import org.protsim.core.stats.Counter;
import org.protsim.core.stats.LatencyRecorder;
import org.protsim.core.stats.Stats;
import org.protsim.hw.Cpu;
import org.protsim.hw.CycleCategory;
import org.protsim.hw.PhysicalMemory;
import org.protsim.hw.Pte;
import org.protsim.os.KernelMechanism;
import org.protsim.os.MechanismServices;
import org.protsim.os.Mm;
import org.protsim.os.Op;
import org.protsim.os.Task;
import org.protsim.os.Vma;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code kernel.ukva}: asynchronous I/O over the machine's block device, with completions
 * reaching the process one of the ways the 2002 aio-core thread argues about (docs/sources.md
 * [003]).
 *
 * <ul>
 * <li>{@code none}: Linux's classic aio system calls. {@code io_submit} copies a 64-byte
 * {@code struct iocb} and its 8-byte pointer in per I/O; {@code io_getevents} copies a 32-byte
 * {@code struct io_event} out per completion. The kernel's event queue is kernel memory only.
 * <li>{@code per-mm}: Linus Torvalds' "per-MM UKVA", as Linux's aio ring and io_uring build it:
 * the rings are real pages mapped in the address space and reached by the kernel through its
 * direct map. The completion handler writes an entry and advances the tail with a locked update
 * on the CPU that took the interrupt; the program reads them with its own references on its CPU,
 * so the lines move between the two CPUs' caches (coherence misses). Submissions are written to
 * the submission ring and announced by one system call per batch, or by none when a kernel
 * thread polls ({@code sqPoll}, io_uring's SQPOLL). Tearing the area down unmaps it, which
 * shoots down every CPU the model says runs the mm. Setting it up maps fresh pages over nothing,
 * which leaves no stale translation anywhere, so it needs no shootdown.
 * </ul>
 *
 * <p>Counters are registered at the first {@code Setup}, so runs without asynchronous I/O show
 * none of them. {@code none} is active in every kernel (the kernel adds it itself: mode none of
 * a switch has no provider), because the classic calls exist whatever the switch says.
 */
public final class Ukva implements KernelMechanism {
    public static final int IOCB_BYTES = 64;
    public static final int IOCB_POINTER_BYTES = 8;
    public static final int EVENT_BYTES = 32;
    public static final int CQE_BYTES = 32;
    public static final int SQE_BYTES = 64;
    /** Areas are placed from here up, one per context, 2 MiB apart (below mmap's top-down start). */
    public static final long AREA_BASE = 0x7e00_0000_0000L;
    static final long AREA_STRIDE = 2L << 20;

    private final UkvaConfig config;
    private MechanismServices services;
    private final List<Ring> rings = new ArrayList<>();
    private long nextArea = AREA_BASE;
    private Counter submitted;
    private Counter completed;
    private Counter syscalls;
    private Counter bytesCopied;
    private Counter ringUpdates;
    private LatencyRecorder completionLatency;
    private LatencyRecorder submitLatency;
    private Counter rootSwitches;
    private Counter taskTablePages;
    private final List<TaskRoot> taskRoots = new ArrayList<>();
    private int nextTaskArea;
    /** Per CPU: the task whose per-task area entries its TLB may hold, and the tag they were filled under. */
    private Task[] areaTaskOn;
    private int[] areaAsidOn;
    private long[] areaSharedOn;
    private long firstSubmit = -1;
    private long lastCompletion;

    public Ukva(UkvaConfig config) {
        this.config = config;
    }

    public UkvaConfig config() {
        return config;
    }

    private boolean ringMode() {
        return !config.off();
    }

    @Override
    public String name() {
        return "ukva/" + config.mode();
    }

    @Override
    public void boot(MechanismServices s) {
        this.services = s;
        this.areaTaskOn = new Task[s.cpuCount()];
        this.areaAsidOn = new int[s.cpuCount()];
        this.areaSharedOn = new long[s.cpuCount()];
        if (perTask() && ModelName.SASOS.json().equals(s.config().model().name())) {
            // one global table for every space, protected by the PLB: a root per task would copy that table per
            // task and need a PLB domain per task for the area, undoing what the single address space is for
            throw new InputError("kernel.ukva.mode: per-task needs a page table per process, and model.name sasos"
                    + " has one global table (use per-mm)");
        }
    }

    private boolean perTask() {
        return config.mode().equals(UkvaConfig.PER_TASK);
    }

    private boolean conventional() {
        return ModelName.CONVENTIONAL.json().equals(services.config().model().name());
    }

    @Override
    public Set<Class<? extends Op.MechanismOp>> ops() {
        return Set.of(AioOps.Setup.class, AioOps.Submit.class, AioOps.Reap.class, AioOps.Destroy.class);
    }

    long now() {
        return services.now();
    }

    /** The live context {@code id} (for its program), or null. */
    public Ring ring(long id) {
        for (Ring r : rings) {
            if (r.id == id && !r.dead) {
                return r;
            }
        }
        return null;
    }

    private Ring live(Task task, long id, String call) {
        Ring r = ring(id);
        if (r == null || r.mm != task.process().mm() || (r.task != null && r.task != task)) {
            throw new InputError(task + " called " + call + " on aio context 0x" + Long.toHexString(id)
                    + ", which it has not set up (or destroyed)");
        }
        return r;
    }

    private void registerStats() {
        if (submitted != null) {
            return;
        }
        Stats st = services.stats();
        submitted = st.counter("aio.submitted", "I/Os", "asynchronous I/Os handed to the kernel");
        completed = st.counter("aio.completed", "I/Os", "completions the program has (read from the ring or returned)");
        syscalls = st.counter("aio.syscalls", "calls", "submit and reap system calls (io_submit, io_getevents, io_uring_enter)");
        bytesCopied = st.counter("aio.bytesCopied", "bytes", "bytes of requests and events copied between user and kernel");
        ringUpdates = st.counter("ukva.ringUpdates", "updates",
                "ring index updates (submission and completion heads and tails), by the kernel or the program");
        completionLatency = st.histogram("aio.completion.latency", "cycles",
                "device completion to the program having the event");
        submitLatency = st.histogram("aio.submit.latency", "cycles",
                "the program starting to submit to the request reaching the device");
        st.counter("aio.spanCycles", "cycles", "first submission to last completion", () -> lastCompletion
                - Math.max(0, firstSubmit));
        st.derived("aio.syscallsPerIo", "calls/I/O", "aio.syscalls over aio.completed",
                sum -> sum.counter("aio.completed") == 0 ? Double.NaN
                        : (double) sum.counter("aio.syscalls") / sum.counter("aio.completed"));
        double cyclesPerSecond = services.config().machine().cyclesPerNs() * 1e9;
        st.derived("aio.iops", "I/Os/s", "completions per simulated second, first submission to last completion",
                sum -> sum.counter("aio.spanCycles") == 0 ? Double.NaN
                        : sum.counter("aio.completed") * cyclesPerSecond / sum.counter("aio.spanCycles"));
        rootSwitches = st.counter("ukva.rootSwitches", "switches",
                "switches between two tasks of one mm that wrote the root (per-task top levels)");
        taskTablePages = st.counter("ukva.taskTablePages", "pages",
                "page-table pages made for per-task top levels: the copied root and the tables of the task's area");
        services.disk().setHandler(this::completedOnDevice);
    }

    @Override
    public void syscall(Cpu cpu, Task task, Op.MechanismOp op) {
        if (op instanceof AioOps.Setup s) {
            setup(cpu, task, s.entries());
        } else if (op instanceof AioOps.Submit s) {
            submit(cpu, task, live(task, s.ctx(), "submit"), s.count());
        } else if (op instanceof AioOps.Reap r) {
            reap(cpu, task, live(task, r.ctx(), "reap"), r.min(), r.max());
        } else if (op instanceof AioOps.Destroy d) {
            destroy(cpu, task, live(task, d.ctx(), "destroy"));
        } else {
            KernelMechanism.super.syscall(cpu, task, op);
        }
    }

    // ------------------------------------------------------------------ setup and teardown

    private void setup(Cpu cpu, Task task, int asked) {
        registerStats();
        if (asked <= 0) {
            throw new InputError(task + ": aio setup of " + asked + " entries (must be positive)");
        }
        int entries = Math.max(asked, config.ringEntries());
        Mm mm = task.process().mm();
        long area;
        if (perTask()) {
            // in the top-level slot of the task's own root; distinct offsets keep context ids unique
            area = taskAreaBase() + (long) nextTaskArea++ * AREA_STRIDE - mm.vaBase;
        } else {
            area = nextArea;
            nextArea += AREA_STRIDE;
        }
        Ring r = new Ring(this, rings.size(), area, mm, perTask() ? task : null, ringMode(), area, entries);
        if ((long) r.frames.length * 4096 > AREA_STRIDE) {
            throw new InputError(task + ": aio setup of " + asked + " entries needs more than 2 MiB of ring");
        }
        PhysicalMemory mem = services.memory();
        for (int i = 0; i < r.frames.length; i++) {
            r.frames[i] = mem.allocate(PhysicalMemory.DATA, ringMode() ? mm.id() : 0);
        }
        // the kernel zeroes the ring pages (io_uring allocates them zeroed)
        services.charge(cpu, CycleCategory.COPY, (long) r.frames.length * services.costs().pageZeroCycles());
        if (perTask()) {
            TaskRoot tr = rootOf(task);
            if (tr == null) {
                tr = newTaskRoot(cpu, task);
            }
            for (int i = 0; i < r.frames.length; i++) {
                services.memory().retain(r.frames[i]);
                taskTablePages.add(services.pageTables().installUnder(cpu, mm, tr.root, mm.hw(r.userBase + i * 4096L),
                        Pte.of(r.frames[i], Pte.USER | Pte.WRITABLE | Pte.NO_EXECUTE)));
            }
            services.addResident(mm, r.frames.length);
        } else if (ringMode()) {
            Vma v = services.newVma(area, area + r.frames.length * 4096L, Vma.READ | Vma.WRITE,
                    Vma.SHARED | Vma.ANONYMOUS | Vma.FIXED);
            services.map(mm, v, this);
            for (int i = 0; i < r.frames.length; i++) {
                installPage(cpu, r, i);
            }
            services.addResident(mm, r.frames.length);
        }
        rings.add(r);
        services.complete(task, r.id);
    }

    private void installPage(Cpu cpu, Ring r, int page) {
        services.memory().retain(r.frames[page]); // the ring keeps its reference; the page table holds another
        services.pageTables().install(cpu, r.mm, r.userBase + page * 4096L,
                Pte.of(r.frames[page], Pte.USER | Pte.WRITABLE | Pte.NO_EXECUTE));
    }

    @Override
    public boolean fault(Cpu cpu, Task task, Mm mm, Vma vma, long va, int access) {
        for (Ring r : rings) {
            if (r.mm == mm && !r.dead && va >= r.userBase && va < r.userBase + r.bytes()) {
                installPage(cpu, r, (int) ((va - r.userBase) >>> 12));
                return true;
            }
        }
        return false;
    }

    private void destroy(Cpu cpu, Task task, Ring r) {
        r.dead = true;
        if (perTask()) {
            // private to the task, which runs here: its entries are cleared and flushed on this CPU only
            clearTaskArea(cpu, rootOf(task), r, true);
            release(r);
            services.complete(task, 0);
        } else if (r.shared) {
            // unmapping the area: the entries are cleared and every CPU running the mm shot down
            services.unmap(cpu, r.mm, r.userBase, r.userBase + r.bytes(), () -> {
                release(r);
                services.complete(task, 0);
            });
        } else {
            release(r);
            services.complete(task, 0);
        }
    }

    private void release(Ring r) {
        for (int f : r.frames) {
            if (f != 0) {
                services.memory().release(f);
            }
        }
        java.util.Arrays.fill(r.frames, 0);
    }

    @Override
    public void mmDestroyed(Mm mm) {
        for (int i = taskRoots.size() - 1; i >= 0; i--) {
            if (taskRoots.get(i).mm == mm) {
                dropTaskRoot(taskRoots.get(i));
            }
        }
        for (Ring r : rings) {
            if (r.mm == mm && !r.dead) {
                r.dead = true;
                release(r); // the page tables' references went with the address space
            }
        }
    }

    // ------------------------------------------------------------------ per-task top levels

    /**
     * A task's own top-level table (Martin Bligh's proposal, docs/sources.md [003]): a copy of its
     * mm's root, kept equal to it in every slot but the one holding the task's areas.
     */
    private static final class TaskRoot {
        final Task task;
        final Mm mm;
        final long baseRoot;
        final long root;

        TaskRoot(Task task, Mm mm, long baseRoot, long root) {
            this.task = task;
            this.mm = mm;
            this.baseRoot = baseRoot;
            this.root = root;
        }
    }

    /** The hardware address of the top-level slot for per-task areas: the last one (the top of the kernel half). */
    private long taskAreaBase() {
        return services.pageTables().levels() == 5 ? 0xffff_0000_0000_0000L : 0xffff_ff80_0000_0000L;
    }

    private int topSlot(long hva) {
        int levels = services.pageTables().levels();
        return (int) ((hva >>> (12 + 9 * (levels - 1))) & 511);
    }

    private TaskRoot rootOf(Task t) {
        for (TaskRoot tr : taskRoots) {
            if (tr.task == t) {
                return tr;
            }
        }
        return null;
    }

    private TaskRoot newTaskRoot(Cpu cpu, Task task) {
        Mm mm = task.process().mm();
        PhysicalMemory mem = services.memory();
        long root = services.pageTables().newRoot(mm.id());
        int areaSlot = topSlot(taskAreaBase());
        for (int i = 0; i < PhysicalMemory.ENTRIES_PER_TABLE; i++) {
            if (i != areaSlot) {
                mem.writePte(root, i, mem.readPte(mm.root, i));
            }
        }
        taskTablePages.increment();
        TaskRoot tr = new TaskRoot(task, mm, mm.root, root);
        taskRoots.add(tr);
        // the task runs here now: load its root (a CR3 write; without PCIDs it flushes)
        services.charge(cpu, CycleCategory.SWITCH, services.costs().rootSwitchCycles());
        if (conventional()) {
            cpu.flushNonGlobal();
        }
        loadTaskRoot(cpu, tr);
        return tr;
    }

    private void loadTaskRoot(Cpu cpu, TaskRoot tr) {
        cpu.context().root = tr.root;
        areaTaskOn[cpu.id()] = tr.task;
        areaAsidOn[cpu.id()] = cpu.context().asid;
        areaSharedOn[cpu.id()] = cpu.context().sharedSpaces;
    }

    /** Clears {@code r}'s entries under the task's root; {@code flushHere}: flushes them on {@code cpu}. */
    private void clearTaskArea(Cpu cpu, TaskRoot tr, Ring r, boolean flushHere) {
        for (int i = 0; i < r.frames.length; i++) {
            long va = r.userBase + i * 4096L;
            services.pageTables().installUnder(cpu, r.mm, tr.root, r.mm.hw(va), 0);
            services.memory().release(r.frames[i]); // the page table's reference
            if (flushHere) {
                cpu.flushPage(va);
            }
        }
    }

    /** Flushes on {@code cpu} the areas of {@code task}, filled under the tag recorded when it came. */
    private void flushAreasOf(Cpu cpu, Task task) {
        for (Ring r : rings) {
            if (r.task == task && !r.dead) {
                for (int i = 0; i < r.frames.length; i++) {
                    cpu.flushPage(r.mm.hw(r.userBase + i * 4096L), areaAsidOn[cpu.id()], areaSharedOn[cpu.id()]);
                }
            }
        }
    }

    private void dropTaskRoot(TaskRoot tr) {
        for (Ring r : rings) {
            if (r.task == tr.task && !r.dead) {
                clearTaskArea(null, tr, r, false);
                r.dead = true;
                release(r);
            }
        }
        for (int c = 0; c < services.cpuCount(); c++) {
            Cpu cpu = services.cpu(c);
            if (areaTaskOn[c] == tr.task) {
                areaTaskOn[c] = null;
            }
            if (cpu.context().root == tr.root) {
                cpu.context().root = tr.baseRoot; // what the model loaded for the mm (its entries were flushed with the areas)
            }
        }
        PhysicalMemory mem = services.memory();
        int areaSlot = topSlot(taskAreaBase());
        for (int i = 0; i < PhysicalMemory.ENTRIES_PER_TABLE; i++) {
            if (i != areaSlot) {
                mem.writePte(tr.root, i, 0); // the mm's subtrees are the mm's, not the task's
            }
        }
        services.pageTables().freeRoot(tr.root);
        taskRoots.remove(tr);
    }

    @Override
    public void taskExited(Task task) {
        TaskRoot tr = rootOf(task);
        if (tr != null) {
            for (int c = 0; c < services.cpuCount(); c++) {
                if (areaTaskOn[c] == task) {
                    flushAreasOf(services.cpu(c), task);
                }
            }
            dropTaskRoot(tr);
        }
    }

    /**
     * Under per-task: a switch between two tasks of one mm writes the root (one of them has its
     * own), which under conventional flushes every non-global entry. Under the tagged models the
     * root is written with the mm's tag kept (PCID's no-flush bit) and only the leaving task's area
     * pages are invalidated (INVLPG/INVPCID), so a task costs no ASID slot of its own: Linux keeps 6
     * per CPU, and a tag per task would spend them on threads of one process while the area is a
     * few pages. Leaving for another mm, the tagged models keep the mm's entries, so the area pages
     * are invalidated then too.
     */
    @Override
    public void taskSwitched(Cpu cpu, Task previous, Task next) {
        if (!perTask() || taskRoots.isEmpty()) {
            return;
        }
        int c = cpu.id();
        Task had = areaTaskOn[c];
        boolean sameMm = previous != null && previous != next && previous.process().mm() == next.process().mm();
        TaskRoot ntr = rootOf(next);
        if (had != null && had != next) {
            if (!conventional()) {
                flushAreasOf(cpu, had); // (conventional: the root write below, or the model's, flushed them)
            }
            areaTaskOn[c] = null;
        }
        if (sameMm && (ntr != null || rootOf(previous) != null)) {
            rootSwitches.increment();
            services.charge(cpu, CycleCategory.SWITCH, services.costs().rootSwitchCycles());
            if (conventional()) {
                cpu.flushNonGlobal();
            }
        }
        if (ntr != null) {
            loadTaskRoot(cpu, ntr); // in place of the mm's root the model loaded
        }
    }

    /** Keeps every task root equal to its mm's in the slots it copies. */
    @Override
    public void pteChanged(Mm mm, long va, long oldPte, long newPte, org.protsim.os.PteChange change) {
        if (taskRoots.isEmpty()) {
            return;
        }
        int slot = topSlot(mm.hw(va));
        if (slot == topSlot(taskAreaBase())) {
            return;
        }
        PhysicalMemory mem = services.memory();
        for (TaskRoot tr : taskRoots) {
            if (tr.baseRoot == mm.root) {
                long e = mem.readPte(mm.root, slot);
                if (mem.readPte(tr.root, slot) != e) {
                    mem.writePte(tr.root, slot, e);
                }
            }
        }
    }

    @Override
    public void vmaUnmapped(Mm mm, Vma vma) {
        // an unmap may free upper tables: copy every slot again
        PhysicalMemory mem = services.memory();
        int areaSlot = taskRoots.isEmpty() ? -1 : topSlot(taskAreaBase());
        for (TaskRoot tr : taskRoots) {
            if (tr.baseRoot == mm.root) {
                for (int i = 0; i < PhysicalMemory.ENTRIES_PER_TABLE; i++) {
                    if (i != areaSlot) {
                        mem.writePte(tr.root, i, mem.readPte(mm.root, i));
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------ submission

    private long pa(Ring r, int offset) {
        return ((long) r.frames[offset >>> 12] << 12) | (offset & 4095);
    }

    private void submit(Cpu cpu, Task task, Ring r, int count) {
        syscalls.increment();
        if (count < 0 || r.inFlight + count > r.entries) {
            throw new InputError(task + " submitted " + count + " I/Os to " + r + " with " + r.inFlight
                    + " in flight: more than its " + r.entries + " entries");
        }
        if (r.shared) {
            if (config.sqPoll()) {
                // io_uring_enter is still allowed under SQPOLL (to wake the thread); the poller does the work
                services.complete(task, count);
                post(r, count);
                return;
            }
            ringUpdates.increment(); // the program's store of the submission tail
            takeSubmissions(cpu, r, count);
        } else {
            long bytes = (long) count * (IOCB_BYTES + IOCB_POINTER_BYTES);
            copy(cpu, bytes);
            toDevice(cpu, r, count);
        }
        services.complete(task, count);
    }

    /** The kernel reads the tail, then {@code count} entries, from the submission ring, and advances the head. */
    private void takeSubmissions(Cpu cpu, Ring r, int count) {
        cpu.referencePhysical(pa(r, Ring.SQ_TAIL), Cpu.READ);
        for (int i = 0; i < count; i++) {
            int slot = (r.sqNext + i) % r.entries;
            cpu.referencePhysical(pa(r, r.sqOffset + slot * SQE_BYTES), Cpu.READ);
        }
        r.sqNext = (r.sqNext + count) % r.entries;
        cpu.referencePhysical(pa(r, Ring.SQ_HEAD), Cpu.WRITE);
        ringUpdates.increment();
        toDevice(cpu, r, count);
    }

    private void toDevice(Cpu cpu, Ring r, int count) {
        long at = Math.max(cpu.clock(), services.now());
        if (firstSubmit < 0) {
            firstSubmit = at;
        }
        if (r.submitStart >= 0) {
            submitLatency.record(Math.max(0, at - r.submitStart));
            r.submitStart = -1;
        }
        for (int i = 0; i < count; i++) {
            services.disk().submit(cpu, r.index);
        }
        r.inFlight += count;
        submitted.add(count);
    }

    /** The program posted {@code n} entries (the tail written): the polling thread takes them. */
    void post(Ring r, int n) {
        if (!r.shared || !config.sqPoll()) {
            throw new IllegalStateException("post needs a ring with kernel.ukva.sqPoll");
        }
        if (r.inFlight + r.sqPending + n > r.entries) {
            throw new InputError("the program posted " + n + " I/Os to " + r + " with " + (r.inFlight + r.sqPending)
                    + " pending: more than its " + r.entries + " entries");
        }
        ringUpdates.increment(); // the program's store of the submission tail
        r.sqPending += n;
        if (!poller.isScheduled()) {
            services.scheduleAt(poller, services.now());
        }
    }

    /** io_uring's SQ thread, on the last CPU: takes what every ring has posted. */
    private final Event poller = Event.of(Priority.DEVICE, "ukva.sqpoll", this::poll);

    private void poll() {
        Cpu cpu = services.cpu(services.cpuCount() - 1);
        cpu.advanceTo(services.now());
        for (Ring r : rings) {
            if (r.sqPending > 0 && !r.dead) {
                int n = r.sqPending;
                r.sqPending = 0;
                takeSubmissions(cpu, r, n);
            }
        }
    }

    // ------------------------------------------------------------------ completion

    private void completedOnDevice(Cpu cpu, long tag, long submittedAt, long completedAt) {
        Ring r = rings.get((int) tag);
        if (r.dead) {
            return; // the context went away with I/O in flight; nobody reads this event
        }
        r.inFlight--;
        int slot = (r.head + r.ready + r.taken) % r.entries;
        r.doneAt[slot] = completedAt;
        // the event written to the ring (or, under none, the kernel's queue), then the tail advanced atomically
        cpu.referencePhysical(pa(r, r.cqOffset + slot * CQE_BYTES), Cpu.WRITE);
        if (r.shared) {
            cpu.referencePhysical(pa(r, Ring.CQ_TAIL), Cpu.WRITE);
            cpu.charge(CycleCategory.INTERRUPT, config.atomicCycles());
            ringUpdates.increment();
        }
        r.ready++;
        lastCompletion = Math.max(lastCompletion, completedAt);
        if (r.waiter != null && r.ready >= r.waitMin) {
            Task t = r.waiter;
            r.waiter = null;
            deliver(services.cpu(r.waitCpu), t, r, r.waitMax);
            services.wake(t, Math.max(services.now(), cpu.clock()));
        }
    }

    private void reap(Cpu cpu, Task task, Ring r, int min, int max) {
        syscalls.increment();
        if (min < 0 || max < 1 || min > max) {
            throw new InputError(task + ": reap of " + r + " with min " + min + " and max " + max);
        }
        if (min > r.ready + r.inFlight + r.sqPending) {
            throw new InputError(task + " waits for " + min + " completions of " + r + " but only "
                    + (r.ready + r.inFlight + r.sqPending) + " can come");
        }
        if (r.ready >= min) {
            deliver(cpu, task, r, max);
            return;
        }
        r.waiter = task;
        r.waitMin = min;
        r.waitMax = max;
        r.waitCpu = cpu.id();
        services.block(task);
    }

    /**
     * Returns up to {@code max} completions to {@code task}: under none the events are read from the
     * kernel's queue and copied out on {@code cpu} (the one the task waits on), under a ring mode the
     * count only (the program reads the ring).
     */
    private void deliver(Cpu cpu, Task task, Ring r, int max) {
        int k = Math.min(r.ready, max);
        if (!r.shared) {
            for (int i = 0; i < k; i++) {
                int slot = (r.head + r.taken + i) % r.entries;
                cpu.referencePhysical(pa(r, r.cqOffset + slot * CQE_BYTES), Cpu.READ);
            }
            copy(cpu, (long) k * EVENT_BYTES);
            r.ready -= k;
            r.taken += k;
        }
        services.complete(task, k);
    }

    private void copy(Cpu cpu, long bytes) {
        bytesCopied.add(bytes);
        // copy_from_user/copy_to_user at the rate of a page copy (machine.costs.pageCopyCycles per 4 KiB)
        services.charge(cpu, CycleCategory.COPY, (bytes * services.costs().pageCopyCycles() + 4095) / 4096);
    }

    /** The program has the {@code n} oldest completions of {@code r}. */
    void consume(Ring r, int n) {
        int have = r.shared ? r.ready : r.taken;
        if (n < 0 || n > have) {
            throw new IllegalStateException("consume " + n + " of " + r + " with " + have + " there");
        }
        long now = services.now();
        for (int i = 0; i < n; i++) {
            completionLatency.record(Math.max(0, now - r.doneAt[(r.head + i) % r.entries]));
        }
        r.head = (r.head + n) % r.entries;
        if (r.shared) {
            r.ready -= n;
            if (n > 0) {
                ringUpdates.increment(); // the program's store of the completion head
            }
        } else {
            r.taken -= n;
        }
        completed.add(n);
    }
}
