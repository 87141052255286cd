package org.protsim.os;

import org.protsim.hw.Cpu;
import org.protsim.hw.PhysicalMemory;
import org.protsim.hw.Pte;

import java.util.Set;

/**
 * A test mechanism that is the pager of the VMAs it maps ({@link MapPaged}): it serves the first
 * {@code servePages} faults in them with fresh pages and refuses the rest.
 */
final class Pager implements KernelMechanism {
    /** Map {@code pages} pages at {@code addr}, paged by this mechanism; returns the address. */
    record MapPaged(long addr, long pages, long servePages) implements Op.MechanismOp {
    }

    private MechanismServices services;
    private long budget;
    long served;
    long refused;

    @Override
    public String name() {
        return "test/pager";
    }

    @Override
    public void boot(MechanismServices s) {
        this.services = s;
    }

    @Override
    public Set<Class<? extends Op.MechanismOp>> ops() {
        return Set.of(MapPaged.class);
    }

    @Override
    public void syscall(Cpu cpu, Task task, Op.MechanismOp op) {
        MapPaged m = (MapPaged) op;
        budget += m.servePages();
        Vma v = services.newVma(m.addr(), m.addr() + m.pages() * 4096, Vma.READ | Vma.WRITE,
                Vma.PRIVATE | Vma.ANONYMOUS);
        services.map(task.process().mm(), v, this);
        services.complete(task, m.addr());
    }

    @Override
    public boolean fault(Cpu cpu, Task task, Mm mm, Vma vma, long va, int access) {
        if (vma.owner() != this) {
            throw new AssertionError("asked to page a VMA it does not own");
        }
        if (served >= budget) {
            refused++;
            return false;
        }
        served++;
        int f = services.memory().allocate(PhysicalMemory.DATA, mm.id());
        services.pageTables().install(cpu, mm, va, Pte.of(f, Pte.USER | Pte.WRITABLE | Pte.NO_EXECUTE));
        services.addResident(mm, 1);
        return true;
    }
}
