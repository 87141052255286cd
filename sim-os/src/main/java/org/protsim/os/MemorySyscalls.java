package org.protsim.os;

import org.protsim.hw.PhysicalMemory;
import org.protsim.hw.Pte;

import java.util.ArrayList;
import java.util.List;

/**
 * The memory system calls (mmap, munmap, mprotect, madvise(MADV_DONTNEED), brk) and the VMA
 * bookkeeping under them: placing mappings top-down below the stack as Linux's legacy layout
 * does, cutting VMAs where a range starts or ends inside one, and clearing the range's entries
 * before its frames are released once every CPU has dropped them.
 */
final class MemorySyscalls {
    private final PhysicalMemory memory;
    private final PageTables tables;
    private final ProtectionModel model;
    private final Mechanisms mechanisms;
    private final Shootdowns shootdowns;

    MemorySyscalls(PhysicalMemory memory, PageTables tables, ProtectionModel model, Mechanisms mechanisms,
                   Shootdowns shootdowns) {
        this.memory = memory;
        this.tables = tables;
        this.model = model;
        this.mechanisms = mechanisms;
        this.shootdowns = shootdowns;
    }

    void register(SyscallTable table) {
        table.register(Op.Mmap.class, this::mmap);
        table.register(Op.Munmap.class, (r, t, m) -> unmap(r, t.process.mm, m.addr(), m.length(),
                () -> t.program.returned(0)));
        table.register(Op.Mprotect.class, (r, t, m) -> mprotect(r, t, m.addr(), m.length(), m.prot()));
        table.register(Op.Discard.class, (r, t, d) -> discard(r, t, d.addr(), d.length()));
        table.register(Op.Brk.class, (r, t, b) -> brk(r, t, b.end()));
    }

    // ------------------------------------------------------------------ VMAs

    void addVma(Mm mm, Vma v) {
        mm.vmas.put(v.start, v);
        model.vmaMapped(mm, v);
        mechanisms.vmaMapped(mm, v);
    }

    /** VMAs of a freshly exec'd image: text (file, r-x), data (anonymous rw-), heap (empty brk), stack (rw-). */
    void layOut(Mm mm, Image image) {
        addVma(mm, new Vma(image.textBase(), image.textEnd(), Vma.READ | Vma.EXEC, Vma.PRIVATE, image.text(), 0));
        if (image.dataPages() > 0) {
            addVma(mm, new Vma(image.dataBase(), image.heapBase(), Vma.READ | Vma.WRITE, Vma.PRIVATE | Vma.ANONYMOUS,
                    null, 0));
        }
        mm.brkStart = image.heapBase();
        mm.brkEnd = image.heapBase();
        addVma(mm, new Vma(image.stackBase(), Image.STACK_TOP, Vma.READ | Vma.WRITE, Vma.PRIVATE | Vma.ANONYMOUS,
                null, 0));
    }

    /** Unmaps every page of {@code mm} (exit, exec); its frames are released at once (no CPU runs it). */
    void clearAll(Mm mm) {
        List<Integer> release = new ArrayList<>();
        for (Vma v : List.copyOf(mm.vmas.values())) {
            tables.clear(mm, v.start, v.end, model, release);
        }
        mm.vmas.clear();
        releaseAll(release);
    }

    private void releaseAll(List<Integer> frames) {
        for (int f : frames) {
            memory.release(f);
        }
    }

    /** Removes [start, end) from {@code mm}'s VMAs (splitting as needed) and clears its entries. */
    private void removeRange(Mm mm, long start, long end, List<Integer> release) {
        for (Vma v : overlapping(mm, start, end)) {
            Vma inside = cut(mm, v, start, end);
            tables.clear(mm, inside.start, inside.end, model, release);
            mechanisms.vmaUnmapped(mm, inside);
        }
    }

    /**
     * Takes {@code v} out of {@code mm}'s VMAs, puts back its parts outside [start, end), and
     * returns its part inside (not in the map).
     */
    private Vma cut(Mm mm, Vma v, long start, long end) {
        model.vmaChanging(mm, v);
        mm.vmas.remove(v.start);
        if (v.start < start) {
            mm.vmas.put(v.start, v.slice(v.start, start));
        }
        if (v.end > end) {
            mm.vmas.put(end, v.slice(end, v.end));
        }
        return v.slice(Math.max(v.start, start), Math.min(v.end, end));
    }

    private List<Vma> overlapping(Mm mm, long start, long end) {
        List<Vma> out = new ArrayList<>();
        var floor = mm.vmas.floorKey(start);
        long from = floor == null ? start : floor;
        for (Vma v : mm.vmas.subMap(from, true, end, false).values()) {
            if (v.end > start && v.start < end) {
                out.add(v);
            }
        }
        return out;
    }

    private boolean isFree(Mm mm, long addr, long length) {
        var below = mm.vmas.floorEntry(addr + length - 1);
        return below == null || below.getValue().end <= addr;
    }

    private long topDown(Mm mm, long length) {
        long candidate = Kernel.MMAP_TOP - length;
        for (Vma v : mm.vmas.descendingMap().values()) {
            if (v.start >= Kernel.MMAP_TOP) {
                continue;
            }
            if (v.end <= candidate) {
                break;
            }
            candidate = Math.min(candidate, v.start - length);
        }
        return candidate;
    }

    // ------------------------------------------------------------------ the calls

    private void mmap(Scheduler.CpuLoop r, Task t, Op.Mmap m) {
        Mm mm = t.process.mm;
        long length = (m.length() + 4095) & ~4095L;
        if (length <= 0) {
            t.program.returned(-22); // EINVAL
            return;
        }
        boolean fixed = (m.flags() & Vma.FIXED) != 0;
        long addr = fixed ? m.addr() & ~4095L : place(mm, m.addr(), m.object(), length);
        Runnable map = () -> {
            addVma(mm, new Vma(addr, addr + length, m.prot(), m.flags() & ~Vma.FIXED, m.object(), m.objectPage()));
            t.program.returned(addr);
        };
        if (fixed && !isFree(mm, addr, length)) {
            unmap(r, mm, addr, length, map); // MAP_FIXED replaces what was there
        } else {
            map.run();
        }
    }

    /**
     * Where a mapping of {@code length} bytes of {@code object} (null: anonymous) goes in {@code mm}:
     * at {@code hint} if free, else where the model wants the object, else top-down.
     */
    long place(Mm mm, long hint, MemObject object, long length) {
        if (hint != 0 && isFree(mm, hint & ~4095L, length)) {
            return hint & ~4095L;
        }
        long placed = object != null ? model.placeObject(mm, object, length) : 0;
        return placed != 0 && isFree(mm, placed, length) ? placed : topDown(mm, length);
    }

    /** Unmaps [addr, addr + length) of {@code mm}; frames are released and {@code after} runs once all CPUs dropped them. */
    void unmap(Scheduler.CpuLoop r, Mm mm, long addr, long length, Runnable after) {
        long start = addr & ~4095L;
        long end = (addr + length + 4095) & ~4095L;
        List<Integer> release = new ArrayList<>();
        removeRange(mm, start, end, release);
        shootdowns.invalidate(r, mm, Kernel.hw(mm, start), (end - start) / 4096, () -> {
            releaseAll(release);
            after.run();
        });
    }

    /** madvise(MADV_DONTNEED): drop the pages (the next touch faults a fresh one in), keep the mapping. */
    private void discard(Scheduler.CpuLoop r, Task t, long addr, long length) {
        Mm mm = t.process.mm;
        long start = addr & ~4095L;
        long end = (addr + length + 4095) & ~4095L;
        List<Integer> release = new ArrayList<>();
        for (Vma v : overlapping(mm, start, end)) {
            tables.clear(mm, Math.max(v.start, start), Math.min(v.end, end), model, release);
        }
        shootdowns.invalidate(r, mm, Kernel.hw(mm, start), (end - start) / 4096, () -> {
            releaseAll(release);
            t.program.returned(0);
        });
    }

    private void mprotect(Scheduler.CpuLoop r, Task t, long addr, long length, int prot) {
        Mm mm = t.process.mm;
        long start = addr & ~4095L;
        long end = (addr + length + 4095) & ~4095L;
        for (Vma v : overlapping(mm, start, end)) {
            if ((prot & ~v.maxProt) != 0) {
                // above the maximum protection: Mach's vm_protect fails (KERN_PROTECTION_FAILURE),
                // Linux's mprotect returns EACCES; nothing changes
                t.program.returned(-13);
                return;
            }
        }
        boolean narrowed = false;
        for (Vma v : overlapping(mm, start, end)) {
            Vma mid = cut(mm, v, start, end);
            if ((v.prot & ~prot) != 0) {
                narrowed = true;
            }
            mid.prot = prot;
            mm.vmas.put(mid.start, mid);
            for (long va = mid.start; va < mid.end; va += 4096) {
                long e = tables.lookup(mm, va);
                if (e == 0) {
                    continue;
                }
                long ne = e;
                if ((prot & Vma.WRITE) == 0) {
                    ne &= ~Pte.WRITABLE;
                }
                ne = (prot & Vma.EXEC) == 0 ? ne | Pte.NO_EXECUTE : ne & ~Pte.NO_EXECUTE;
                if ((prot & Vma.READ) == 0 && (prot & Vma.WRITE) == 0 && (prot & Vma.EXEC) == 0) {
                    ne &= ~Pte.USER; // PROT_NONE: kept resident but inaccessible to user references
                } else {
                    ne |= Pte.USER;
                }
                if (ne != e) {
                    tables.protect(mm, va, ne);
                }
            }
        }
        if (narrowed) {
            shootdowns.invalidate(r, mm, Kernel.hw(mm, start), (end - start) / 4096, () -> t.program.returned(0));
        } else {
            t.program.returned(0);
        }
    }

    private void brk(Scheduler.CpuLoop r, Task t, long end) {
        Mm mm = t.process.mm;
        if (end == 0 || end < mm.brkStart) {
            t.program.returned(mm.brkEnd);
            return;
        }
        long newEnd = (end + 4095) & ~4095L;
        long oldEnd = (mm.brkEnd + 4095) & ~4095L;
        if (newEnd > oldEnd) {
            if (!isFree(mm, oldEnd, newEnd - oldEnd)) {
                t.program.returned(mm.brkEnd); // would collide: refused, as Linux does
                return;
            }
            Vma heap = mm.find(oldEnd - 1);
            if (heap != null && heap.anonymous() && heap.end == oldEnd && oldEnd > mm.brkStart) {
                heap.end = newEnd;
            } else {
                addVma(mm, new Vma(oldEnd, newEnd, Vma.READ | Vma.WRITE, Vma.PRIVATE | Vma.ANONYMOUS, null, 0));
            }
            mm.brkEnd = end;
            t.program.returned(end);
        } else if (newEnd < oldEnd) {
            mm.brkEnd = end;
            unmap(r, mm, newEnd, oldEnd - newEnd, () -> t.program.returned(end));
        } else {
            mm.brkEnd = end;
            t.program.returned(end);
        }
    }
}
