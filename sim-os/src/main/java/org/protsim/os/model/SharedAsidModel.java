package org.protsim.os.model;

import org.protsim.core.config.ModelConfig;
import org.protsim.hw.Cpu;
import org.protsim.hw.Pte;
import org.protsim.hw.Tlb;
import org.protsim.os.ModelServices;
import org.protsim.os.MemObject;
import org.protsim.os.Mm;
import org.protsim.os.Process;
import org.protsim.os.Task;
import org.protsim.os.Vma;

import java.util.List;

/**
 * ARC-style shared TLB entries (Vineet Gupta's reply, docs/sources.md [001]; Linux arch/arc/mm/tlb.c):
 * per-CPU ASIDs of {@code asidBits} handed out in sequence, a wrap flushing that CPU's TLB
 * and starting a new generation; plus up to {@code sharedSpaces} shared address spaces. A
 * library mapped read-only and executable lives in a shared space, at the same address in
 * every process; its TLB entries are tagged with the space's id (a SASID) and hit for every
 * process whose subscription bitmap has that space. Beyond the limit, libraries are mapped
 * privately (ASID-tagged entries, one per process).
 */
final class SharedAsidModel extends PerProcessTables {
    /** Libraries are placed from here upwards, 2 MiB aligned, at one address for every process. */
    static final long LIBRARY_AREA = 0x7e00_0000_0000L;

    private final ModelConfig config;
    private final int maxAsid;
    private long[] cpuGeneration;
    private int[] cpuNext;
    private Mm[][] cpuOwner;
    private int nextSpace;
    private long nextLibraryAddress = LIBRARY_AREA;
    private long rollovers;

    SharedAsidModel(ModelConfig config) {
        this.config = config;
        this.maxAsid = (1 << config.asidBits()) - 1;
    }

    @Override
    public void boot(ModelServices k) {
        super.boot(k);
        cpuGeneration = new long[cpus];
        java.util.Arrays.fill(cpuGeneration, 1);
        cpuNext = new int[cpus];
        cpuOwner = new Mm[cpus][maxAsid + 1];
    }

    @Override
    public long asidRollovers() {
        return rollovers;
    }

    /** Per CPU, the ASID an address space has there and the generation it was handed out in. */
    static final class AsidContext extends Context {
        final int[] cpuAsid;
        final long[] cpuAsidGeneration;

        AsidContext(int cpus) {
            super(cpus);
            cpuAsid = new int[cpus];
            cpuAsidGeneration = new long[cpus];
        }
    }

    private static AsidContext actx(Mm mm) {
        return (AsidContext) mm.modelState();
    }

    @Override
    Context newContext() {
        return new AsidContext(cpus);
    }

    @Override
    public void mmDestroyed(Mm mm) {
        super.mmDestroyed(mm);
        AsidContext x = actx(mm);
        for (int c = 0; c < cpus; c++) {
            if (x.cpuAsidGeneration[c] == cpuGeneration[c] && cpuOwner[c][x.cpuAsid[c]] == mm) {
                cpuOwner[c][x.cpuAsid[c]] = null; // never reused before this CPU's next wrap
            }
        }
    }

    private int asidFor(Cpu cpu, Mm mm) {
        int c = cpu.id();
        AsidContext x = actx(mm);
        if (x.cpuAsidGeneration[c] != cpuGeneration[c]) {
            if (cpuNext[c] >= maxAsid) {
                // ARC get_new_mmu_context: the ASID space wrapped: flush this CPU's TLB, new generation
                cpu.flushAll();
                cpuGeneration[c]++;
                cpuNext[c] = 0;
                java.util.Arrays.fill(cpuOwner[c], null);
                rollovers++;
            }
            int a = ++cpuNext[c];
            x.cpuAsid[c] = a;
            x.cpuAsidGeneration[c] = cpuGeneration[c];
            cpuOwner[c][a] = mm;
            markFlushed(cpu, mm); // a fresh ASID carries no stale entries
        }
        return x.cpuAsid[c];
    }

    @Override
    public void switchTo(Cpu cpu, Mm loaded, Task next, Mm space) {
        if (loaded != space) {
            chargeRootSwitch(cpu);
            scrubVirtualCaches(cpu);
        }
        int asid = asidFor(cpu, space);
        load(cpu, space, asid);
        if (staleOn(cpu, space)) {
            cpu.flushAsid(asid);
            markFlushed(cpu, space);
        }
    }

    @Override
    int asidOf(Cpu cpu, Mm mm) {
        int c = cpu.id();
        AsidContext x = actx(mm);
        return x.cpuAsidGeneration[c] == cpuGeneration[c] ? x.cpuAsid[c] : -1;
    }

    @Override
    public long placeObject(Mm mm, MemObject object, long length) {
        if (!object.library()) {
            return 0;
        }
        if (object.fixedAddress() == 0) {
            kernel.setFixedAddress(object, nextLibraryAddress);
            nextLibraryAddress += (object.pages() * 4096 + 0x1F_FFFFL) & ~0x1F_FFFFL;
        }
        return object.fixedAddress();
    }

    /**
     * A read-only, executable mapping of a library at the library's one address joins the
     * library's shared space (given one on first use while spaces remain).
     */
    @Override
    public void vmaMapped(Mm mm, Vma vma) {
        MemObject o = vma.object();
        if (o == null || !o.library() || vma.writable() || (vma.prot() & Vma.EXEC) == 0 || vma.shared()
                || o.fixedAddress() == 0 || vma.start() - vma.objectPage(vma.start()) * 4096 != o.fixedAddress()) {
            return;
        }
        if (o.sharedSpace() < 0) {
            if (nextSpace >= config.sharedSpaces()) {
                return; // out of shared spaces: mapped privately
            }
            kernel.setSharedSpace(o, nextSpace++);
        }
        kernel.setSharedSpace(vma, o.sharedSpace());
        ctx(mm).sharedSpaces |= 1L << o.sharedSpace();
        reloadSubscriptions(mm);
    }

    /** A CPU running {@code mm} sees its new subscription bitmap at once (as ld.so sets ARC's SASID register). */
    private void reloadSubscriptions(Mm mm) {
        for (int c = 0; c < cpus; c++) {
            if (kernel.loaded(c) == mm) {
                kernel.cpu(c).context().sharedSpaces = ctx(mm).sharedSpaces;
            }
        }
    }

    /**
     * Unmapping or re-protecting part of a shared-space mapping: the process leaves that space
     * (it must no longer hit the space's shared entries) and keeps the rest of the library as
     * private, ASID-tagged mappings.
     */
    @Override
    public void vmaChanging(Mm mm, Vma vma) {
        int space = vma.sharedSpace();
        if (space < 0) {
            return;
        }
        ctx(mm).sharedSpaces &= ~(1L << space);
        for (Vma v : mm.vmas()) {
            if (v.sharedSpace() == space) {
                kernel.setSharedSpace(v, -1);
                for (long va = v.start(); va < v.end(); va += 4096) {
                    long e = kernel.pageTables().lookup(mm, va);
                    if (e != 0) {
                        kernel.pageTables().protect(mm, va, e & ~(Pte.SHARED | Pte.SHARED_ID_MASK));
                    }
                }
            }
        }
        reloadSubscriptions(mm);
    }

    @Override
    public long pteBits(Mm mm, Vma vma) {
        return vma.sharedSpace() >= 0 ? Pte.withSharedSpace(0, vma.sharedSpace()) : 0;
    }

    @Override
    public boolean fork(Cpu cpu, Process parent, Process child, boolean execsAtOnce) {
        boolean changed = super.fork(cpu, parent, child, execsAtOnce);
        ctx(child.mm()).sharedSpaces = ctx(parent.mm()).sharedSpaces;
        return changed;
    }

    @Override
    public void owners(Cpu cpu, int tag, long hva, List<Owner> out) {
        if ((tag & Tlb.TAG_SHARED) != 0) {
            int space = tag & 63;
            for (Process p : kernel.processes()) {
                Mm mm = p.mm();
                if (p.alive() && !mm.dead() && (ctx(mm).sharedSpaces >>> space & 1) != 0 && !out.contains(
                        new Owner(mm, mm.root, 0))) {
                    out.add(new Owner(mm, mm.root, 0));
                }
            }
            return;
        }
        super.owners(cpu, tag, hva, out);
    }

    @Override
    Mm ownerOfAsid(Cpu cpu, int asid) {
        if (asid < 1 || asid > maxAsid) {
            return null;
        }
        Mm mm = cpuOwner[cpu.id()][asid];
        return mm != null && (!staleOn(cpu, mm) || kernel.loaded(cpu.id()) == mm) ? mm : null;
    }
}
