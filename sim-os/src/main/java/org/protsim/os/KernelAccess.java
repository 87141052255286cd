package org.protsim.os;

/**
 * The kernel-internal operations protection models (in {@code org.protsim.os.model}) may use:
 * package-private state of the kernel's structures, opened to the model package only.
 */
public final class KernelAccess {
    private KernelAccess() {
    }

    public static void copyVmas(Kernel kernel, Mm from, Mm to) {
        for (Vma v : from.vmas.values()) {
            kernel.addVma(to, v.copy());
        }
        to.brkStart = from.brkStart;
        to.brkEnd = from.brkEnd;
    }

    public static void addResident(Mm mm, long pages) {
        mm.residentPages += pages;
    }

    public static void setFixedAddress(MemObject o, long address) {
        o.fixedAddress = address;
    }

    public static void setSharedSpace(MemObject o, int space) {
        o.sharedSpace = space;
    }

    public static void setVmaSharedSpace(Vma v, int space) {
        v.sharedSpace = space;
    }

    public static Vma newVma(long start, long end, int prot, int flags) {
        return new Vma(start, end, prot, flags, null, 0);
    }

    public static void addVma(Kernel kernel, Mm mm, Vma v) {
        kernel.addVma(mm, v);
    }
}
