package org.protsim.os;

/** A mapped range of an address space: [start, end), its rights and what backs it. */
public final class Vma {
    public static final int READ = 1;
    public static final int WRITE = 2;
    public static final int EXEC = 4;

    public static final int SHARED = 1;
    public static final int PRIVATE = 2;
    public static final int ANONYMOUS = 4;
    public static final int FIXED = 8;

    long start;
    long end;
    int prot;
    /**
     * The most {@link #prot} may become (Mach's maximum protection, Linux's VM_MAY* bits): mprotect
     * above it fails. Everything unless a mechanism capped it (a proxy mapping).
     */
    int maxProt = READ | WRITE | EXEC;
    final int flags;
    final MemObject object;
    /** Page of {@link #object} mapped at {@link #start}. */
    long objectPage;
    /** The shared space its pages are tagged with (shared-asid), or -1. */
    int sharedSpace = -1;
    /** The mechanism that is this VMA's pager (its faults go there), or null for the kernel's own. */
    KernelMechanism owner;

    Vma(long start, long end, int prot, int flags, MemObject object, long objectPage) {
        this.start = start;
        this.end = end;
        this.prot = prot;
        this.flags = flags;
        this.object = object;
        this.objectPage = objectPage;
    }

    Vma copy() {
        Vma v = new Vma(start, end, prot, flags, object, objectPage);
        v.maxProt = maxProt;
        v.sharedSpace = sharedSpace;
        v.owner = owner;
        return v;
    }

    /** The part [from, to) of this VMA, as a new VMA. */
    Vma slice(long from, long to) {
        Vma v = new Vma(from, to, prot, flags, object, object == null ? 0 : objectPage + (from - start) / 4096);
        v.maxProt = maxProt;
        v.sharedSpace = sharedSpace;
        v.owner = owner;
        return v;
    }

    /** The mechanism that pages this VMA, or null if the kernel does. */
    public KernelMechanism owner() {
        return owner;
    }

    public long start() {
        return start;
    }

    public long end() {
        return end;
    }

    public int prot() {
        return prot;
    }

    /** The most its rights may be raised to with mprotect. */
    public int maxProt() {
        return maxProt;
    }

    public int flags() {
        return flags;
    }

    public MemObject object() {
        return object;
    }

    public int sharedSpace() {
        return sharedSpace;
    }

    public boolean shared() {
        return (flags & SHARED) != 0;
    }

    public boolean anonymous() {
        return object == null;
    }

    public boolean writable() {
        return (prot & WRITE) != 0;
    }

    public boolean contains(long va) {
        return va >= start && va < end;
    }

    /** The object page backing {@code va}. */
    public long objectPage(long va) {
        return objectPage + (va - start) / 4096;
    }

    /** A private writable mapping: its pages are copied on write after fork, never shared writable. */
    public boolean copyOnWrite() {
        return !shared() && writable();
    }

    @Override
    public String toString() {
        return String.format("Vma[%x-%x %s%s%s %s%s]", start, end, (prot & READ) != 0 ? "r" : "-",
                (prot & WRITE) != 0 ? "w" : "-", (prot & EXEC) != 0 ? "x" : "-", shared() ? "shared" : "private",
                object == null ? "" : " " + object.name());
    }
}
