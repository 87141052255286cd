package org.protsim.hw;

/**
 * Where a PLB miss finds a protection domain's rights: implemented by the OS (the hardware
 * only knows domains and regions).
 */
public interface ProtectionTable {
    int READ = 1;
    int WRITE = 2;
    int EXECUTE = 4;

    /**
     * Finds the region of {@code domain} containing {@code va}; writes its bounds and rights
     * into {@code out} and returns true, or returns false if the domain may not touch {@code va}.
     */
    boolean lookup(int domain, long va, Region out);

    /** A region: [base, limit) with rights (READ | WRITE | EXECUTE). Reused by the PLB, never retained by the table. */
    final class Region {
        public long base;
        public long limit;
        public int rights;

        public void set(long base, long limit, int rights) {
            this.base = base;
            this.limit = limit;
            this.rights = rights;
        }
    }
}
