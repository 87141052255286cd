package org.protsim.os;

import org.protsim.hw.Cpu;
import org.protsim.hw.CycleCategory;

import java.util.SplittableRandom;

/**
 * Kernel entry work: the entry cost, and the kernel's own references over its (global) text.
 * Each kind of entry runs one code path, the same every time, as Linux's do: a system call goes
 * through entry_SYSCALL_64 and do_syscall_64 (arch/x86/entry/entry_64.S, common.c), a fault
 * through exc_page_fault and handle_mm_fault (arch/x86/mm/fault.c, mm/memory.c). So a path's
 * lines and pages are drawn once per kind, on its first entry: a loop of one call keeps them in
 * the caches and TLB, and a workload's own footprint evicts them, as on real hardware. (Drawing
 * new lines at every entry made a tight loop of system calls miss on kernel text it had just run.)
 */
final class KernelText {
    private final long kernelBase;
    private final int textPages;
    private final int refsPerEntry;
    private final SplittableRandom random;
    /** Each kind of entry's path, by {@link CycleCategory} ordinal; drawn on its first entry. */
    private final long[][] paths = new long[CycleCategory.values().length][];

    KernelText(long kernelBase, int textPages, int refsPerEntry, SplittableRandom random) {
        this.kernelBase = kernelBase;
        this.textPages = textPages;
        this.refsPerEntry = refsPerEntry;
        this.random = random;
    }

    /** Charges {@code cycles} of {@code category}, then runs the kernel's references over its text. */
    void enter(Cpu cpu, CycleCategory category, long cycles) {
        cpu.charge(category, cycles);
        long[] path = paths[category.ordinal()];
        if (path == null) {
            path = new long[refsPerEntry];
            for (int i = 0; i < refsPerEntry; i++) {
                path[i] = kernelBase + random.nextLong(textPages * 4096L) & ~7L;
            }
            paths[category.ordinal()] = path;
        }
        for (long va : path) {
            int r = cpu.referenceKernel(va, 8, Cpu.EXECUTE);
            if (r != Cpu.OK) {
                throw new IllegalStateException("kernel text not mapped at 0x" + Long.toHexString(va) + " on " + cpu.id()
                        + " with " + cpu.context());
            }
        }
    }
}
