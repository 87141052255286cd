package org.protsim.os.dma;

import org.protsim.core.Pool;
import org.protsim.hw.Cpu;
import org.protsim.hw.CycleCategory;
import org.protsim.hw.PhysicalMemory;
import org.protsim.hw.Pte;
import org.protsim.os.KernelMechanism;
import org.protsim.os.MechanismServices;
import org.protsim.os.Mm;
import org.protsim.os.PageTables;
import org.protsim.os.Vma;

/**
 * {@code kernel.dma owned-pages}: the driver's own protection domain, Godard's model in
 * docs/sources.md [000]. A buffer's owner exposes its pages to it for the call and takes them back
 * at unmap: under {@code sasos} a grant of the driver's domain over the range, checked as the PLB
 * checks; under the per-process models a mapping in the driver's own address space, whose
 * withdrawal shoots down the TLBs that may hold it.
 *
 * <p>Per request it allocates nothing once warm: the freed window slots wait in primitive queues,
 * the sasos grants sit in {@link Grants}' arrays, and a withdrawal's continuation is a
 * {@link Withdrawal} from a free list.
 */
final class OwnedPages {
    /** The driver's address space window (per-process models) for exposed pages. */
    static final long DRIVER_BASE = 0x4000_0000_0000L;
    static final long DRIVER_WINDOW = 1L << 36;
    /** The driver's own state: pages of its space that are its own. */
    static final int DRIVER_STATE_PAGES = 16;

    private final MechanismServices services;
    private final PhysicalMemory memory;
    private final PageTables tables;
    private final boolean sasos;
    private final Mm driverMm;
    private final Vma driverVma;
    private long driverNext = DRIVER_BASE + DRIVER_STATE_PAGES * 4096L;
    /** Freed window slots by their size in pages, each size's reused first freed first. */
    private final LongObjectMap<LongQueue> driverFree = new LongObjectMap<>();
    /** sasos: the driver's grants, by start hardware address. */
    private final Grants grants = new Grants();
    private final Pool<Withdrawal> freeWithdrawals = new Pool<>(Withdrawal::new);

    /** At boot: under the per-process models the driver's address space, its window owned by {@code owner}. */
    OwnedPages(MechanismServices s, boolean sasos, KernelMechanism owner) {
        this.services = s;
        this.memory = s.memory();
        this.tables = s.pageTables();
        this.sasos = sasos;
        if (sasos) {
            driverMm = null;
            driverVma = null;
        } else {
            driverMm = s.newMm();
            driverVma = s.newVma(DRIVER_BASE, DRIVER_BASE + DRIVER_WINDOW, Vma.READ | Vma.WRITE, Vma.SHARED);
            s.map(driverMm, driverVma, owner);
        }
    }

    /** The owner's pages of {@code m} (from {@code va} in {@code owner}) become reachable from the driver's domain. Returns CPU cycles. */
    long expose(Cpu cpu, Mm owner, long va, Mapping m) {
        int pages = m.pages;
        if (sasos) {
            // one address names the page everywhere: the grant is a domain's right over the range (a PLB entry's worth)
            // the grant reaches m's frames, which stay as they are until it is revoked (m is reused only after the unmap)
            long start = owner.hw(va);
            for (int p = 0; p < pages; p++) {
                memory.retain(m.frames[p]);
            }
            grants.put(start, start + pages * 4096L, m);
            m.driverVa = start;
            return services.costs().pteCopyCycles() * (long) pages; // the protection-table entries written
        }
        LongQueue free = driverFree.get(pages);
        long dva;
        if (free != null && !free.isEmpty()) {
            dva = free.poll();
        } else {
            dva = driverNext;
            driverNext += pages * 4096L;
            if (driverNext > DRIVER_BASE + DRIVER_WINDOW) {
                throw new IllegalStateException("the driver's window is exhausted");
            }
        }
        for (int p = 0; p < pages; p++) {
            memory.retain(m.frames[p]);
            tables.install(cpu, driverMm, dva + p * 4096L, services.userPte(driverMm, driverVma, m.frames[p]));
        }
        services.addResident(driverMm, pages);
        m.driverVa = dva;
        return services.costs().pteCopyCycles() * (long) pages;
    }

    /** The frame the driver's domain reaches at {@code addr}, or -1 (a protection fault). */
    long driverFrame(long addr) {
        if (sasos) {
            return grants.frame(addr);
        }
        long pte = tables.lookup(driverMm, addr);
        return Pte.present(pte) && Pte.writable(pte) ? Pte.frame(pte) : -1;
    }

    /** The frame a wild write of the driver reaches (target: a random 64-bit draw), or -1 if it is caught. */
    long wildFrame(long target) {
        if (sasos) {
            // a random address of the single 57-bit address space, checked against the driver's grants
            return driverFrame((target >>> 7) & ~4095L);
        }
        // a random page of its space beyond its own state, through its own page table
        long state = DRIVER_STATE_PAGES * 4096L;
        return driverFrame(DRIVER_BASE + state + Long.remainderUnsigned(target, (DRIVER_WINDOW - state) >>> 12) * 4096L);
    }

    /**
     * sasos: the grant of {@code m} goes; every PLB that may hold the driver's right over the range
     * drops it. Returns the CPU cycles of the invalidation.
     */
    long revoke(Mapping m) {
        int pages = m.pages;
        grants.remove(m.driverVa);
        for (int i = 0; i < services.cpuCount(); i++) {
            services.cpu(i).plb().flushRange(m.driverVa, m.driverVa + pages * 4096L);
        }
        long cycles = (long) services.costs().flushPageCycles() * pages;
        if (services.cpuCount() > 1) {
            // an IPI sent to each other CPU in turn (Interconnect), the last one's delivery and handler
            cycles += services.costs().ipiSendCycles() * (services.cpuCount() - 1L)
                    + services.costs().ipiLatencyCycles() + services.costs().ipiHandlerCycles();
        }
        return cycles;
    }

    /**
     * Per-process models: the driver's entries for the pages of {@code m} are cleared, the TLBs that
     * may hold them are shot down, and only then do the pages go back to their owner and
     * {@code after} runs.
     */
    void withdraw(Cpu cpu, Mapping m, Runnable after) {
        int pages = m.pages;
        for (int p = 0; p < pages; p++) {
            tables.install(cpu, driverMm, m.driverVa + p * 4096L, 0);
        }
        services.addResident(driverMm, -pages);
        // the driver touched the pages on this CPU (its completion): its TLB entries go page by page
        services.charge(cpu, CycleCategory.FLUSH, (long) services.costs().flushPageCycles() * pages);
        Withdrawal w = freeWithdrawals.take();
        w.m = m;
        w.pages = pages;
        w.after = after;
        services.shootDown(cpu, driverMm, m.driverVa, pages, w);
    }

    /**
     * What follows a withdrawal's shootdown: the pages go back and the slot is free. Back on the
     * free list before {@code after} runs (which may start the next withdrawal).
     */
    private final class Withdrawal implements Runnable {
        Mapping m;
        int pages;
        Runnable after;

        @Override
        public void run() {
            Mapping m = this.m;
            int pages = this.pages;
            Runnable after = this.after;
            this.m = null;
            this.after = null;
            freeWithdrawals.give(this);
            for (int p = 0; p < pages; p++) {
                memory.release(m.frames[p]); // the driver's reference
            }
            LongQueue free = driverFree.get(pages);
            if (free == null) {
                free = new LongQueue();
                driverFree.put(pages, free);
            }
            free.add(m.driverVa);
            after.run();
        }
    }
}
