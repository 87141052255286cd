package org.protsim.os;

import org.protsim.hw.Cpu;
import org.protsim.hw.PhysicalMemory;
import org.protsim.hw.Pte;
import org.protsim.hw.Tlb;

import java.util.ArrayList;
import java.util.List;

/**
 * Test mode's kernel-side audit (kernel.audit = true). After every kernel operation it checks
 * every valid entry of every CPU's TLBs: each address space that could hit the entry (as the
 * model says: the owner of its ASID on that CPU, the subscribers of its shared space, the
 * space owning its range) must still map that page to the same frame with at least the
 * entry's rights. Entries under an invalidation still in flight (a shootdown not yet
 * acknowledged) are exempt. After every reference it checks that the frame used is the one
 * the task's own address space maps. A violation is an {@link AssertionError}.
 */
final class Audit {
    private final Kernel kernel;
    private final List<ProtectionModel.Owner> owners = new ArrayList<>();
    private long checks;

    Audit(Kernel kernel) {
        this.kernel = kernel;
    }

    long checks() {
        return checks;
    }

    void afterOperation(String what) {
        for (int c = 0; c < kernel.machine().cpuCount(); c++) {
            Cpu cpu = kernel.machine().cpu(c);
            int cpuId = c;
            cpu.tlbs().forEachValid((va, shift, tag, pte) -> check(cpuId, cpu, va, shift, tag, pte, what));
        }
    }

    private void check(int cpuId, Cpu cpu, long hva, int shift, int tag, long pte, String what) {
        checks++;
        if ((tag & Tlb.TAG_GLOBAL) != 0) {
            // kernel text: never unmapped; must point at a kernel frame
            if (kernel.memory().kind((int) Pte.frame(pte)) != PhysicalMemory.KERNEL) {
                fail(what, cpuId, hva, tag, pte, "a global entry maps a non-kernel frame");
            }
            return;
        }
        owners.clear();
        kernel.model().owners(cpu, tag, hva, owners);
        for (ProtectionModel.Owner o : owners) {
            if (exempt(o.mm(), hva)) {
                continue;
            }
            long current = kernel.pageTables().lookupHw(o.root(), hva);
            if (current == 0 && o.mm() == kernel.loaded(cpuId) && cpu.context().root != o.root()) {
                // a mechanism's own top level for the running task (kernel.ukva per-task): a copy of the
                // mm's with entries of the task's own; its entries are flushed when the task leaves the CPU
                current = kernel.pageTables().lookupHw(cpu.context().root, hva);
            }
            if (current != 0) {
                if (Pte.frame(current) != Pte.frame(pte) || !Pte.noMorePermissive(pte, current)) {
                    fail(what, cpuId, hva, tag, pte, o.mm() + " now maps 0x" + Long.toHexString(current));
                }
                continue;
            }
            // not in the owner's page table: only a shared library page the owner maps but has not
            // faulted in may be served by another subscriber's entry
            long va = hva - o.vaBase();
            Vma v = o.mm().find(va);
            boolean sharedLibraryPage = v != null && v.object() != null && (tag & Tlb.TAG_SHARED) != 0
                    && v.object().frame(v.objectPage(va)) == Pte.frame(pte) && (pte & Pte.WRITABLE) == 0;
            if (!sharedLibraryPage) {
                fail(what, cpuId, hva, tag, pte, o.mm() + " no longer maps it");
            }
        }
    }

    /** An invalidation of {@code mm} covering {@code hva} is still waiting for acknowledgements. */
    private boolean exempt(Mm mm, long hva) {
        for (Shootdowns.Pending p : kernel.shootdowns().pending()) {
            boolean ofMm = p.mm() == mm || kernel.model().runsOver(mm, p.mm());
            if (ofMm && Long.compareUnsigned(hva, p.startHva()) >= 0 && Long.compareUnsigned(hva, p.endHva()) < 0) {
                return true;
            }
        }
        return false;
    }

    private void fail(String what, int cpu, long hva, int tag, long pte, String why) {
        throw new AssertionError("audit after " + what + ": CPU " + cpu + " caches 0x" + Long.toHexString(hva)
                + " (tag 0x" + Integer.toHexString(tag) + ", frame " + Pte.frame(pte) + ") but " + why);
    }

    /** The frame a successful reference used must be what the task's own address space maps there. */
    void checkReference(Cpu cpu, Task t, long va, int size) {
        long last = va + Math.max(size, 1) - 1;
        Mm space = kernel.model().spaceFor(t, last);
        Mm context = kernel.model().contextSpace(t);
        long expected = kernel.pageTables().lookupHw(context.root, Kernel.hw(space, last));
        if (expected == 0 && cpu.context().root != context.root) {
            expected = kernel.pageTables().lookupHw(cpu.context().root, Kernel.hw(space, last)); // per-task top level
        }
        long frame = cpu.lastFrame();
        if (expected != 0 && Pte.frame(expected) == frame) {
            return;
        }
        if (exempt(space, Kernel.hw(space, last))) {
            return; // a stale entry in a shootdown's window: the page is still this process's, not yet freed
        }
        Vma v = space.find(last);
        if (v != null && v.object() != null && v.object().frame(v.objectPage(last)) == frame) {
            return; // a shared library page through another subscriber's entry
        }
        throw new AssertionError("audit: " + t + " read 0x" + Long.toHexString(va) + " through frame " + frame
                + " but its address space maps " + (expected == 0 ? "nothing" : "frame " + Pte.frame(expected))
                + " there (owner of frame " + frame + ": " + kernel.memory().owner((int) frame) + ")");
    }
}
