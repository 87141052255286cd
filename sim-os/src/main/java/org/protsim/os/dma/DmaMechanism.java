package org.protsim.os.dma;

import org.protsim.core.Event;
import org.protsim.core.Priority;
import org.protsim.core.config.DmaConfig;
import org.protsim.core.config.ModelName;
import org.protsim.core.stats.Counter;
import org.protsim.core.stats.LatencyRecorder;
import org.protsim.core.stats.Stats;
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

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
 * <p>The devices' I/O memory (registers, aperture) are frames of kind {@link PhysicalMemory#DEVICE},
 * mapped with their cache attribute through {@link PageTables#installChecked}, so a page-attribute
 * mechanism can refuse a conflicting alias; the aliases that are made are counted
 * ({@link AttributeAliases}), and the stale reads they cause are the caches'.
 */
public final class DmaMechanism implements KernelMechanism {
    /** Where a mechanism-chosen mapping of I/O memory goes in a user address space. */
    static final long REGION_BASE = 0x5f00_0000_0000L;
    /** The driver's address space window (owned-pages, per-process models) for exposed pages. */
    static final long DRIVER_BASE = 0x4000_0000_0000L;
    static final long DRIVER_WINDOW = 1L << 36;
    /** The driver's own state: pages of its space that are its own (owned-pages). */
    static final int DRIVER_STATE_PAGES = 16;

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
    private Mm driverMm;
    private Vma driverVma;
    private long driverNext = DRIVER_BASE + DRIVER_STATE_PAGES * 4096L;
    private final Map<Integer, ArrayDeque<Long>> driverFree = new HashMap<>();
    private final TreeMap<Long, long[]> grants = new TreeMap<>(); // sasos: hw start -> {end, frames...}
    private final Map<Integer, DeviceState> devices = new HashMap<>();
    private final Map<Mm, Long> regionNext = new HashMap<>();
    private final AttributeAliases aliases = new AttributeAliases();
    private long nextHandle = 1;
    private IntConsumer touchListener = f -> { };
    private WildListener wildListener = (kind, time, caught, victim) -> { };

    private Counter requests;
    private Counter bytes;
    private Counter wild;
    private Counter caught;
    private Counter[] landed;
    private Counter wildRandom;
    private Counter wildLate;
    private Counter wildDriver;
    private Counter ringWaits;
    private Counter touches;
    private LatencyRecorder mapLatency;
    private LatencyRecorder unmapLatency;
    private LatencyRecorder requestLatency;

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
        Stats st = s.stats();
        requests = st.counter("dma.requests", "requests", "DMA requests completed");
        bytes = st.counter("dma.bytes", "bytes", "bytes the devices transferred");
        wild = st.counter("dma.wildWrites", "writes", "wild writes by a faulty device or driver");
        caught = st.counter("dma.wildWrites.caught", "writes", "wild writes stopped by an IOMMU or protection fault");
        landed = new Counter[VICTIMS.size()];
        for (int i = 0; i < landed.length; i++) {
            landed[i] = st.counter("dma.wildWrites.landed." + VICTIMS.get(i), "writes",
                    "wild writes that landed on a frame of kind " + VICTIMS.get(i));
        }
        wildRandom = st.counter("dma.wildWrites.randomAddress", "writes", "device writes to a random bus address");
        wildLate = st.counter("dma.wildWrites.useAfterUnmap", "writes", "device writes to a buffer after its unmap");
        wildDriver = st.counter("dma.wildWrites.driverOutside", "writes", "driver writes outside its buffers and state");
        ringWaits = st.counter("dma.ringFullWaits", "requests", "requests that waited for a free descriptor");
        touches = st.counter("dma.driver.touches", "accesses", "the driver's accesses to buffer pages (completion status)");
        mapLatency = st.histogram("dma.map.latency", "cycles", "CPU cycles of one dmaMap");
        unmapLatency = st.histogram("dma.unmap.latency", "cycles", "CPU cycles of one dmaUnmap");
        requestLatency = st.histogram("dma.request.latency", "cycles", "from dmaTransfer to its completion");
        st.counter("pat.aliasesUndetected", "mappings",
                "mappings of a frame with a cache attribute other than its other mappings' (or RAM not write-back) that were made",
                aliases::undetected);
        st.counter("pat.staleReads", "accesses", "uncached reads of a line a write-back alias left in a cache", () -> {
            long n = 0;
            for (int i = 0; i < s.cpuCount(); i++) {
                n += s.cpu(i).caches().staleReads();
            }
            return n;
        });
        double perSecond = s.config().machine().cyclesPerNs() * 1e9;
        st.derived("dma.requestsPerSecond", "requests/s", "DMA requests completed per simulated second",
                sum -> sum.counters().get("simulatedCycles") == 0 ? Double.NaN
                        : sum.counter("dma.requests") * perSecond / sum.counter("simulatedCycles"));
        for (CycleCategory c : CycleCategory.values()) {
            st.derived("dma.cyclesPerRequest." + c.json(), "cycles", "CPU cycles of " + c.json() + " per DMA request",
                    sum -> sum.counter("dma.requests") == 0 ? Double.NaN
                            : (double) sum.cycles().get(c.json()) / sum.counter("dma.requests"));
        }
        if (usesIommu()) {
            iommu = s.iommu();
        }
        if (ownedPages && !sasos) {
            driverMm = s.newMm();
            driverVma = s.newVma(DRIVER_BASE, DRIVER_BASE + DRIVER_WINDOW, Vma.READ | Vma.WRITE, Vma.SHARED);
            s.map(driverMm, driverVma, this);
        }
    }

    // ------------------------------------------------------------------ devices

    /** What the kernel keeps of one device. */
    private final class DeviceState {
        final DmaDevice device;
        final int domain;
        final int ringFrame;
        final long ringBus;
        final int[][] regionFrames = new int[2][];
        long busyUntil;
        int inFlight;
        int slot;
        final ArrayDeque<Request> waiting = new ArrayDeque<>();
        /** Its buffers mapped now, by bus address (each device has its own IOVA space). */
        final Map<Long, Mapping> mappings = new HashMap<>();

        DeviceState(DmaDevice d, Cpu cpu) {
            this.device = d;
            this.ringFrame = memory.allocate(PhysicalMemory.KERNEL, PageTables.KERNEL_OWNER);
            if (iommu != null) {
                domain = iommu.attachToNewDomain(d.id(), PageTables.KERNEL_OWNER);
                long pfn = iommu.iova(domain).alloc(cpu.id(), 1);
                iommu.map(domain, pfn << 12, ringFrame, true, PageTables.KERNEL_OWNER);
                iommu.flushQueue(domain).setListener((dom, time, cycles, byTimer) ->
                        services.charge(services.cpu(0), CycleCategory.FLUSH, cycles));
                ringBus = pfn << 12;
            } else {
                domain = -1;
                ringBus = (long) ringFrame << 12;
            }
            regionFrames[DmaOps.REGISTERS] = deviceFrames(d.registerPages());
            regionFrames[DmaOps.APERTURE] = deviceFrames(d.aperturePages());
        }
    }

    private int[] deviceFrames(int pages) {
        int[] f = new int[pages];
        for (int i = 0; i < pages; i++) {
            f[i] = memory.allocate(PhysicalMemory.DEVICE, PageTables.KERNEL_OWNER);
        }
        return f;
    }

    private DeviceState device(DmaDevice d, Cpu cpu) {
        DeviceState s = devices.get(d.id());
        if (s == null) {
            s = new DeviceState(d, cpu);
            devices.put(d.id(), s);
        }
        return s;
    }

    /** One buffer mapped for DMA. */
    private static final class Mapping {
        final int owner;
        final int[] frames;
        final boolean toDevice;
        long bus;       // what the device uses: IOVA, or (shared-pool, owned-pages) a handle over physical frames
        long driverVa;  // owned-pages: where the driver's space has it (per-process models), or its hw address (sasos)

        Mapping(int owner, int[] frames, boolean toDevice) {
            this.owner = owner;
            this.frames = frames;
            this.toDevice = toDevice;
        }
    }

    /** One transfer: its device event. */
    private final class Request extends Event {
        final Task task;
        final DeviceState dev;
        final Mapping m;
        final int wildKind;
        final long wildTarget;
        long issued;

        Request(Task task, DeviceState dev, Mapping m, int wildKind, long wildTarget) {
            super(Priority.DEVICE, "dma.transfer");
            this.task = task;
            this.dev = dev;
            this.m = m;
            this.wildKind = wildKind;
            this.wildTarget = wildTarget;
        }

        @Override
        public void fire() {
            complete(this);
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
            mapRegion(cpu, task, r);
        } else {
            throw new IllegalStateException(name() + " does not run " + op);
        }
    }

    private long map(Cpu cpu, Task task, DmaOps.DmaMap op) {
        DeviceState dev = device(op.device(), cpu);
        Mm mm = task.vas() != null ? task.vas() : task.process().mm();
        long first = op.va() & ~4095L;
        int pages = (int) ((op.va() + op.bytes() - first + 4095) >>> 12);
        int[] frames = new int[pages];
        for (int p = 0; p < pages; p++) {
            long pte = tables.lookup(mm, first + p * 4096L);
            if (!Pte.present(pte)) {
                return DmaOps.EFAULT;
            }
            frames[p] = (int) Pte.frame(pte);
        }
        Mapping m = new Mapping(mm.id(), frames, op.toDevice());
        long cycles = 0;
        switch (mode) {
            case DmaConfig.SHARED_POOL -> {
                // dma-direct: the bus address is the physical one; nothing to write, only the pin
                for (int f : frames) {
                    memory.retain(f);
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
                cycles += expose(cpu, mm, first, m);
            }
            default -> throw new IllegalStateException("mode " + mode);
        }
        services.charge(cpu, CycleCategory.SYSCALL, cycles);
        mapLatency.record(cycles);
        Mapping twice = dev.mappings.put(m.bus, m);
        if (twice != null) {
            throw new IllegalStateException(name() + ": bus address 0x" + Long.toHexString(m.bus)
                    + " handed out twice (to mm " + twice.owner + " and mm " + m.owner + ")");
        }
        return m.bus | (op.va() & 4095L);
    }

    /** owned-pages: the owner's pages become reachable from the driver's domain. Returns CPU cycles. */
    private long expose(Cpu cpu, Mm owner, long va, Mapping m) {
        int pages = m.frames.length;
        if (sasos) {
            // one address names the page everywhere: the grant is a domain's right over the range (a PLB entry's worth)
            long start = owner.hw(va);
            long[] g = new long[1 + pages];
            g[0] = start + pages * 4096L;
            for (int p = 0; p < pages; p++) {
                g[1 + p] = m.frames[p];
                memory.retain(m.frames[p]);
            }
            grants.put(start, g);
            m.driverVa = start;
            return services.costs().pteCopyCycles() * (long) pages; // the protection-table entries written
        }
        ArrayDeque<Long> free = driverFree.get(pages);
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

    private void transfer(Cpu cpu, Task task, DmaOps.DmaTransfer op) {
        DeviceState dev = device(op.device(), cpu);
        Mapping m = dev.mappings.get(op.handle() & ~4095L);
        if (m == null) {
            throw new IllegalStateException(task + " started a transfer on unmapped handle 0x" + Long.toHexString(op.handle()));
        }
        Request r = new Request(task, dev, m, op.wild(), op.wildTarget());
        r.issued = Math.max(services.now(), cpu.clock());
        services.block(task);
        if (dev.inFlight == dev.device.ringEntries()) {
            ringWaits.increment();
            dev.waiting.add(r);
            return;
        }
        start(r, r.issued);
    }

    private void start(Request r, long now) {
        DeviceState dev = r.dev;
        dev.inFlight++;
        long b = r.m.frames.length * 4096L;
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
        for (int p = 0; p < m.frames.length; p++) {
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
        requests.increment();
        bytes.add(m.frames.length * 4096L);
        requestLatency.record(now - r.issued);
        dev.inFlight--;
        services.complete(r.task, 0);
        services.wake(r.task, now);
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
        touches.increment();
        if (ownedPages) {
            long f = driverFrame(m.driverVa + page * 4096L);
            if (f < 0) {
                throw new IllegalStateException("the driver touched a buffer page not exposed to it");
            }
            touchListener.accept((int) f);
        } else {
            touchListener.accept(m.frames[page]);
        }
    }

    /** owned-pages: the frame the driver's domain reaches at {@code addr}, or -1 (a protection fault). */
    private long driverFrame(long addr) {
        if (sasos) {
            Map.Entry<Long, long[]> e = grants.floorEntry(addr);
            if (e == null || addr >= e.getValue()[0]) {
                return -1;
            }
            return e.getValue()[1 + (int) ((addr - e.getKey()) >>> 12)];
        }
        long pte = tables.lookup(driverMm, addr);
        return Pte.present(pte) && Pte.writable(pte) ? Pte.frame(pte) : -1;
    }

    // ------------------------------------------------------------------ wild writes

    /** The device writes a random bus address (target: a random 64-bit draw). */
    private void wildDevice(DeviceState dev, long target, long now, int requester) {
        wild.increment();
        wildRandom.increment();
        long f;
        if (iommu != null) {
            int bits = iommu.config().iova().addressBits();
            f = deviceAccess(dev, (target >>> (64 - bits)) & ~4095L, true, now);
        } else {
            f = randomFrame(target); // every physical address reaches memory
        }
        outcome("randomAddress", now, f, requester);
    }

    /** The driver writes a random address of what it can address (target: a random 64-bit draw). */
    private void wildDriver(long target, long now, int requester) {
        wild.increment();
        wildDriver.increment();
        long f;
        if (ownedPages) {
            if (sasos) {
                // a random address of the single 57-bit address space, checked against the driver's grants
                f = driverFrame((target >>> 7) & ~4095L);
            } else {
                // a random page of its space beyond its own state, through its own page table
                long state = DRIVER_STATE_PAGES * 4096L;
                f = driverFrame(DRIVER_BASE + state + Long.remainderUnsigned(target, (DRIVER_WINDOW - state) >>> 12) * 4096L);
            }
        } else {
            // the kernel's direct map reaches every frame
            f = randomFrame(target);
        }
        outcome("driverOutside", now, f, requester);
    }

    private long randomFrame(long target) {
        long highest = Math.max(1, memory.framesTouched());
        return 1 + Long.remainderUnsigned(target, highest);
    }

    private void outcome(String kind, long now, long frame, int requester) {
        if (frame < 0) {
            caught.increment();
            wildListener.wildWrite(kind, now, true, null);
            return;
        }
        int v = victim((int) frame, requester);
        landed[v].increment();
        wildListener.wildWrite(kind, now, false, VICTIMS.get(v));
    }

    private int victim(int frame, int requester) {
        if (frame > memory.framesTouched()) {
            return VICTIMS.indexOf("free");
        }
        return switch (memory.kind(frame)) {
            case PhysicalMemory.FREE -> VICTIMS.indexOf("free");
            case PhysicalMemory.TABLE -> VICTIMS.indexOf("pageTable");
            case PhysicalMemory.KERNEL -> VICTIMS.indexOf("kernel");
            case PhysicalMemory.DEVICE -> VICTIMS.indexOf("device");
            default -> memory.owner(frame) == requester ? VICTIMS.indexOf("own") : VICTIMS.indexOf("otherProcess");
        };
    }

    /** A use after unmap at its time: through the IOMMU where there is one, else to the physical frame kept. */
    private void lateWrite(long now, int device, long bus, long physical, int requester) {
        long f = iommu != null ? deviceAccess(devices.get(device), bus, true, now) : physical;
        outcome("useAfterUnmap", now, f, requester);
    }

    // ------------------------------------------------------------------ unmap

    private void unmap(Cpu cpu, Task task, DmaOps.DmaUnmap op) {
        DeviceState dev = device(op.device(), cpu);
        Mapping m = dev.mappings.remove(op.handle() & ~4095L);
        if (m == null) {
            throw new IllegalStateException(task + " unmapped handle 0x" + Long.toHexString(op.handle())
                    + ", which is not mapped");
        }
        long now = Math.max(services.now(), cpu.clock());
        int pages = m.frames.length;
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
                // the grant goes; every PLB that may hold the driver's right over the range drops it
                grants.remove(m.driverVa);
                for (int i = 0; i < services.cpuCount(); i++) {
                    services.cpu(i).plb().flushRange(m.driverVa, m.driverVa + pages * 4096L);
                }
                cycles += (long) services.costs().flushPageCycles() * pages;
                if (services.cpuCount() > 1) {
                    // an IPI sent to each other CPU in turn (Interconnect), the last one's delivery and handler
                    cycles += services.costs().ipiSendCycles() * (services.cpuCount() - 1L)
                            + services.costs().ipiLatencyCycles() + services.costs().ipiHandlerCycles();
                }
            }
            default -> throw new IllegalStateException("mode " + mode);
        }
        services.charge(cpu, deferred ? CycleCategory.SYSCALL : CycleCategory.FLUSH, cycles);
        unmapLatency.record(cycles);
        finishUnmap(m, dev, op, now + cycles);
        services.complete(task, 0);
    }

    /**
     * owned-pages, per-process models: the driver's entries for the pages are cleared, the TLBs
     * that may hold them are shot down, and only then do the pages go back to their owner.
     */
    private void withdraw(Cpu cpu, Task task, Mapping m, DmaOps.DmaUnmap op, long now) {
        int pages = m.frames.length;
        long before = cpu.clock();
        DeviceState dev = devices.get(op.device().id());
        for (int p = 0; p < pages; p++) {
            tables.install(cpu, driverMm, m.driverVa + p * 4096L, 0);
        }
        services.addResident(driverMm, -pages);
        // the driver touched the pages on this CPU (its completion): its TLB entries go page by page
        services.charge(cpu, CycleCategory.FLUSH, (long) services.costs().flushPageCycles() * pages);
        services.shootDown(cpu, driverMm, m.driverVa, pages, () -> {
            unmapLatency.record(Math.max(0, cpu.clock() - before));
            for (int f : m.frames) {
                memory.release(f); // the driver's reference
            }
            driverFree.computeIfAbsent(pages, k -> new ArrayDeque<>()).add(m.driverVa);
            finishUnmap(m, dev, op, Math.max(now, cpu.clock()));
            services.complete(task, 0);
        });
    }

    private void finishUnmap(Mapping m, DeviceState dev, DmaOps.DmaUnmap op, long returned) {
        if (!ownedPages || sasos) {
            for (int f : m.frames) {
                memory.release(f); // the pin of dma_map
            }
        }
        if (op.lateWriteCycles() >= 0) {
            wild.increment();
            wildLate.increment();
            long physical = m.frames[0]; // without an IOMMU the device kept the physical address
            long due = returned + op.lateWriteCycles();
            int device = dev.device.id();
            // one event per late write: they are rare, and their times interleave
            services.scheduleAt(Event.of(Priority.DEVICE, "dma.lateWrite",
                    () -> lateWrite(due, device, m.bus, physical, m.owner)), due);
        }
    }

    // ------------------------------------------------------------------ I/O memory

    private void mapRegion(Cpu cpu, Task task, DmaOps.MapRegion op) {
        DeviceState dev = device(op.device(), cpu);
        int[] frames = dev.regionFrames[op.region()];
        if (op.firstPage() < 0 || op.pages() < 1 || op.firstPage() + op.pages() > frames.length) {
            throw new IllegalStateException("pages " + op.firstPage() + "+" + op.pages() + " of a region of " + frames.length);
        }
        Mm mm = task.vas() != null ? task.vas() : task.process().mm();
        long start = regionNext.getOrDefault(mm, REGION_BASE);
        long end = start + op.pages() * 4096L;
        regionNext.put(mm, end);
        Vma v = services.newVma(start, end, Vma.READ | Vma.WRITE, Vma.SHARED);
        services.map(mm, v, this);
        for (int p = 0; p < op.pages(); p++) {
            int f = frames[op.firstPage() + p];
            long pte = Pte.withAttribute(services.userPte(mm, v, f), op.attribute());
            memory.retain(f);
            if (!tables.installChecked(cpu, mm, start + p * 4096L, pte)) {
                memory.release(f);
                services.unmap(cpu, mm, start, end, () -> services.complete(task, DmaOps.EBUSY));
                return;
            }
            services.addResident(mm, 1);
        }
        services.complete(task, start);
    }

    @Override
    public boolean fault(Cpu cpu, Task task, Mm mm, Vma vma, long va, int access) {
        return false; // I/O memory is mapped whole at once, and the driver reaches only what was exposed
    }

    @Override
    public void pteChanged(Mm mm, long va, long oldPte, long newPte, PteChange change) {
        if (Pte.present(oldPte)) {
            int f = (int) Pte.frame(oldPte);
            aliases.unmapped(f, memory.kind(f) != PhysicalMemory.DEVICE, Pte.attribute(oldPte));
        }
        if (Pte.present(newPte)) {
            int f = (int) Pte.frame(newPte);
            aliases.mapped(f, memory.kind(f) != PhysicalMemory.DEVICE, Pte.attribute(newPte));
        }
    }
}
