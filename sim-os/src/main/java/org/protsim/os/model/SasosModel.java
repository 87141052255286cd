package org.protsim.os.model;

import org.protsim.core.config.ForkCopy;
import org.protsim.core.config.ModelConfig;
import org.protsim.hw.Cpu;
import org.protsim.hw.CycleCategory;
import org.protsim.hw.PhysicalMemory;
import org.protsim.hw.ProtectionTable;
import org.protsim.hw.Pte;
import org.protsim.os.Image;
import org.protsim.os.ModelServices;
import org.protsim.os.Mm;
import org.protsim.os.PageTables;
import org.protsim.os.Process;
import org.protsim.os.ProtectionModel;
import org.protsim.os.Task;
import org.protsim.os.Vma;

import java.util.ArrayDeque;
import java.util.List;

/**
 * A single address space with space IDs (Godard, docs/sources.md [000]; Opal; the Mill): one global
 * translation for everything; each process is a space, a 2^47-byte range of a 57-bit address
 * space at (space id << 47), so process addresses are used unrelocated and no page is mapped at
 * two addresses (read-only text excepted). Switching processes changes only the protection
 * domain (and the space base): no TLB flush, and virtually tagged caches need no scrub.
 * Protection is checked per domain in the PLB. Fork followed by exec allocates a space id, maps
 * the image and pushes one TLB entry; a fork whose child runs on its parent's data must copy
 * the parent's writable pages into the child's range, eagerly or on first touch
 * ({@code model.forkCopy}), since one address cannot name two pages.
 *
 * <p>Without ASIDs, a space's entries outlive its process: a dead space's id is reused only after
 * a flush of every TLB and PLB (a sweep, counted in {@code sasos.sweeps}), and invalidations
 * interrupt every CPU that has run the space, not just those running it.
 */
final class SasosModel implements ProtectionModel, ProtectionTable {
    static final int SPACE_SHIFT = 47;

    /** The space an address space is (its id), what sasos keeps per mm. */
    private record Space(int id) {
    }

    private final ModelConfig config;
    private ModelServices kernel;
    private PageTables tables;
    private int cpus;
    private long globalRoot;
    private final ArrayDeque<Integer> free = new ArrayDeque<>();
    private final ArrayDeque<Integer> dirty = new ArrayDeque<>();
    private Mm[] bySpace;
    private long sweeps;

    SasosModel(ModelConfig config) {
        this.config = config;
    }

    @Override
    public void boot(ModelServices k) {
        this.kernel = k;
        this.tables = k.pageTables();
        this.cpus = k.cpuCount();
        int vaBits = k.config().machine().walker().virtualAddressBits();
        // spaces in the lower half (the upper half is the kernel's): 2^(57-47-1) - 1 = 511 of them
        int spaces = (1 << (vaBits - SPACE_SHIFT - 1)) - 1;
        bySpace = new Mm[spaces + 1];
        for (int s = 1; s <= spaces; s++) {
            free.add(s);
        }
        globalRoot = tables.newRoot(PageTables.KERNEL_OWNER);
        for (int c = 0; c < cpus; c++) {
            k.cpu(c).setProtectionTable(this);
        }
        k.stats().counter("sasos.sweeps", "sweeps",
                "flushes of every TLB and PLB to recycle dead space ids", () -> sweeps);
    }

    @Override
    public void mmCreated(Mm mm) {
        if (free.isEmpty()) {
            sweep();
        }
        Integer s = free.poll();
        if (s == null) {
            throw new IllegalStateException("sasos: all " + (bySpace.length - 1) + " space ids are in use");
        }
        mm.setModelState(new Space(s));
        mm.root = globalRoot;
        mm.vaBase = (long) s << SPACE_SHIFT;
        bySpace[s] = mm;
    }

    /** Every CPU flushes its TLB and PLB, so the ids of dead spaces can be handed out again. */
    private void sweep() {
        sweeps++;
        for (int c = 0; c < cpus; c++) {
            Cpu cpu = kernel.cpu(c);
            cpu.flushNonGlobal();
            cpu.plb().flushAll();
        }
        free.addAll(dirty);
        dirty.clear();
    }

    @Override
    public void mmDestroyed(Mm mm) {
        int s = space(mm);
        bySpace[s] = null;
        // free the space's (now empty) page-table subtrees under the global root
        tables.freeTablesIn(globalRoot, mm.vaBase, mm.vaBase + (1L << SPACE_SHIFT));
        if (mm.everMapped) {
            dirty.add(s); // its TLB and PLB entries may still be cached: reuse only after a sweep
        } else {
            free.addFirst(s); // nothing was ever translated in it (a spawned child before exec): reuse at once
        }
    }

    @Override
    public void switchTo(Cpu cpu, Mm loaded, Task next, Mm space) {
        // one global root, no ASID: only the space base and protection domain registers change
        cpu.context().set(globalRoot, 0, 0, space(space), space.vaBase, true);
    }

    @Override
    public boolean fork(Cpu cpu, Process parent, Process child, boolean execsAtOnce) {
        Mm pm = parent.mm();
        Mm cm = child.mm();
        kernel.copyVmas(pm, cm);
        if (execsAtOnce) {
            return false; // spawn: the space id is all the child needs until exec maps its image
        }
        PhysicalMemory memory = kernel.memory();
        boolean eager = config.forkCopy() == ForkCopy.EAGER;
        long[] counts = new long[3]; // entries, copies, protected
        tables.forEachLeaf(globalRoot, pm.vaBase, pm.vaBase + (1L << SPACE_SHIFT), (hva, pte, level) -> {
            long va = hva - pm.vaBase;
            Vma v = pm.find(va);
            counts[0]++;
            if (v != null && v.copyOnWrite()) {
                if (eager) {
                    int f = memory.allocate(PhysicalMemory.DATA, cm.id());
                    counts[1]++;
                    tables.installCopy(cpu, cm, va, Pte.withFrame(pte | Pte.WRITABLE, f) & ~Pte.COW);
                    kernel.addResident(cm, 1);
                } else {
                    // on touch: the child's entry holds the frame to copy from; the parent is protected
                    // until the child has its copy (its next write copies for itself)
                    if (Pte.writable(pte)) {
                        tables.protect(pm, va, (pte & ~Pte.WRITABLE) | Pte.COW);
                        counts[2]++;
                    }
                    memory.retain((int) Pte.frame(pte));
                    cpu.referencePhysical(PhysicalMemory.structPage(Pte.frame(pte)), Cpu.WRITE); // as PageTables.copyForFork
                    tables.installCopy(cpu, cm, va, (Pte.frame(pte) << Pte.FRAME_SHIFT) | Pte.COPY_PENDING);
                }
            } else {
                memory.retain((int) Pte.frame(pte)); // read-only or shared: the same frame
                cpu.referencePhysical(PhysicalMemory.structPage(Pte.frame(pte)), Cpu.WRITE);
                tables.installCopy(cpu, cm, va, pte);
                kernel.addResident(cm, 1);
            }
        });
        kernel.chargeCopy(cpu, counts[1]);
        kernel.countPtesCopied(counts[0]);
        cpu.charge(CycleCategory.COPY, counts[0] * kernel.costs().pteCopyCycles());
        return counts[2] > 0;
    }

    /** exec: map the image's resident text into the new space and push the entry page into the TLB. */
    @Override
    public void execMapped(Cpu cpu, Process process) {
        Mm mm = process.mm();
        Image image = process.image();
        long mapped = 0;
        for (long page = 0; page < image.text().pages(); page++) {
            int f = image.text().frame(page);
            if (f != 0) {
                kernel.memory().retain(f);
                tables.install(cpu, mm, image.textBase() + page * 4096, Pte.of(f, Pte.USER));
                kernel.addResident(mm, 1);
                mapped++;
            }
        }
        cpu.charge(CycleCategory.COPY, mapped * kernel.costs().pteCopyCycles());
        long entry = tables.lookup(mm, image.textBase());
        if (entry != 0) {
            cpu.insertTranslation(mm.hw(image.textBase()), entry, true);
        }
    }

    private static int space(Mm mm) {
        return ((Space) mm.modelState()).id();
    }

    /** A not-present entry marking a page to copy on first touch holds its source frame. */
    @Override
    public int heldFrame(long notPresentEntry) {
        return (notPresentEntry & Pte.COPY_PENDING) != 0 ? (int) Pte.frame(notPresentEntry) : 0;
    }

    /** On-touch fork: the first touch copies the parent's page (whose frame the entry holds) into this space. */
    @Override
    public boolean resolveNotPresent(Cpu cpu, Mm mm, Vma vma, long page, long pending) {
        if ((pending & Pte.COPY_PENDING) == 0) {
            return false;
        }
        int source = (int) Pte.frame(pending);
        int frame = kernel.memory().allocate(PhysicalMemory.DATA, mm.id());
        kernel.chargeCopy(cpu, 1);
        kernel.memory().release(source);
        long flags = Pte.USER | Pte.WRITABLE | ((vma.prot() & Vma.EXEC) == 0 ? Pte.NO_EXECUTE : 0) | pteBits(mm, vma);
        tables.install(cpu, mm, page, Pte.of(frame, flags));
        kernel.addResident(mm, 1);
        return true;
    }

    @Override
    public long flushLocal(Cpu cpu, Mm mm, long hva, long pages) {
        cpu.plb().flushRange(hva, hva + Math.min(pages, 1L << 35) * 4096);
        if (pages > kernel.costs().rangeFlushCeilingPages()) {
            return cpu.flushNonGlobal(); // no ASID to flush by: everybody's entries go
        }
        long cost = 0;
        for (long i = 0; i < pages; i++) {
            cost += cpu.flushPage(hva + i * 4096, 0, 0);
        }
        return cost;
    }

    /** A space's entries survive switches, so every CPU that has run it may hold them. */
    @Override
    public long invalidationTargets(Cpu initiator, Mm mm) {
        return mm.cpusRan & ~(1L << initiator.id());
    }

    @Override
    public void owners(Cpu cpu, int tag, long hva, List<Owner> out) {
        if (tag != 0) {
            return; // global (kernel) entries are checked by the audit itself; sasos has no shared tags
        }
        int s = (int) (hva >>> SPACE_SHIFT);
        if (s > 0 && s < bySpace.length && bySpace[s] != null) {
            Mm mm = bySpace[s];
            out.add(new Owner(mm, globalRoot, mm.vaBase));
        }
    }

    /** The PLB's refill: a domain (space) has the rights of its VMAs over its own range, nothing else. */
    @Override
    public boolean lookup(int domain, long hva, Region out) {
        if (domain <= 0 || domain >= bySpace.length || bySpace[domain] == null) {
            return false;
        }
        Mm mm = bySpace[domain];
        long va = hva - mm.vaBase;
        if (va < 0 || va >= 1L << SPACE_SHIFT) {
            return false;
        }
        Vma v = mm.find(va);
        if (v == null) {
            return false;
        }
        int rights = ((v.prot() & Vma.READ) != 0 ? READ : 0) | ((v.prot() & Vma.WRITE) != 0 ? WRITE : 0)
                | ((v.prot() & Vma.EXEC) != 0 ? EXECUTE : 0);
        out.set(mm.vaBase + v.start(), mm.vaBase + v.end(), rights);
        return true;
    }
}
