package org.protsim.os;

/** What a {@link PageTables} write did to an entry, as its {@link PteObserver}s are told. */
public enum PteChange {
    /** An entry was installed (a demand or copy-on-write fault, a pre-mapping), replacing the old one or nothing. */
    MAP,
    /** An entry was cleared (munmap, discard, exit, exec). */
    UNMAP,
    /** Same frame, other rights or tag bits (mprotect, a fork's write-protection, a shared-space tag removed). */
    PROTECT,
    /** Same frame and rights, another cache attribute (write-back, write-combining, uncached). */
    ATTRIBUTE,
    /** An entry was copied from the parent into the child at fork (the entry reported is the child's). */
    FORK_COPY,
    /**
     * A top-level entry of a root now points at another address space's subtree (a VAS view); the
     * address is the first one the entry spans and the values are table entries, not leaves.
     */
    LINK
}
