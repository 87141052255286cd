package org.protsim.os.mechanism.proxy;

import org.protsim.core.Event;
import org.protsim.core.Priority;
import org.protsim.core.config.ProxyConfig;
import org.protsim.core.stats.Counter;
import org.protsim.core.stats.LatencyRecorder;
import org.protsim.core.stats.Stats;
import org.protsim.hw.Cpu;
import org.protsim.hw.CycleCategory;
import org.protsim.hw.PhysicalMemory;
import org.protsim.hw.Pte;
import org.protsim.os.KernelMechanism;
import org.protsim.os.MechanismServices;
import org.protsim.os.MemObject;
import org.protsim.os.Mm;
import org.protsim.os.Op;
import org.protsim.os.Task;
import org.protsim.os.Vma;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Proxy memory objects (docs/sources.md [002]: Thomas Bushnell's two designs for the Hurd's
 * {@code memory_object_create_proxy}). A proxy ties a real memory object to a maximum
 * protection and a range of its bytes; a client holding only the proxy can map no more.
 *
 * <ul>
 * <li>{@code map-time} ("the traditional version is trivial"): {@link ProxyOps.MapProxy}
 * validates the request and installs a normal mapping of the real object, its maximum
 * protection capped at the proxy's, so mprotect can only lower it. The kernel pages it as any
 * file mapping: after the map, a proxy mapping costs exactly what a direct one does.</li>
 * <li>{@code pager} ("the better version is trickier"): the proxy is a memory object of its own
 * whose pager is the kernel, this mechanism. Each first fault on a page of the proxy is
 * validated and forwarded to the real object's pager, a message round trip
 * ({@code forwardCycles}) during which the faulting task is blocked; the answer arrives as an
 * event. With {@code shareFrames} the returned page is attached to both objects (one frame,
 * {@code shareCycles} of bookkeeping); without, it is copied into a frame of the proxy's own
 * (held twice, read in twice: double paging).</li>
 * </ul>
 *
 * Under sasos the rights a domain has over a range are its PLB entries, refilled from the VMA:
 * a proxy mapping's capped rights are the domain's rights, so the same mechanism caps the PLB.
 */
public final class ProxyMechanism implements KernelMechanism {
    /** One proxy: the real object, its cap and its page range, and in pager mode its own object and frames. */
    private static final class Proxy {
        final MemObject real;
        final int maxProt;
        final long firstPage;
        final long endPage;
        /** Pager mode: the proxy as a memory object, and the frame it holds per page of its range (0: none yet). */
        MemObject object;
        int[] frames;

        Proxy(MemObject real, int maxProt, long firstPage, long endPage) {
            this.real = real;
            this.maxProt = maxProt;
            this.firstPage = firstPage;
            this.endPage = endPage;
        }
    }

    private final ProxyConfig config;
    private final boolean pager;
    private MechanismServices services;
    private final List<Proxy> proxies = new ArrayList<>();
    /** Pager mode: the proxy by its own object's id. */
    private final java.util.Map<Integer, Proxy> byObject = new java.util.HashMap<>();
    private Counter created;
    private Counter maps;
    private Counter mapsRefused;
    private Counter forwarded;
    private Counter pageIns;
    private long heldTwice;
    private long heldTwicePeak;
    private LatencyRecorder faultLatency;

    public ProxyMechanism(ProxyConfig config) {
        if (!config.mode().equals(ProxyConfig.MAP_TIME) && !config.mode().equals(ProxyConfig.PAGER)) {
            throw new IllegalArgumentException("kernel.proxy mode " + config.mode() + " is no proxy mechanism");
        }
        this.config = config;
        this.pager = config.mode().equals(ProxyConfig.PAGER);
    }

    @Override
    public String name() {
        return "proxy/" + config.mode();
    }

    @Override
    public void boot(MechanismServices s) {
        this.services = s;
        Stats stats = s.stats();
        created = stats.counter("proxy.created", "proxies", "proxy memory objects created");
        maps = stats.counter("proxy.maps", "maps", "mappings of a proxy installed");
        mapsRefused = stats.counter("proxy.mapsRefused", "maps",
                "mappings of a proxy refused: outside its range or above its maximum protection");
        forwarded = stats.counter("proxy.forwardedRequests", "requests",
                "page requests on a proxy forwarded to the real object's pager (pager mode)");
        pageIns = stats.counter("proxy.pageIns", "pages",
                "pages read into a memory object to serve a proxy fault: the real object's, and the proxy's copy");
        stats.counter("proxy.framesHeldTwice", "frames",
                "peak frames a proxy holds as a copy of a page the real object also holds (pager, no shareFrames)",
                () -> heldTwicePeak);
        faultLatency = stats.histogram("proxy.faultLatency", "cycles",
                "fault on a proxy mapping: from the fault to the page mapped (pager mode)");
    }

    @Override
    public Set<Class<? extends Op.MechanismOp>> ops() {
        return Set.of(ProxyOps.CreateProxy.class, ProxyOps.MapProxy.class);
    }

    @Override
    public void syscall(Cpu cpu, Task task, Op.MechanismOp op) {
        if (op instanceof ProxyOps.CreateProxy c) {
            services.complete(task, create(c));
        } else if (op instanceof ProxyOps.MapProxy m) {
            services.complete(task, map(task, m));
        } else {
            throw new IllegalStateException(name() + " does not run " + op);
        }
    }

    private long create(ProxyOps.CreateProxy c) {
        long lo = c.rangeLower();
        long hi = c.rangeUpper();
        if (c.object() == null || lo < 0 || hi <= lo || (lo & 4095) != 0 || (hi & 4095) != 0
                || hi / 4096 > c.object().pages() || (c.maxProt() & ~(Vma.READ | Vma.WRITE | Vma.EXEC)) != 0) {
            return ProxyOps.INVALID;
        }
        Proxy p = new Proxy(c.object(), c.maxProt(), lo / 4096, hi / 4096);
        if (pager) {
            p.object = services.newObject(c.object().name() + ".proxy" + (proxies.size() + 1), p.endPage - p.firstPage);
            p.frames = new int[(int) (p.endPage - p.firstPage)];
            byObject.put(p.object.id(), p);
        }
        proxies.add(p);
        created.increment();
        return proxies.size();
    }

    /** vm_map of a proxy: validated against its range and cap, then a mapping capped at the proxy's rights. */
    private long map(Task task, ProxyOps.MapProxy m) {
        if (m.proxy() < 1 || m.proxy() > proxies.size()) {
            mapsRefused.increment();
            return ProxyOps.INVALID;
        }
        Proxy p = proxies.get(m.proxy() - 1);
        long length = (m.length() + 4095) & ~4095L;
        if (m.offset() < 0 || (m.offset() & 4095) != 0 || length <= 0 || m.offset() / 4096 < p.firstPage
                || (m.offset() + length) / 4096 > p.endPage) {
            mapsRefused.increment();
            return ProxyOps.INVALID;
        }
        if ((m.prot() & ~p.maxProt) != 0) {
            mapsRefused.increment();
            return ProxyOps.DENIED;
        }
        Mm mm = task.process().mm();
        Vma v;
        if (pager) {
            long addr = services.place(mm, p.object, length);
            v = services.newObjectVma(addr, addr + length, m.prot(), p.maxProt, Vma.SHARED, p.object,
                    m.offset() / 4096 - p.firstPage);
            services.map(mm, v, this);
        } else {
            long addr = services.place(mm, p.real, length);
            v = services.newObjectVma(addr, addr + length, m.prot(), p.maxProt, Vma.SHARED, p.real,
                    m.offset() / 4096);
            services.map(mm, v, null); // a normal mapping of the real object: the kernel pages it
        }
        maps.increment();
        return v.start();
    }

    /** Pager mode: a fault on a proxy mapping, validated, then served from the proxy or forwarded to the real pager. */
    @Override
    public boolean fault(Cpu cpu, Task task, Mm mm, Vma vma, long va, int access) {
        Proxy p = byObject.get(vma.object().id());
        int need = access == Cpu.WRITE ? Vma.WRITE : access == Cpu.EXECUTE ? Vma.EXEC : Vma.READ;
        long slot = vma.objectPage(va);
        if (p == null || (need & p.maxProt) == 0 || slot < 0 || slot >= p.frames.length) {
            return false; // the kernel as pager errors the request back
        }
        long start = cpu.clock();
        int frame = p.frames[(int) slot];
        if (frame != 0) {
            install(cpu, mm, vma, va, frame); // the proxy holds the page already: no request to forward
            return true;
        }
        forwarded.increment();
        services.charge(cpu, CycleCategory.FAULT, config.forwardCycles());
        int real = services.pageIn(cpu, p.real, p.firstPage + slot);
        if (real < 0) {
            real = -real;
            pageIns.increment();
        }
        if (config.shareFrames()) {
            services.charge(cpu, CycleCategory.FAULT, config.shareCycles());
            frame = real;
            services.memory().retain(frame); // the proxy object's hold on the shared page
        } else {
            frame = services.memory().allocate(PhysicalMemory.DATA, -p.object.id());
            services.chargeCopy(cpu, 1);
            pageIns.increment();
            heldTwicePeak = Math.max(heldTwicePeak, ++heldTwice);
        }
        p.frames[(int) slot] = frame;
        int answer = frame;
        services.block(task);
        long arrives = cpu.clock();
        // the real pager's answer: the page is mapped and the task runs the reference again
        Event reply = Event.of(Priority.DEVICE, "proxy.reply", () -> {
            if (task.state() == Task.State.EXITED || mm.dead()) {
                return; // killed while it waited (a sibling's exit_group): the proxy keeps the page
            }
            install(cpu, mm, vma, va, answer);
            faultLatency.record(arrives - start);
            services.wake(task, arrives);
        });
        services.scheduleAt(reply, Math.max(services.now(), arrives));
        return true;
    }

    private void install(Cpu cpu, Mm mm, Vma vma, long va, int frame) {
        long flags = Pte.USER | ((vma.prot() & Vma.EXEC) == 0 ? Pte.NO_EXECUTE : 0)
                | ((vma.prot() & Vma.WRITE) != 0 ? Pte.WRITABLE : 0) | services.pteBits(mm, vma);
        services.memory().retain(frame);
        services.pageTables().install(cpu, mm, va, Pte.of(frame, flags));
        services.addResident(mm, 1);
    }
}
