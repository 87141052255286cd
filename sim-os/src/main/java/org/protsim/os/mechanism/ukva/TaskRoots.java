package org.protsim.os.mechanism.ukva;

import org.protsim.core.config.ModelName;
import org.protsim.core.stats.Counter;
import org.protsim.core.stats.Stats;
import org.protsim.hw.Cpu;
import org.protsim.hw.CycleCategory;
import org.protsim.hw.PhysicalMemory;
import org.protsim.hw.Pte;
import org.protsim.os.MechanismServices;
import org.protsim.os.Mm;
import org.protsim.os.Task;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code kernel.ukva per-task}'s top-level tables (Martin Bligh's proposal, docs/sources.md [003]):
 * each task that sets up a context gets a root of its own, a copy of its mm's kept equal to it in
 * every slot but the last, which holds the task's areas. This class makes and drops those roots,
 * loads them at switches and keeps them in step with the mm's; {@link Ukva} decides when.
 */
final class TaskRoots {
    private final MechanismServices services;
    private final List<Ring> rings;
    private final List<TaskRoot> roots = new ArrayList<>();
    /** Per CPU: the task whose per-task area entries its TLB may hold, and the tag they were filled under. */
    private final Task[] areaTaskOn;
    private final int[] areaAsidOn;
    private final long[] areaSharedOn;
    private Counter rootSwitches;
    private Counter taskTablePages;

    TaskRoots(MechanismServices services, List<Ring> rings) {
        this.services = services;
        this.rings = rings;
        this.areaTaskOn = new Task[services.cpuCount()];
        this.areaAsidOn = new int[services.cpuCount()];
        this.areaSharedOn = new long[services.cpuCount()];
    }

    void registerStats(Stats st) {
        rootSwitches = st.counter("ukva.rootSwitches", "switches",
                "switches between two tasks of one mm that wrote the root (per-task top levels)");
        taskTablePages = st.counter("ukva.taskTablePages", "pages",
                "page-table pages made for per-task top levels: the copied root and the tables of the task's area");
    }

    private boolean conventional() {
        return ModelName.CONVENTIONAL.json().equals(services.config().model().name());
    }

    /**
     * A task's own top-level table (Martin Bligh's proposal, docs/sources.md [003]): a copy of its
     * mm's root, kept equal to it in every slot but the one holding the task's areas.
     */
    static final class TaskRoot {
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
    long taskAreaBase() {
        return services.pageTables().levels() == 5 ? 0xffff_0000_0000_0000L : 0xffff_ff80_0000_0000L;
    }

    private int topSlot(long hva) {
        int levels = services.pageTables().levels();
        return (int) ((hva >>> (12 + 9 * (levels - 1))) & 511);
    }

    TaskRoot rootOf(Task t) {
        for (TaskRoot tr : roots) {
            if (tr.task == t) {
                return tr;
            }
        }
        return null;
    }

    /**
     * Maps the pages of {@code r}, a new context of {@code task}, in the task's own root, made now if
     * it has none (the task runs on {@code cpu}).
     */
    void installArea(Cpu cpu, Task task, Ring r) {
        TaskRoot tr = rootOf(task);
        if (tr == null) {
            tr = newTaskRoot(cpu, task);
        }
        Mm mm = task.process().mm();
        for (int i = 0; i < r.frames.length; i++) {
            services.memory().retain(r.frames[i]);
            taskTablePages.add(services.pageTables().installUnder(cpu, mm, tr.root, mm.hw(r.userBase + i * 4096L),
                    Pte.of(r.frames[i], Pte.USER | Pte.WRITABLE | Pte.NO_EXECUTE)));
        }
    }

    /** Clears and flushes on {@code cpu} (where {@code task} runs) the entries of {@code r}, its context. */
    void clearArea(Cpu cpu, Task task, Ring r) {
        clearTaskArea(cpu, rootOf(task), r, true);
    }

    /** {@code mm} is gone: so are the roots of its tasks. */
    void mmDestroyed(Mm mm) {
        for (int i = roots.size() - 1; i >= 0; i--) {
            if (roots.get(i).mm == mm) {
                dropTaskRoot(roots.get(i));
            }
        }
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
        roots.add(tr);
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
        for (int k = 0; k < rings.size(); k++) { // indexed: no iterator per switch
            Ring r = rings.get(k);
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
                r.release(services.memory());
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
        roots.remove(tr);
    }

    /** {@code task} has ended: its areas are flushed where they may be cached, and its root goes. */
    void taskExited(Task task) {
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
    void taskSwitched(Cpu cpu, Task previous, Task next) {
        if (roots.isEmpty()) {
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
    void pteChanged(Mm mm, long va) {
        if (roots.isEmpty()) {
            return;
        }
        int slot = topSlot(mm.hw(va));
        if (slot == topSlot(taskAreaBase())) {
            return;
        }
        PhysicalMemory mem = services.memory();
        for (TaskRoot tr : roots) {
            if (tr.baseRoot == mm.root) {
                long e = mem.readPte(mm.root, slot);
                if (mem.readPte(tr.root, slot) != e) {
                    mem.writePte(tr.root, slot, e);
                }
            }
        }
    }

    /** {@code mm} lost a VMA. */
    void vmaUnmapped(Mm mm) {
        // an unmap may free upper tables: copy every slot again
        PhysicalMemory mem = services.memory();
        int areaSlot = roots.isEmpty() ? -1 : topSlot(taskAreaBase());
        for (TaskRoot tr : roots) {
            if (tr.baseRoot == mm.root) {
                for (int i = 0; i < PhysicalMemory.ENTRIES_PER_TABLE; i++) {
                    if (i != areaSlot) {
                        mem.writePte(tr.root, i, mem.readPte(mm.root, i));
                    }
                }
            }
        }
    }
}
