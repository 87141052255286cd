package org.protsim.os.dma;

import org.protsim.core.Event;
import org.protsim.core.Pool;
import org.protsim.core.Priority;
import org.protsim.core.config.DmaConfig;
import org.protsim.core.config.ModelName;
import org.protsim.hw.Cpu;
import org.protsim.hw.CycleCategory;
import org.protsim.hw.Iommu;
import org.protsim.hw.PhysicalMemory;
import org.protsim.hw.Pte;
import org.protsim.os.KernelMechanism;
import org.protsim.os.MechanismServices;
import org.protsim.os.Mm;
import org.protsim.os.Op;
import org.protsim.os.PageTables;
import org.protsim.os.PteChange;
import org.protsim.os.Task;
import org.protsim.os.Vma;
import org.protsim.os.pat.AttributeAliases;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * {@code kernel.dma}: who may touch a page while a device works on it (docs/sources.md [000], [004]).
 * One class, four modes, differing in what a map and an unmap do and in what a misbehaving
 * device or driver can reach:
 * <ul>
 *   <li>{@code shared-pool}: no IOMMU (Linux's dma-direct): the bus address is the physical one,
 *       map and unmap cost nothing, the device reaches every frame, and the driver, running in
 *       the kernel, reaches every frame through the kernel's direct map (Kleen in [000]).</li>
 *   <li>{@code iommu-strict}: map allocates an IOVA and writes I/O PTEs; unmap clears them,
 *       invalidates the IOTLB and waits for the invalidation (Linux iommu.strict=1).</li>
 *   <li>{@code iommu-deferred}: unmap clears the I/O PTEs and queues the invalidation on Linux's
 *       flush queue (iommu.strict=0); until the queue is flushed a stale IOTLB entry still
 *       translates: the window of exposure.</li>
 *   <li>{@code owned-pages}: Godard's model in [000]: the driver runs in its own protection domain
 *       holding only its state; a buffer's owner exposes its pages to that domain for the call
 *       (under {@code sasos} a grant to the driver's domain, checked like the PLB checks; under the
 *       per-process models a mapping in the driver's address space) and takes them back at unmap,
 *       with the invalidation that costs (a PLB range flush; a TLB shootdown). Devices are not
 *       confined: there is no IOMMU.</li>
 * </ul>
 * Devices work as events: a transfer takes the device's setup latency plus size over bandwidth,
 * its pages translated through the IOMMU where there is one; requests beyond the ring's size
 * wait for a slot. Wild writes are the workload's to ask for; this class carries them out and
 * says where each ended: caught (an IOMMU fault, a protection fault) or landed, by victim.
 *
 * <p>The devices' I/O memory (registers, aperture: frames of kind {@link PhysicalMemory#DEVICE}) is
 * mapped with its cache attribute by {@code IoMemory}; the owned-pages driver domain is
 * {@code OwnedPages}, the wild writes' bookkeeping {@code WildWrites}, the counters {@code DmaCounters}.
 */
public final class DmaMechanism implements KernelMechanism {
    /** Victims of a landed wild write, in counter order. */
    public static final List<String> VICTIMS = List.of("kernel", "pageTable", "otherProcess", "own", "free", "device");

    private final String mode;
    // the mode, decided once (the checks below run per request)
    private final boolean ownedPages;
    private final boolean deferred;
    private final boolean strict;
    private MechanismServices services;
    private PhysicalMemory memory;
    private PageTables tables;
    private Iommu iommu;
    private boolean sasos;
    private OwnedPages owned; // owned-pages: the driver's domain
    private final Map<Integer, DeviceState> devices = new HashMap<>();
    private final IoMemory ioMemory = new IoMemory();
    private long nextHandle = 1;
    private IntConsumer touchListener = f -> { };
    // what a request allocates, kept for the next: the steady state allocates nothing per request
    private final Pool<Mapping> freeMappings = new Pool<>(Mapping::new);
    private final Pool<Request> freeRequests = new Pool<>(Request::new);
    private final Pool<Withdrawn> freeWithdrawn = new Pool<>(Withdrawn::new);
    private WildListener wildListener = (kind, time, caught, victim) -> { };

    private DmaCounters counters;
    private WildWrites wildWrites;

    /** Told of every wild write's outcome (tests, tools): {@code victim} is null when caught. */
    @FunctionalInterface
    public interface WildListener {
        void wildWrite(String kind, long time, boolean caught, String victim);
    }

    public DmaMechanism(String mode) {
        if (!DmaProvider.MODES.contains(mode)) {
            throw new IllegalArgumentException("kernel.dma mode " + mode + " is no DMA mechanism");
        }
        this.mode = mode;
        this.ownedPages = mode.equals(DmaConfig.OWNED_PAGES);
        this.deferred = mode.equals(DmaConfig.IOMMU_DEFERRED);
        this.strict = mode.equals(DmaConfig.IOMMU_STRICT);
    }

    @Override
    public String name() {
        return "dma/" + mode;
    }

    public String mode() {
        return mode;
    }

    /** The IOMMU (the NIC's domain is the first attached device's), or null in the modes without one. */
    public Iommu iommu() {
        return iommu;
    }

    /** {@code listener} is told of the frame of every access the driver makes to a buffer page. */
    public void onDriverTouch(IntConsumer listener) {
        this.touchListener = listener;
    }

    public void onWildWrite(WildListener listener) {
        this.wildListener = listener;
        if (wildWrites != null) {
            wildWrites.listener(listener);
        }
    }

    private boolean usesIommu() {
        return strict || deferred;
    }

    @Override
    public void boot(MechanismServices s) {
        this.services = s;
        this.memory = s.memory();
        this.tables = s.pageTables();
        this.sasos = ModelName.SASOS.json().equals(s.config().model().name());
        this.counters = new DmaCounters(s, ioMemory.aliases());
        ioMemory.boot(s, this);
        this.wildWrites = new WildWrites(memory, counters);
        wildWrites.listener(wildListener);
        if (usesIommu()) {
            iommu = s.iommu();
        }
        if (ownedPages) {
            owned = new OwnedPages(s, sasos, this);
        }
    }

    // ------------------------------------------------------------------ devices

    private DeviceState device(DmaDevice d, Cpu cpu) {
        DeviceState s = devices.get(d.id());
        if (s == null) {
            s = new DeviceState(d, cpu, services, memory, iommu);
            devices.put(d.id(), s);
        }
        return s;
    }

    /**
     * One transfer: its device event. Pooled like the mappings: {@link #transfer} takes one from
     * {@link #freeRequests} and sets every field, {@link #complete} puts it back once it has fired.
     */
    final class Request extends Event {
        Task task;
        DeviceState dev;
        Mapping m;
        int wildKind;
        long wildTarget;
        long issued;

        Request() {
            super(Priority.DEVICE, "dma.transfer");
        }

        Request set(Task task, DeviceState dev, Mapping m, int wildKind, long wildTarget, long issued) {
            this.task = task;
            this.dev = dev;
            this.m = m;
            this.wildKind = wildKind;
            this.wildTarget = wildTarget;
            this.issued = issued;
            return this;
        }

        @Override
        public void fire() {
            complete(this);
        }
    }

    /** {@code m} goes back to the free list once it is unmapped and no transfer on it is left to complete. */
    private void recycle(Mapping m) {
        if (!m.mapped && m.transfers == 0) {
            freeMappings.give(m);
        }
    }

    // ------------------------------------------------------------------ system calls

    @Override
    public Set<Class<? extends Op.MechanismOp>> ops() {
        return Set.of(DmaOps.DmaMap.class, DmaOps.DmaTransfer.class, DmaOps.DmaUnmap.class, DmaOps.MapRegion.class);
    }

    @Override
    public void syscall(Cpu cpu, Task task, Op.MechanismOp op) {
        if (op instanceof DmaOps.DmaMap m) {
            services.complete(task, map(cpu, task, m));
        } else if (op instanceof DmaOps.DmaTransfer t) {
            transfer(cpu, task, t);
        } else if (op instanceof DmaOps.DmaUnmap u) {
            unmap(cpu, task, u);
        } else if (op instanceof DmaOps.MapRegion r) {
            ioMemory.mapRegion(cpu, task, device(r.device(), cpu), r);
        } else {
            throw new IllegalStateException(name() + " does not run " + op);
        }
    }

    private long map(Cpu cpu, Task task, DmaOps.DmaMap op) {
        DeviceState dev = device(op.device(), cpu);
        Mm mm = task.vas() != null ? task.vas() : task.process().mm();
        long first = op.va() & ~4095L;
        int pages = (int) ((op.va() + op.bytes() - first + 4095) >>> 12);
        Mapping m = freeMappings.take().reset(mm.id(), pages, op.toDevice());
        int[] frames = m.frames;
        for (int p = 0; p < pages; p++) {
            long pte = tables.lookup(mm, first + p * 4096L);
            if (!Pte.present(pte)) {
                m.mapped = false;
                recycle(m);
                return DmaOps.EFAULT;
            }
            frames[p] = (int) Pte.frame(pte);
        }
        long cycles = 0;
        switch (mode) {
            case DmaConfig.SHARED_POOL -> {
                // dma-direct: the bus address is the physical one; nothing to write, only the pin
                for (int p = 0; p < pages; p++) {
                    memory.retain(frames[p]);
                }
                m.bus = nextHandle++ << 32;
            }
            case DmaConfig.IOMMU_STRICT, DmaConfig.IOMMU_DEFERRED -> {
                long pfn = iommu.iova(dev.domain).alloc(cpu.id(), pages);
                cycles += iommu.iova(dev.domain).lastCycles();
                for (int p = 0; p < pages; p++) {
                    memory.retain(frames[p]);
                    cycles += iommu.map(dev.domain, (pfn + p) << 12, frames[p], !op.toDevice(), PageTables.KERNEL_OWNER);
                }
                m.bus = pfn << 12;
            }
            case DmaConfig.OWNED_PAGES -> {
                m.bus = nextHandle++ << 32;
                cycles += owned.expose(cpu, mm, first, m);
            }
            default -> throw new IllegalStateException("mode " + mode);
        }
        services.charge(cpu, CycleCategory.SYSCALL, cycles);
        counters.mapLatency.record(cycles);
        Mapping twice = dev.mappings.put(m.bus, m);
        if (twice != null) {
            throw new IllegalStateException(name() + ": bus address 0x" + Long.toHexString(m.bus)
                    + " handed out twice (to mm " + twice.owner + " and mm " + m.owner + ")");
        }
        return m.bus | (op.va() & 4095L);
    }

    private void transfer(Cpu cpu, Task task, DmaOps.DmaTransfer op) {
        DeviceState dev = device(op.device(), cpu);
        Mapping m = dev.mappings.get(op.handle() & ~4095L);
        if (m == null) {
            throw new IllegalStateException(task + " started a transfer on unmapped handle 0x" + Long.toHexString(op.handle()));
        }
        Request r = freeRequests.take().set(task, dev, m, op.wild(), op.wildTarget(), Math.max(services.now(), cpu.clock()));
        m.transfers++;
        services.block(task);
        if (dev.inFlight == dev.device.ringEntries()) {
            counters.ringWaits.increment();
            dev.waiting.add(r);
            return;
        }
        start(r, r.issued);
    }

    private void start(Request r, long now) {
        DeviceState dev = r.dev;
        dev.inFlight++;
        long b = r.m.pages * 4096L;
        long begin = Math.max(now, dev.busyUntil);
        dev.busyUntil = begin + dev.device.transferCycles(b);
        services.scheduleAt(r, dev.busyUntil + dev.device.setupCycles());
    }

    /** The device has moved the data: translate each page, write the descriptor's status, complete. */
    private void complete(Request r) {
        long now = r.time();
        DeviceState dev = r.dev;
        Mapping m = r.m;
        deviceAccess(dev, dev.ringBus + (dev.slot++ % 256) * 16L, false, now); // fetch descriptor
        for (int p = 0; p < m.pages; p++) {
            deviceAccess(dev, m.bus + p * 4096L, !m.toDevice, now);
        }
        deviceAccess(dev, dev.ringBus, true, now); // completion status
        // the driver reads the completion and writes the buffer's status word: its one access to the buffer
        driverTouch(m, 0);
        if (r.wildKind == DmaOps.WILD_RANDOM_ADDRESS) {
            wildDevice(dev, r.wildTarget, now, m.owner);
        } else if (r.wildKind == DmaOps.WILD_DRIVER_OUTSIDE) {
            wildDriver(r.wildTarget, now, m.owner);
        }
        counters.requests.increment();
        counters.bytes.add(m.pages * 4096L);
        counters.requestLatency.record(now - r.issued);
        dev.inFlight--;
        Task task = r.task;
        m.transfers--;
        r.set(null, null, null, DmaOps.WILD_NONE, 0, 0); // nothing of this request stays reachable from the pool
        freeRequests.give(r);
        recycle(m);
        services.complete(task, 0);
        services.wake(task, now);
        if (!dev.waiting.isEmpty()) {
            start(dev.waiting.poll(), now);
        }
    }

    /** A device's access to bus address {@code bus}: the frame it reaches, or -1 if the IOMMU refused. */
    private long deviceAccess(DeviceState dev, long bus, boolean write, long now) {
        if (iommu != null) {
            long f = iommu.dma(dev.device.id(), bus, write, now);
            return f == Iommu.FAULT ? -1 : f;
        }
        Mapping m = dev.mappings.get(bus & ~((1L << 32) - 1));
        if (m != null) {
            return m.frames[(int) ((bus >>> 12) & 0xfffff)];
        }
        return bus >>> 12; // a physical address
    }

    private void driverTouch(Mapping m, int page) {
        counters.touches.increment();
        if (ownedPages) {
            long f = owned.driverFrame(m.driverVa + page * 4096L);
            if (f < 0) {
                throw new IllegalStateException("the driver touched a buffer page not exposed to it");
            }
            touchListener.accept((int) f);
        } else {
            touchListener.accept(m.frames[page]);
        }
    }

    // ------------------------------------------------------------------ wild writes

    /** The device writes a random bus address (target: a random 64-bit draw). */
    private void wildDevice(DeviceState dev, long target, long now, int requester) {
        counters.wild.increment();
        counters.wildRandom.increment();
        long f;
        if (iommu != null) {
            int bits = iommu.config().iova().addressBits();
            f = deviceAccess(dev, (target >>> (64 - bits)) & ~4095L, true, now);
        } else {
            f = wildWrites.randomFrame(target); // every physical address reaches memory
        }
        wildWrites.outcome("randomAddress", now, f, requester);
    }

    /** The driver writes a random address of what it can address (target: a random 64-bit draw). */
    private void wildDriver(long target, long now, int requester) {
        counters.wild.increment();
        counters.wildDriver.increment();
        // owned-pages: what its own domain reaches; otherwise the kernel's direct map reaches every frame
        long f = ownedPages ? owned.wildFrame(target) : wildWrites.randomFrame(target);
        wildWrites.outcome("driverOutside", now, f, requester);
    }

    /** A use after unmap at its time: through the IOMMU where there is one, else to the physical frame kept. */
    private void lateWrite(long now, int device, long bus, long physical, int requester) {
        long f = iommu != null ? deviceAccess(devices.get(device), bus, true, now) : physical;
        wildWrites.outcome("useAfterUnmap", now, f, requester);
    }

    // ------------------------------------------------------------------ unmap

    private void unmap(Cpu cpu, Task task, DmaOps.DmaUnmap op) {
        DeviceState dev = device(op.device(), cpu);
        Mapping m = dev.mappings.remove(op.handle() & ~4095L);
        if (m == null) {
            throw new IllegalStateException(task + " unmapped handle 0x" + Long.toHexString(op.handle())
                    + ", which is not mapped");
        }
        m.mapped = false;
        long now = Math.max(services.now(), cpu.clock());
        int pages = m.pages;
        long cycles = 0;
        switch (mode) {
            case DmaConfig.SHARED_POOL -> {
            }
            case DmaConfig.IOMMU_STRICT -> cycles += iommu.unmapStrict(dev.domain, cpu.id(), m.bus >>> 12, pages, now);
            case DmaConfig.IOMMU_DEFERRED -> cycles += iommu.flushQueue(dev.domain).unmap(cpu.id(), m.bus >>> 12, pages, now);
            case DmaConfig.OWNED_PAGES -> {
                if (!sasos) {
                    withdraw(cpu, task, m, op, now);
                    return;
                }
                cycles += owned.revoke(m);
            }
            default -> throw new IllegalStateException("mode " + mode);
        }
        services.charge(cpu, deferred ? CycleCategory.SYSCALL : CycleCategory.FLUSH, cycles);
        counters.unmapLatency.record(cycles);
        finishUnmap(m, dev, op.lateWriteCycles(), now + cycles);
        services.complete(task, 0);
    }

    /**
     * owned-pages, per-process models: the driver's entries for the pages go, with a shootdown,
     * before the pages go back to their owner and the call returns.
     */
    private void withdraw(Cpu cpu, Task task, Mapping m, DmaOps.DmaUnmap op, long now) {
        Withdrawn w = freeWithdrawn.take();
        w.cpu = cpu;
        w.task = task;
        w.m = m;
        w.dev = devices.get(op.device().id());
        w.lateWriteCycles = op.lateWriteCycles(); // the caller may set its op again before the shootdown ends
        w.before = cpu.clock();
        w.now = now;
        owned.withdraw(cpu, m, w);
    }

    /**
     * The rest of an owned-pages unmap, once its shootdown is over: taken from a free list per
     * unmap, every field set, and back on it before the call returns to the task (which may unmap
     * again at once).
     */
    private final class Withdrawn implements Runnable {
        Cpu cpu;
        Task task;
        Mapping m;
        DeviceState dev;
        long lateWriteCycles;
        long before;
        long now;

        @Override
        public void run() {
            Cpu cpu = this.cpu;
            Task task = this.task;
            Mapping m = this.m;
            DeviceState dev = this.dev;
            long lateWriteCycles = this.lateWriteCycles;
            long before = this.before;
            long now = this.now;
            this.cpu = null;
            this.task = null;
            this.m = null;
            this.dev = null;
            freeWithdrawn.give(this);
            counters.unmapLatency.record(Math.max(0, cpu.clock() - before));
            finishUnmap(m, dev, lateWriteCycles, Math.max(now, cpu.clock()));
            services.complete(task, 0);
        }
    }

    /** The pins go and a late write is scheduled; then {@code m} may be used for the next map. */
    private void finishUnmap(Mapping m, DeviceState dev, long lateWriteCycles, long returned) {
        if (!ownedPages || sasos) {
            for (int p = 0; p < m.pages; p++) {
                memory.release(m.frames[p]); // the pin of dma_map
            }
        }
        if (lateWriteCycles >= 0) {
            counters.wild.increment();
            counters.wildLate.increment();
            long physical = m.frames[0]; // without an IOMMU the device kept the physical address
            long due = returned + lateWriteCycles;
            int device = dev.device.id();
            long bus = m.bus;
            int owner = m.owner; // copied: m is reused before the write is due
            // one event per late write: they are rare, and their times interleave
            services.scheduleAt(Event.of(Priority.DEVICE, "dma.lateWrite",
                    () -> lateWrite(due, device, bus, physical, owner)), due);
        }
        recycle(m);
    }

    // ------------------------------------------------------------------ I/O memory: IoMemory

    @Override
    public boolean fault(Cpu cpu, Task task, Mm mm, Vma vma, long va, int access) {
        return false; // I/O memory is mapped whole at once, and the driver reaches only what was exposed
    }

    @Override
    public void pteChanged(Mm mm, long va, long oldPte, long newPte, PteChange change) {
        ioMemory.pteChanged(oldPte, newPte);
    }
}
