package org.protsim.os.model;

import org.protsim.core.InputError;
import org.protsim.core.config.ModelConfig;
import org.protsim.hw.Cpu;
import org.protsim.hw.Pte;
import org.protsim.hw.RadixPageTable;
import org.protsim.hw.Tlb;
import org.protsim.os.ModelServices;
import org.protsim.os.Mm;
import org.protsim.os.PteChange;
import org.protsim.os.Process;
import org.protsim.os.Task;
import org.protsim.os.Vma;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * First-class virtual address spaces (SpaceJMP, El Hajj et al., ASPLOS 2016; the 2017 linux-mm
 * RFC, docs/sources.md [001]): address spaces created apart from processes, attached by processes and
 * switched into by their threads. Each has its own page table; a process attaching one gets a
 * view: a root combining the process's own top-level entries with the space's (shared
 * subtrees, so nothing is copied or remapped). Address spaces and views get global ASIDs
 * (arm64-style generations), so switching between them flushes nothing while the ASID is
 * current. A read-only space attached by many processes is tagged once, with a shared-space
 * id, and its entries hit for every process running in it.
 */
final class VasModel extends PerProcessTables {
    /** A first-class address space: its own page table over a top-level-aligned region. */
    static final class Vas {
        final int id;
        final Mm space;
        final boolean readOnly;
        final int sharedTag;
        final List<Mm> views = new ArrayList<>();

        Vas(int id, Mm space, boolean readOnly, int sharedTag) {
            this.id = id;
            this.space = space;
            this.readOnly = readOnly;
            this.sharedTag = sharedTag;
        }
    }

    /**
     * A view (a process's own mappings plus one first-class address space, in one root) is an
     * mm of its own; it knows the two spaces it combines, and each space the views built over it.
     */
    static final class VasContext extends Context {
        final List<Mm> views = new ArrayList<>();
        Mm viewOf;
        Mm viewVas;

        VasContext(int cpus) {
            super(cpus);
        }
    }

    private static VasContext vctx(Mm mm) {
        return (VasContext) mm.modelState();
    }

    private final ModelConfig config;
    private GenerationAsids asids;
    private final TreeMap<Integer, Vas> spaces = new TreeMap<>();
    private int nextSharedTag;
    private int levels;

    VasModel(ModelConfig config) {
        this.config = config;
    }

    @Override
    public void boot(ModelServices k) {
        super.boot(k);
        asids = new GenerationAsids((1 << config.asidBits()) - 1, cpus);
        levels = k.config().machine().walker().levels();
        k.pageTables().addObserver((mm, va, oldPte, newPte, change) -> {
            if (change == PteChange.MAP && !vctx(mm).views.isEmpty()) {
                VasContext c = vctx(mm);
                // a new subtree may have appeared under one of mm's top-level entries: views link it too
                int i = RadixPageTable.index(mm.vaBase + va, levels);
                long top = kernel.memory().readPte(mm.root, i);
                for (Mm view : c.views) {
                    kernel.pageTables().link(view, i, top);
                }
            }
        });
    }

    @Override
    Context newContext() {
        return new VasContext(cpus);
    }

    @Override
    public long invalidationTargets(Cpu initiator, Mm mm) {
        long targets = super.invalidationTargets(initiator, mm);
        for (Mm view : vctx(mm).views) {
            ctx(view).tlbGeneration++;
            targets |= view.cpusRunning;
        }
        return targets & ~(1L << initiator.id());
    }

    @Override
    public boolean runsOver(Mm context, Mm mm) {
        VasContext c = vctx(context);
        return context == mm || c.viewOf == mm || c.viewVas == mm;
    }

    @Override
    public long asidRollovers() {
        return asids.rollovers();
    }

    @Override
    public boolean supportsVas() {
        return true;
    }

    @Override
    public void mmDestroyed(Mm mm) {
        VasContext c = vctx(mm);
        if (c.viewOf != null) {
            // a view shares every subtree: only its own root frame is freed
            kernel.memory().release((int) mm.root);
        } else {
            for (Mm view : List.copyOf(c.views)) {
                destroyView(view);
            }
            kernel.pageTables().freeRoot(mm.root);
        }
        asids.release(mm);
    }

    private void destroyView(Mm view) {
        VasContext c = vctx(view);
        vctx(c.viewOf).views.remove(view);
        vctx(c.viewVas).views.remove(view);
        for (Vas v : spaces.values()) {
            v.views.remove(view);
        }
        kernel.forgetSpace(view);
        mmDestroyed(view);
    }

    @Override
    public void switchTo(Cpu cpu, Mm loaded, Task next, Mm space) {
        if (loaded != space) {
            chargeRootSwitch(cpu);
            scrubVirtualCaches(cpu);
        }
        int asid = asids.asidFor(cpu, space);
        load(cpu, space, asid);
        if (asids.takeFlushPending(cpu)) {
            cpu.flushAll();
            markFlushed(cpu, space);
        } else if (staleOn(cpu, space)) {
            cpu.flushAsid(asid);
            markFlushed(cpu, space);
        }
    }

    @Override
    int asidOf(Cpu cpu, Mm mm) {
        return asids.current(mm) ? ctx(mm).asid : -1;
    }

    @Override
    boolean mayHoldEntries(Cpu cpu, Mm mm) {
        // a shared (read-only) space's entries are tagged with its shared-space id, not the ASID
        return super.mayHoldEntries(cpu, mm) || ctx(mm).sharedSpaces != 0;
    }

    // ---- first-class address spaces ----

    @Override
    public int vasCreate(Cpu cpu, long base, long pages, boolean readOnly) {
        long span = RadixPageTable.span(levels);
        if (base <= 0 || base % span != 0) {
            throw new InputError("VAS at 0x" + Long.toHexString(base) + " must start on a " + (span >> 30)
                    + " GiB boundary (one top-level page-table entry) and not share one with other mappings");
        }
        Mm space = kernel.newMm();
        int tag = readOnly && nextSharedTag < config.sharedSpaces() ? nextSharedTag++ : -1;
        Vma v = kernel.newVma(base, base + pages * 4096, readOnly ? Vma.READ : Vma.READ | Vma.WRITE,
                Vma.PRIVATE | Vma.ANONYMOUS);
        kernel.setSharedSpace(v, tag);
        kernel.addVma(space, v);
        int id = spaces.size() + 1;
        spaces.put(id, new Vas(id, space, readOnly, tag));
        return id;
    }

    private Vas vas(int id) {
        Vas v = spaces.get(id);
        if (v == null) {
            throw new InputError("no first-class address space " + id);
        }
        return v;
    }

    @Override
    public void vasAttach(Cpu cpu, Process process, int id) {
        Vas v = vas(id);
        Mm mm = process.mm();
        for (Mm view : v.views) {
            if (vctx(view).viewOf == mm) {
                return; // attached already
            }
        }
        long[] own = kernel.memory().table(mm.root);
        for (Vma r : v.space.vmas()) {
            for (long va = r.start(); va < r.end(); va += RadixPageTable.span(levels)) {
                if (own[RadixPageTable.index(va, levels)] != 0) {
                    throw new InputError("VAS " + id + " overlaps mappings of process " + process.pid()
                            + " in the top-level entry at 0x" + Long.toHexString(va));
                }
            }
        }
        Mm view = kernel.newMm();
        VasContext vc = vctx(view);
        vc.viewOf = mm;
        vc.viewVas = v.space;
        // the view's root: the process's top-level entries, then the space's over its own region
        int kernelSlot = kernel.pageTables().kernelSlot();
        for (int i = 0; i < own.length; i++) {
            if (i != kernelSlot && own[i] != 0) {
                kernel.pageTables().link(view, i, own[i]);
            }
        }
        long[] vasTop = kernel.memory().table(v.space.root);
        for (Vma r : v.space.vmas()) {
            for (long va = r.start(); va < r.end(); va += RadixPageTable.span(levels)) {
                int i = RadixPageTable.index(va, levels);
                kernel.pageTables().link(view, i, vasTop[i]);
            }
        }
        vc.sharedSpaces = ctx(mm).sharedSpaces | (v.sharedTag >= 0 ? 1L << v.sharedTag : 0);
        vctx(mm).views.add(view);
        vctx(v.space).views.add(view);
        v.views.add(view);
    }

    @Override
    public Mm vasSwitch(Cpu cpu, Task task, int id) {
        if (id == 0) {
            task.vas = null;
            return task.process().mm();
        }
        Vas v = vas(id);
        Mm view = viewFor(task.process().mm(), v);
        if (view == null) {
            throw new InputError("process " + task.process().pid() + " switched to VAS " + id + " without attaching it");
        }
        task.vas = v.space;
        return view;
    }

    private static Mm viewFor(Mm mm, Vas v) {
        for (Mm view : v.views) {
            if (vctx(view).viewOf == mm) {
                return view;
            }
        }
        return null;
    }

    @Override
    public Mm contextSpace(Task task) {
        if (task.vas == null) {
            return task.process().mm();
        }
        for (Vas v : spaces.values()) {
            if (v.space == task.vas) {
                Mm view = viewFor(task.process().mm(), v);
                if (view != null) {
                    return view;
                }
            }
        }
        return task.process().mm();
    }

    @Override
    public Mm spaceFor(Task task, long va) {
        if (task.vas != null && task.vas.find(va) != null) {
            return task.vas;
        }
        return task.process().mm();
    }

    @Override
    public long pteBits(Mm mm, Vma vma) {
        return vma.sharedSpace() >= 0 ? Pte.withSharedSpace(0, vma.sharedSpace()) : 0;
    }

    @Override
    public void owners(Cpu cpu, int tag, long hva, List<Owner> out) {
        if ((tag & Tlb.TAG_SHARED) != 0) {
            for (Vas v : spaces.values()) {
                if (v.sharedTag == (tag & 63)) {
                    for (Mm view : v.views) {
                        out.add(new Owner(v.space, view.root, 0));
                    }
                }
            }
            return;
        }
        Mm mm = ownerOfAsid(cpu, tag);
        if (mm == null || mm.dead()) {
            return;
        }
        VasContext c = vctx(mm);
        if (c.viewOf != null) {
            Mm region = c.viewVas.find(hva) != null ? c.viewVas : c.viewOf;
            out.add(new Owner(region, mm.root, 0));
        } else {
            out.add(new Owner(mm, mm.root, 0));
        }
    }

    @Override
    Mm ownerOfAsid(Cpu cpu, int asid) {
        if (asids.flushPending(cpu)) {
            return null;
        }
        Mm mm = asids.owner(asid);
        return mm != null && (!staleOn(cpu, mm) || kernel.loaded(cpu.id()) == mm) ? mm : null;
    }
}
