package org.protsim.os;

import org.protsim.hw.Cpu;
import org.protsim.hw.CycleCategory;

import java.util.SplittableRandom;

/** Kernel entry work: the entry cost, and the kernel's own references over its (global) text. */
final class KernelText {
    private final long kernelBase;
    private final int textPages;
    private final int refsPerEntry;
    private final SplittableRandom random;

    KernelText(long kernelBase, int textPages, int refsPerEntry, SplittableRandom random) {
        this.kernelBase = kernelBase;
        this.textPages = textPages;
        this.refsPerEntry = refsPerEntry;
        this.random = random;
    }

    /** Charges {@code cycles} of {@code category}, then runs the kernel's references over its text. */
    void enter(Cpu cpu, CycleCategory category, long cycles) {
        cpu.charge(category, cycles);
        for (int i = 0; i < refsPerEntry; i++) {
            long va = kernelBase + random.nextLong(textPages * 4096L) & ~7L;
            int r = cpu.referenceKernel(va, 8, Cpu.EXECUTE);
            if (r != Cpu.OK) {
                throw new IllegalStateException("kernel text not mapped at 0x" + Long.toHexString(va) + " on " + cpu.id()
                        + " with " + cpu.context());
            }
        }
    }
}
