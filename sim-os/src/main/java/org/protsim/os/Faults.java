package org.protsim.os;

import org.protsim.core.config.CostsConfig;
import org.protsim.hw.Cpu;
import org.protsim.hw.CycleCategory;
import org.protsim.hw.PhysicalMemory;
import org.protsim.hw.Pte;

import java.util.ArrayList;
import java.util.List;

/**
 * Page faults (Linux handle_mm_fault): a first touch maps a zeroed anonymous page or the
 * object's page-cache page; a write to a copy-on-write page copies it (or takes it, if no one
 * else holds it); a fault the page table already allows is spurious; anything no VMA allows
 * kills the process. A fault in a VMA a mechanism owns goes to that mechanism, its pager.
 */
final class Faults {
    private final CostsConfig costs;
    private final PhysicalMemory memory;
    private final PageTables tables;
    private final ProtectionModel model;
    private final KernelStats stats;
    private final KernelText text;
    private final Shootdowns shootdowns;
    private ProcessSyscalls processes;
    private Audit audit;

    Faults(CostsConfig costs, PhysicalMemory memory, PageTables tables, ProtectionModel model, KernelStats stats,
           KernelText text, Shootdowns shootdowns) {
        this.costs = costs;
        this.memory = memory;
        this.tables = tables;
        this.model = model;
        this.stats = stats;
        this.text = text;
        this.shootdowns = shootdowns;
    }

    void attach(ProcessSyscalls processes, Audit audit) {
        this.processes = processes;
        this.audit = audit;
    }

    void fault(Scheduler.CpuLoop r, Task t, int code) {
        Cpu cpu = r.cpu;
        long va = cpu.faultAddress();
        int access = cpu.faultAccess();
        text.enter(cpu, CycleCategory.FAULT, costs.faultCycles());
        Mm mm = model.spaceFor(t, va);
        Vma vma = mm.find(va);
        int need = access == Cpu.WRITE ? Vma.WRITE : access == Cpu.EXECUTE ? Vma.EXEC : Vma.READ;
        if (vma == null || (vma.prot & need) == 0 || code == Cpu.FAULT_DOMAIN) {
            if (t.refs.dropStray && t.refs.position < t.refs.count) {
                t.refs.position++;
                stats.faultsStray.increment();
                return;
            }
            segv(r, t);
            return;
        }
        long page = va & ~4095L;
        long hva = Kernel.hw(mm, page);
        long e = tables.rawEntry(mm, page);
        if (Pte.present(e) && allows(e, access)) {
            // spurious: the page table already allows it (another CPU mapped it, or this TLB held an
            // older, narrower translation); drop the cached entry and retry
            cpu.flushPage(hva, cpu.context().asid, cpu.context().sharedSpaces);
        } else if (vma.owner != null) {
            if (!vma.owner.fault(cpu, t, mm, vma, page, access)) {
                segv(r, t);
                return;
            }
        } else if (code == Cpu.FAULT_NOT_PRESENT && !Pte.present(e)) {
            if (e == 0 || !model.resolveNotPresent(cpu, mm, vma, page, e)) {
                demandFault(cpu, mm, vma, page, access);
            }
            stats.faultsDemand.increment();
        } else if (access == Cpu.WRITE && Pte.present(e) && !Pte.writable(e)) {
            stats.faultsCow.increment();
            breakCow(r, t, mm, vma, page, e);
            return;
        } else {
            segv(r, t);
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
            stats.chargeZero(cpu, 1);
            if (vma.writable()) {
                flags |= Pte.WRITABLE;
            }
        } else {
            boolean[] loaded = new boolean[1];
            int cached = vma.object.frameOrLoad(vma.objectPage(page), memory, loaded);
            if (loaded[0]) {
                stats.chargeZero(cpu, 1); // reading the page in: charged as filling one page
            }
            if (!vma.shared() && vma.writable() && access == Cpu.WRITE) {
                // a private write to a file page: copy it at once
                frame = memory.allocate(PhysicalMemory.DATA, mm.id());
                stats.chargeCopy(cpu, 1);
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
        tables.install(cpu, mm, page, Pte.of(frame, flags));
        mm.residentPages++;
    }

    /** A write to a present read-only page of a writable private mapping: copy it, or take it if ours alone. */
    private void breakCow(Scheduler.CpuLoop r, Task t, Mm mm, Vma vma, long page, long e) {
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
            stats.chargeCopy(cpu, 1);
            pte = Pte.withFrame(writable, copy);
            release.add(old);
        }
        tables.install(cpu, mm, page, pte);
        shootdowns.invalidate(r, mm, Kernel.hw(mm, page), 1, () -> {
            for (int f : release) {
                memory.release(f);
            }
            if (audit != null) {
                audit.afterOperation("copy-on-write at 0x" + Long.toHexString(page) + " by " + t);
            }
        });
    }

    private void segv(Scheduler.CpuLoop r, Task t) {
        stats.faultsSegv.increment();
        processes.exitProcess(r, t.process, 128 + 11);
    }
}
