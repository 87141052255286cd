package org.protsim.workloads;

import org.protsim.hw.Cpu;
import org.protsim.os.KernelMechanism;
import org.protsim.os.mechanism.ukva.AioOps;
import org.protsim.os.mechanism.ukva.Ring;
import org.protsim.os.mechanism.ukva.Ukva;
import org.protsim.core.InputError;
import org.protsim.core.Simulation;
import org.protsim.os.Image;
import org.protsim.os.Kernel;
import org.protsim.os.MemObject;
import org.protsim.os.Op;
import org.protsim.os.RefBuffer;
import org.protsim.os.TaskProgram;
import org.protsim.os.Vma;
import org.protsim.workloads.trace.StraceParser;
import org.protsim.workloads.trace.StraceTrace;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Replays a strace recording under the kernel (see {@link StraceConfig}). Each pid becomes a
 * task: clone/clone3 with CLONE_THREAD a thread of its process; fork, vfork and clone/clone3
 * without it a new process, sharing its parent's mm until it execs when CLONE_VM is set (as
 * vfork and posix_spawn do); execve replaces the image; mmap, munmap, mprotect, brk, mremap
 * and madvise(DONTNEED) act on the process's mm at the recorded addresses and lengths;
 * exit/exit_group end it. Between two calls a task makes references over its mapped regions,
 * the recorded time gap times {@code refsPerMicrosecond} (capped): half instruction fetches
 * from executable regions, half data references (30% writes where writable).
 *
 * <p>strace shows file descriptors, not files: a file mapping is identified by the length of
 * the first mapping made of its descriptor (ld.so maps a whole library first, then its
 * segments over it), so processes mapping the same library share its page cache. Executables
 * are placed just below the heap the recording shows after each execve.
 */
final class StraceReplay implements Workload {
    private static final int DATA_PAGES = 16;
    private static final int STACK_PAGES = 32;

    private final StraceConfig config;
    private StraceTrace trace;
    private Kernel kernel;
    private final Map<String, MemObject> executables = new TreeMap<>();
    private final Map<Long, MemObject> files = new TreeMap<>();
    private Simulation sim;
    private Ukva ukva;

    StraceReplay(StraceConfig config) {
        this.config = config;
    }

    @Override
    public void start(RunContext run) {
        try {
            trace = StraceParser.parse(config.path());
        } catch (InputError e) {
            throw new InputError(e.getMessage().startsWith(config.path()) ? e.getMessage()
                    : "workload.path: " + e.getMessage());
        }
        kernel = run.kernel();
        sim = run.simulation();
        for (KernelMechanism m : kernel.mechanisms()) {
            if (m instanceof Ukva u) {
                ukva = u;
            }
        }
        sim.stats().counter("trace.lines", "lines", "trace lines read", trace::lines);
        sim.stats().counter("trace.ignoredLines", "lines",
                "trace lines safely ignored (signals, calls without memory effect)", trace::ignoredLines);
        sim.stats().counter("trace.failedCalls", "calls", "recorded calls that failed (no effect replayed)",
                trace::failedCalls);
        Image boot = kernel.newImage("strace-root", 1, DATA_PAGES, STACK_PAGES);
        for (int root : trace.roots()) {
            View view = new View();
            view.layOut(boot);
            kernel.spawn(boot, new PidProgram(root, view, trace.of(root).isEmpty() ? 0 : trace.of(root).get(0).time()));
        }
    }

    /** What a process has mapped, as its program knows it: where references may go. */
    private static final class View {
        final TreeMap<Long, long[]> regions = new TreeMap<>(); // start -> {end, prot}
        final Map<Integer, MemObject> fds = new HashMap<>();
        /** Recorded aio context (ring address, or io_uring fd) to the replay's; not inherited by a fork. */
        final Map<Long, Long> aio = new HashMap<>();
        /** Threads of the process still replaying (an exit_group of a process doing aio waits for them). */
        int liveThreads;
        long brkStart;
        long brkEnd;

        View copy() {
            View v = new View();
            regions.forEach((k, r) -> v.regions.put(k, r.clone()));
            v.fds.putAll(fds);
            v.brkStart = brkStart;
            v.brkEnd = brkEnd;
            return v;
        }

        void layOut(Image image) {
            regions.clear();
            fds.clear();
            regions.put(image.textBase(), new long[]{image.textEnd(), Vma.READ | Vma.EXEC});
            regions.put(image.dataBase(), new long[]{image.heapBase(), Vma.READ | Vma.WRITE});
            regions.put(image.stackBase(), new long[]{Image.STACK_TOP, Vma.READ | Vma.WRITE});
            brkStart = image.heapBase();
            brkEnd = brkStart;
        }

        /** Removes [start, end), splitting regions that straddle it. */
        void remove(long start, long end) {
            Long k = regions.floorKey(start);
            List<Long> keys = new ArrayList<>(regions.subMap(k == null ? start : k, true, end, false).keySet());
            for (long key : keys) {
                long[] r = regions.get(key);
                if (r[0] <= start || key >= end) {
                    continue;
                }
                regions.remove(key);
                if (key < start) {
                    regions.put(key, new long[]{start, r[1]});
                }
                if (r[0] > end) {
                    regions.put(end, new long[]{r[0], r[1]});
                }
            }
        }

        void add(long start, long end, int prot) {
            remove(start, end);
            regions.put(start, new long[]{end, prot});
        }

        void protect(long start, long end, int prot) {
            List<long[]> parts = new ArrayList<>();
            Long k = regions.floorKey(start);
            for (Map.Entry<Long, long[]> e : regions.subMap(k == null ? start : k, true, end, false).entrySet()) {
                long s = Math.max(e.getKey(), start);
                long t = Math.min(e.getValue()[0], end);
                if (s < t) {
                    parts.add(new long[]{s, t});
                }
            }
            for (long[] p : parts) {
                add(p[0], p[1], prot);
            }
        }

        /** Grows or shrinks the heap to {@code end}. */
        void brk(long end) {
            long top = (Math.max(brkEnd, brkStart) + 4095) & ~4095L;
            long newTop = (end + 4095) & ~4095L;
            if (newTop > top) {
                add(top, newTop, Vma.READ | Vma.WRITE);
            } else if (newTop < top) {
                remove(newTop, top);
            }
            brkEnd = end;
        }
    }

    /** One recorded pid, replayed. */
    private final class PidProgram implements TaskProgram {
        private final List<StraceTrace.Event> events;
        private View view;
        private final SplittableRandom random;
        private final ArrayDeque<Op> queued = new ArrayDeque<>();
        private int next;
        private long lastTime;
        private long refsLeft;
        private boolean gapTaken;
        private boolean ended;
        private final long[] exec = new long[64];
        private final long[] data = new long[64];
        private final Stretch fetchStretch = Stretch.fetches();
        private final Stretch wordStretch = Stretch.words();
        /** The recorded context a Setup now queued answers for, or null. */
        private Long setupKey;
        /** The context a Reap now queued reads, or null. */
        private Ring reaping;
        /** Completions of {@code reading} to read from its ring, then to consume. */
        private Ring reading;
        private int toRead;
        private int toConsume;
        private final List<Ring> used = new ArrayList<>();
        private boolean drained;

        @Override
        public void returned(long value) {
            if (setupKey != null) {
                view.aio.put(setupKey, value);
                Ring r = ukva.ring(value);
                if (!used.contains(r)) {
                    used.add(r);
                }
                setupKey = null;
            } else if (reaping != null) {
                Ring r = reaping;
                reaping = null;
                if (value > 0) {
                    reading = r;
                    if (r.shared()) {
                        toRead = (int) value;
                    } else {
                        toConsume = (int) value; // copied out by the call
                    }
                }
            }
        }

        /** The program reads {@code n} completions of ring {@code r} it shares with the kernel. */
        private void readRing(RefBuffer b, Ring r, int n) {
            b.add(r.cqTailAddress(), 4, Cpu.READ);
            for (int i = 0; i < n && !b.isFull(); i++) {
                b.add(r.cqeAddress(i), Ukva.CQE_BYTES, Cpu.READ);
            }
            b.add(r.cqHeadAddress(), 4, Cpu.WRITE);
        }

        /** Takes what the rings of this pid hold (io_uring reads completions from memory, unrecorded). */
        private boolean pollRings(RefBuffer b, boolean wait) {
            for (Ring r : used) {
                if (r.dead()) {
                    continue;
                }
                int pending = r.ready() + r.inFlight();
                if (wait && pending > 0 && r.ready() < pending) {
                    reaping = r;
                    queued.add(new AioOps.Reap(r.id(), pending, pending));
                    return true;
                }
                if (r.ready() > 0) {
                    if (r.shared()) {
                        reading = r;
                        toRead = r.ready();
                        return true;
                    }
                    reaping = r;
                    queued.add(new AioOps.Reap(r.id(), 0, r.ready()));
                    return true;
                }
            }
            return false;
        }

        private boolean thread;
        private boolean finished;

        /** This program's last operation is queued: a thread leaves its process's count. */
        private void finish() {
            if (thread && !finished) {
                finished = true;
                view.liveThreads--;
            }
        }

        /**
         * True if this process's exit must wait: it did asynchronous I/O and threads of it are still
         * replaying. The recording shows them ending first (the futex wait for them is not traced);
         * replayed at their own pace, an exit_group would otherwise kill them mid-I/O.
         */
        private boolean mustWaitForThreads() {
            return !thread && view.liveThreads > 0 && !view.aio.isEmpty();
        }

        PidProgram(int pid, View view, long bornAt) {
            this.events = trace.of(pid);
            this.view = view;
            this.random = sim.streams().get("workload.strace.pid" + pid);
            this.lastTime = bornAt;
        }

        @Override
        public Op next(RefBuffer b) {
            b.clear();
            b.dropStray = true;
            while (true) {
                if (toConsume > 0) {
                    reading.consume(toConsume);
                    toConsume = 0;
                }
                if (toRead > 0) {
                    readRing(b, reading, toRead);
                    toConsume = toRead;
                    toRead = 0;
                    return Op.REFS;
                }
                if (!queued.isEmpty()) {
                    return queued.poll();
                }
                if (refsLeft > 0) {
                    int n = (int) Math.min(refsLeft, b.capacity());
                    if (fill(b, n)) {
                        refsLeft -= n;
                        return Op.REFS;
                    }
                    refsLeft = 0;
                }
                if (ended || next >= events.size()) {
                    if (!drained && ukva != null && pollRings(b, true)) {
                        continue; // the I/Os it left in flight complete before it goes
                    }
                    drained = true;
                    if (mustWaitForThreads()) {
                        return new Op.Yield();
                    }
                    ended = true;
                    finish();
                    return new Op.ExitGroup(0); // the recording ends here for this pid
                }
                StraceTrace.Event e = events.get(next);
                if (!gapTaken) {
                    gapTaken = true;
                    long gap = Math.max(0, e.time() - lastTime);
                    lastTime = e.time();
                    refsLeft = Math.min(config.maxRefsPerGap(), Math.round(gap * config.refsPerMicrosecond()));
                    continue;
                }
                next++;
                gapTaken = false;
                translate(e);
            }
        }

        /** Queues the operations that replay {@code e}. */
        private void translate(StraceTrace.Event e) {
            if (e instanceof StraceTrace.Mmap m) {
                MemObject object = null;
                if ((m.flags() & Vma.ANONYMOUS) == 0 && m.fd() >= 0) {
                    object = (m.flags() & Vma.FIXED) != 0 ? view.fds.get(m.fd()) : null;
                    if (object == null) {
                        long key = m.length();
                        object = files.computeIfAbsent(key, k -> kernel.newObject("file-" + k,
                                Math.max(1, (k + 4095) / 4096), true));
                        view.fds.put(m.fd(), object);
                    }
                }
                int flags = (m.flags() & ~Vma.FIXED) | Vma.FIXED;
                if (object == null) {
                    flags |= Vma.ANONYMOUS;
                }
                view.add(m.result(), m.result() + pages(m.length()) * 4096, m.prot());
                queued.add(new Op.Mmap(m.result(), m.length(), m.prot(), flags, object, m.offset() / 4096));
            } else if (e instanceof StraceTrace.Munmap m) {
                view.remove(m.addr(), m.addr() + pages(m.length()) * 4096);
                queued.add(new Op.Munmap(m.addr(), m.length()));
            } else if (e instanceof StraceTrace.Mprotect m) {
                view.protect(m.addr(), m.addr() + pages(m.length()) * 4096, m.prot());
                queued.add(new Op.Mprotect(m.addr(), m.length(), m.prot()));
            } else if (e instanceof StraceTrace.Brk b) {
                if (b.requested() == 0) {
                    queued.add(new Op.Brk(0));
                } else if (b.result() == b.requested()) {
                    view.brk(b.requested());
                    queued.add(new Op.Brk(b.requested()));
                }
            } else if (e instanceof StraceTrace.Mremap m) {
                long[] r = view.regions.floorEntry(m.addr()) == null ? null : view.regions.floorEntry(m.addr()).getValue();
                int prot = r == null ? Vma.READ | Vma.WRITE : (int) r[1];
                if (m.result() == m.addr()) {
                    long oldEnd = m.addr() + pages(m.oldLength()) * 4096;
                    long newEnd = m.addr() + pages(m.newLength()) * 4096;
                    if (newEnd > oldEnd) {
                        view.add(oldEnd, newEnd, prot);
                        queued.add(Op.Mmap.anonymous(oldEnd, newEnd - oldEnd, prot));
                    } else if (newEnd < oldEnd) {
                        view.remove(newEnd, oldEnd);
                        queued.add(new Op.Munmap(newEnd, oldEnd - newEnd));
                    }
                } else {
                    view.remove(m.addr(), m.addr() + pages(m.oldLength()) * 4096);
                    queued.add(new Op.Munmap(m.addr(), m.oldLength()));
                    view.add(m.result(), m.result() + pages(m.newLength()) * 4096, prot);
                    queued.add(Op.Mmap.anonymous(m.result(), m.newLength(), prot));
                }
            } else if (e instanceof StraceTrace.Discard d) {
                queued.add(new Op.Discard(d.addr(), d.length()));
            } else if (e instanceof StraceTrace.Spawn s) {
                if (s.thread()) {
                    PidProgram t = new PidProgram(s.child(), view, s.time());
                    t.thread = true;
                    view.liveThreads++;
                    queued.add(new Op.Clone(t));
                } else {
                    View childView = s.sharesVm() ? view : view.copy();
                    List<StraceTrace.Event> childEvents = trace.of(s.child());
                    boolean execsAtOnce = !childEvents.isEmpty() && childEvents.get(0) instanceof StraceTrace.Exec;
                    queued.add(new Op.Fork(new PidProgram(s.child(), childView, s.time()), execsAtOnce, s.sharesVm()));
                }
            } else if (e instanceof StraceTrace.Exec x) {
                Image image = imageFor(x);
                // a vfork child's view was its parent's: it gets its own at exec
                view = new View();
                view.layOut(image);
                queued.add(new Op.Exec(image, this));
            } else if (e instanceof StraceTrace.AioSetup a) {
                setupKey = a.key();
                queued.add(new AioOps.Setup(a.entries()));
            } else if (e instanceof StraceTrace.AioSubmit a) {
                queued.add(new AioOps.Submit(ctx(a.key(), a), a.count()));
            } else if (e instanceof StraceTrace.AioReap a) {
                Ring r = ukva.ring(ctx(a.key(), a));
                if (a.uring()) {
                    // wait for min_complete of what can come; the program then reads the ring
                    int can = r.ready() + r.inFlight();
                    if (can > 0) {
                        reaping = r;
                        queued.add(new AioOps.Reap(r.id(), Math.min(a.min(), can), can));
                    }
                } else if (a.count() > 0) {
                    reaping = r;
                    queued.add(new AioOps.Reap(r.id(), a.count(), a.count()));
                }
            } else if (e instanceof StraceTrace.AioDestroy a) {
                queued.add(new AioOps.Destroy(ctx(a.key(), a)));
            } else if (e instanceof StraceTrace.AioRingMmap) {
                // the rings are the kernel.ukva mechanism's, made at setup: nothing to map here
                return;
            } else if (e instanceof StraceTrace.Exit x) {
                if (ukva != null && !drained) {
                    drained = true;
                    pollRings(null, true);
                    if (!queued.isEmpty() || toRead > 0) {
                        next--; // the exit replays again once the rings are drained
                        drained = false;
                        return;
                    }
                }
                if (x.group() && mustWaitForThreads()) {
                    queued.add(new Op.Yield());
                    next--;
                    return;
                }
                ended = true;
                finish();
                queued.add(x.group() ? new Op.ExitGroup(x.status()) : new Op.Exit(x.status()));
            } else if (e instanceof StraceTrace.Gone g) {
                if (mustWaitForThreads()) {
                    queued.add(new Op.Yield());
                    next--;
                    return;
                }
                ended = true;
                finish();
                queued.add(new Op.ExitGroup(g.status()));
            }
        }

        /** Our context for recorded context {@code key} of this process. */
        private long ctx(long key, StraceTrace.Event e) {
            Long c = view.aio.get(key);
            if (c == null || ukva == null) {
                throw InputError.at(trace.file(), e.line(), "an aio call on context 0x" + Long.toHexString(key)
                        + " that the recording never set up in this process");
            }
            return c;
        }

        /** The image of an exec: its text sits just below the heap the recording shows right after it. */
        private Image imageFor(StraceTrace.Exec x) {
            MemObject text = executables.computeIfAbsent(x.path(),
                    p -> kernel.newObject(p, config.imagePages(), false));
            for (int i = next; i < events.size(); i++) {
                StraceTrace.Event e = events.get(i);
                if (e instanceof StraceTrace.Exec) {
                    break;
                }
                if (e instanceof StraceTrace.Brk b && b.requested() == 0) {
                    long heap = b.result() & ~4095L;
                    if (heap > (long) (config.imagePages() + DATA_PAGES + 16) * 4096) {
                        return Image.endingAt(text, heap, DATA_PAGES, STACK_PAGES);
                    }
                    break;
                }
            }
            return Image.standard(text, DATA_PAGES, STACK_PAGES);
        }

        /** Fills {@code n} references over the mapped regions; false if there is nowhere to go. */
        private boolean fill(RefBuffer b, int n) {
            View v = view;
            int ne = 0;
            int nd = 0;
            for (Map.Entry<Long, long[]> r : v.regions.entrySet()) {
                long prot = r.getValue()[1];
                if ((prot & Vma.EXEC) != 0 && ne < exec.length) {
                    exec[ne++] = r.getKey();
                } else if ((prot & Vma.READ) != 0 && nd < data.length) {
                    data[nd++] = r.getKey();
                }
            }
            if (ne + nd == 0) {
                return false;
            }
            for (int i = 0; i < n; i++) {
                boolean fetch = nd == 0 || ne > 0 && random.nextBoolean();
                Stretch stretch = fetch ? fetchStretch : wordStretch;
                long a = stretch.proceed(random);
                long[] r = a < 0 ? null : region(v, a);
                if (r == null) {
                    // a new stretch: a random page of a random region of the right kind
                    long start = fetch ? exec[random.nextInt(ne)] : data[random.nextInt(nd)];
                    r = v.regions.get(start);
                    long page = start + random.nextLong(Math.max(1, (r[0] - start) / 4096)) * 4096;
                    a = stretch.jump(page + (fetch ? random.nextInt(1024) << 2 : random.nextInt(512) << 3));
                }
                if (fetch) {
                    b.add(a, 4, org.protsim.hw.Cpu.EXECUTE);
                } else {
                    boolean write = (r[1] & Vma.WRITE) != 0 && random.nextDouble() < 0.3;
                    b.add(a, 8, write ? org.protsim.hw.Cpu.WRITE : org.protsim.hw.Cpu.READ);
                }
            }
            return true;
        }
    }

    /** The region of {@code v} containing {@code a} (still mapped, as a stretch continues), or null. */
    private static long[] region(View v, long a) {
        Map.Entry<Long, long[]> e = v.regions.floorEntry(a);
        return e != null && a < e.getValue()[0] ? e.getValue() : null;
    }

    private static long pages(long length) {
        return (length + 4095) / 4096;
    }
}
