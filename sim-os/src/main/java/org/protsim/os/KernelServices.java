package org.protsim.os;

import org.protsim.core.Event;
import org.protsim.core.Simulation;
import org.protsim.core.config.CostsConfig;
import org.protsim.core.config.RunConfig;
import org.protsim.core.stats.Stats;
import org.protsim.hw.BlockDevice;
import org.protsim.hw.Cpu;
import org.protsim.hw.CycleCategory;
import org.protsim.hw.Iommu;
import org.protsim.hw.Pte;
import org.protsim.hw.PhysicalMemory;

/** The kernel's side of {@link ModelServices} and {@link MechanismServices}: each call goes to the part that does it. */
final class KernelServices implements ModelServices, MechanismServices {
    private final Kernel kernel;
    private final Simulation sim;
    private Iommu iommu;

    KernelServices(Kernel kernel, Simulation sim) {
        this.kernel = kernel;
        this.sim = sim;
    }

    @Override
    public RunConfig config() {
        return kernel.config();
    }

    @Override
    public CostsConfig costs() {
        return kernel.costs();
    }

    @Override
    public Stats stats() {
        return sim.stats();
    }

    @Override
    public int cpuCount() {
        return kernel.machine().cpuCount();
    }

    @Override
    public Cpu cpu(int id) {
        return kernel.machine().cpu(id);
    }

    @Override
    public PhysicalMemory memory() {
        return kernel.memory();
    }

    @Override
    public BlockDevice disk() {
        return kernel.machine().disk();
    }

    @Override
    public PageTables pageTables() {
        return kernel.pageTables();
    }

    @Override
    public Mm loaded(int cpu) {
        return kernel.loaded(cpu);
    }

    @Override
    public Iterable<Process> processes() {
        return kernel.processes();
    }

    @Override
    public Mm newMm() {
        return kernel.processSyscalls().newMm();
    }

    @Override
    public void forgetSpace(Mm mm) {
        kernel.processSyscalls().forgetSpace(mm);
    }

    @Override
    public void copyVmas(Mm from, Mm to) {
        for (Vma v : from.vmas.values()) {
            kernel.memorySyscalls().addVma(to, v.copy());
        }
        to.brkStart = from.brkStart;
        to.brkEnd = from.brkEnd;
    }

    @Override
    public void addVma(Mm mm, Vma vma) {
        kernel.memorySyscalls().addVma(mm, vma);
    }

    @Override
    public Vma newVma(long start, long end, int prot, int flags) {
        return new Vma(start, end, prot, flags, null, 0);
    }

    @Override
    public Vma newObjectVma(long start, long end, int prot, int maxProt, int flags, MemObject object,
                            long objectPage) {
        if ((prot & ~maxProt) != 0) {
            throw new IllegalArgumentException("rights " + prot + " above the maximum " + maxProt);
        }
        Vma v = new Vma(start, end, prot, flags, object, objectPage);
        v.maxProt = maxProt;
        return v;
    }

    @Override
    public long place(Mm mm, MemObject object, long length) {
        return kernel.memorySyscalls().place(mm, 0, object, length);
    }

    @Override
    public long pteBits(Mm mm, Vma vma) {
        return kernel.model().pteBits(mm, vma);
    }

    @Override
    public MemObject newObject(String name, long pages) {
        return kernel.newObject(name, pages, false);
    }

    @Override
    public int pageIn(Cpu cpu, MemObject object, long page) {
        boolean[] loaded = new boolean[1];
        int f = object.frameOrLoad(page, kernel.memory(), loaded);
        if (loaded[0]) {
            kernel.stats().chargeZero(cpu, 1); // reading the page in: charged as filling one page, as a demand fault does
            return -f;
        }
        return f;
    }

    @Override
    public void addResident(Mm mm, long pages) {
        mm.residentPages += pages;
    }

    @Override
    public void chargeZero(Cpu cpu, long pages) {
        kernel.stats().chargeZero(cpu, pages);
    }

    @Override
    public void chargeCopy(Cpu cpu, long pages) {
        kernel.stats().chargeCopy(cpu, pages);
    }

    @Override
    public void countPtesCopied(long entries) {
        kernel.stats().ptesCopied.add(entries);
    }

    @Override
    public void setFixedAddress(MemObject object, long address) {
        object.fixedAddress = address;
    }

    @Override
    public void setSharedSpace(MemObject object, int space) {
        object.sharedSpace = space;
    }

    @Override
    public void setSharedSpace(Vma vma, int space) {
        vma.sharedSpace = space;
    }

    // ------------------------------------------------------------------ mechanisms

    @Override
    public long now() {
        return sim.now();
    }

    @Override
    public void scheduleAt(Event event, long time) {
        sim.scheduleAt(event, time);
    }

    @Override
    public void charge(Cpu cpu, CycleCategory category, long cycles) {
        cpu.charge(category, cycles);
    }

    @Override
    public Iommu iommu() {
        if (iommu == null) {
            var m = kernel.config().machine();
            iommu = new Iommu(m.iommu(), sim, kernel.memory(), kernel.machine().llc(), m.caches().llc().lineBytes(),
                    m.memory().latencyCycles(), m.cpus());
        }
        return iommu;
    }

    @Override
    public long userPte(Mm mm, Vma vma, long frame) {
        long flags = Pte.USER | ((vma.prot & Vma.EXEC) == 0 ? Pte.NO_EXECUTE : 0) | kernel.model().pteBits(mm, vma);
        if (vma.writable()) {
            flags |= Pte.WRITABLE;
        }
        return Pte.of(frame, flags);
    }

    @Override
    public void map(Mm mm, Vma vma, KernelMechanism owner) {
        vma.owner = owner;
        kernel.memorySyscalls().addVma(mm, vma);
    }

    @Override
    public void unmap(Cpu cpu, Mm mm, long start, long end, Runnable after) {
        kernel.memorySyscalls().unmap(kernel.scheduler().loop(cpu.id()), mm, start, end - start, after);
    }

    @Override
    public void shootDown(Cpu cpu, Mm mm, long va, long pages, Runnable after) {
        kernel.shootdowns().invalidate(kernel.scheduler().loop(cpu.id()), mm, Kernel.hw(mm, va), pages, after);
    }

    @Override
    public void block(Task task) {
        kernel.scheduler().block(task);
    }

    @Override
    public void wake(Task task, long time) {
        kernel.scheduler().wake(task, time);
    }

    @Override
    public void complete(Task task, long value) {
        task.program.returned(value);
    }
}
