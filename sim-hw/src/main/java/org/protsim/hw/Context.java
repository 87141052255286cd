package org.protsim.hw;

/**
 * What a CPU is running, as the hardware sees it: the page-table root, the ASID its TLB
 * fills are tagged with, the shared spaces it subscribes to (a bitmap, as ARC's SASID
 * subscription), the protection domain its PLB checks, and a base added to every virtual
 * address (a segment/region register: how a single-address-space model places a process's
 * addresses in its own range without relocating them). Mutable: the OS writes it on a switch.
 */
public final class Context {
    public long root;
    public int asid;
    public long sharedSpaces;
    public int domain;
    public long vaBase;
    /** Check every reference against the PLB (models that separate protection from translation). */
    public boolean checkPlb;

    public void set(long root, int asid, long sharedSpaces, int domain, long vaBase, boolean checkPlb) {
        this.root = root;
        this.asid = asid;
        this.sharedSpaces = sharedSpaces;
        this.domain = domain;
        this.vaBase = vaBase;
        this.checkPlb = checkPlb;
    }

    public void copyFrom(Context other) {
        set(other.root, other.asid, other.sharedSpaces, other.domain, other.vaBase, other.checkPlb);
    }

    @Override
    public String toString() {
        return "Context[root=" + root + ", asid=" + asid + ", shared=0x" + Long.toHexString(sharedSpaces)
                + ", domain=" + domain + ", vaBase=0x" + Long.toHexString(vaBase) + "]";
    }
}
