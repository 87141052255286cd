package org.protsim.os.mechanism.ukva;

import org.protsim.core.InputError;
import org.protsim.core.config.ModelName;
import org.protsim.core.config.UkvaConfig;
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
    private int nextTaskArea;
    private RingIo io;         // submissions and completions
    private TaskRoots roots;   // per-task's own top-level tables
    private boolean statsRegistered;

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
        this.io = new RingIo(config, s, rings);
        this.roots = new TaskRoots(s, rings);
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

    @Override
    public Set<Class<? extends Op.MechanismOp>> ops() {
        return Set.of(AioOps.Setup.class, AioOps.Submit.class, AioOps.Reap.class, AioOps.Destroy.class);
    }

    /** The live context {@code id} (for its program), or null. */
    public Ring ring(long id) {
        for (int i = 0; i < rings.size(); i++) { // indexed: an iterator per system call would be garbage
            Ring r = rings.get(i);
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

    /** At the first setup, so that runs without asynchronous I/O show none of its counters. */
    private void registerStats() {
        if (statsRegistered) {
            return;
        }
        statsRegistered = true;
        Stats st = services.stats();
        io.registerStats(st);
        roots.registerStats(st);
        services.disk().setHandler(io::completedOnDevice);
    }

    @Override
    public void syscall(Cpu cpu, Task task, Op.MechanismOp op) {
        if (op instanceof AioOps.Setup s) {
            setup(cpu, task, s.entries());
        } else if (op instanceof AioOps.Submit s) {
            io.submit(cpu, task, live(task, s.ctx(), "submit"), s.count());
        } else if (op instanceof AioOps.Reap r) {
            io.reap(cpu, task, live(task, r.ctx(), "reap"), r.min(), r.max());
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
            area = roots.taskAreaBase() + (long) nextTaskArea++ * AREA_STRIDE - mm.vaBase;
        } else {
            area = nextArea;
            nextArea += AREA_STRIDE;
        }
        Ring r = new Ring(io, rings.size(), area, mm, perTask() ? task : null, ringMode(), area, entries);
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
            roots.installArea(cpu, task, r);
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
            roots.clearArea(cpu, task, r);
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
        r.release(services.memory());
    }

    @Override
    public void mmDestroyed(Mm mm) {
        roots.mmDestroyed(mm);
        for (Ring r : rings) {
            if (r.mm == mm && !r.dead) {
                r.dead = true;
                release(r); // the page tables' references went with the address space
            }
        }
    }

    // ------------------------------------------------------------------ per-task top levels

    // ------------------------------------------------------------------ per-task top levels: TaskRoots

    @Override
    public void taskExited(Task task) {
        roots.taskExited(task);
    }

    /**
     * Under per-task: a switch between two tasks of one mm writes the root ({@code TaskRoots.taskSwitched}).
     */
    @Override
    public void taskSwitched(Cpu cpu, Task previous, Task next) {
        if (perTask()) {
            roots.taskSwitched(cpu, previous, next);
        }
    }

    /** Keeps every task root equal to its mm's in the slots it copies. */
    @Override
    public void pteChanged(Mm mm, long va, long oldPte, long newPte, org.protsim.os.PteChange change) {
        roots.pteChanged(mm, va);
    }

    @Override
    public void vmaUnmapped(Mm mm, Vma vma) {
        roots.vmaUnmapped(mm); // an unmap may free upper tables: every task root copies the slots again
    }

}
