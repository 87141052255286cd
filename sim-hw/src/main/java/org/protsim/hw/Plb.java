package org.protsim.hw;

import org.protsim.core.config.PlbConfig;

/**
 * Protection lookaside buffer (Koldinger, Chase, Eggers, ASPLOS 1992; the single-address-space
 * designs of docs/sources.md [000]): a fully associative, LRU cache of (protection domain, region) →
 * rights, checked on every reference apart from translation. Regions are variable-length,
 * so a lookup compares bounds; the most recently hit entry is tried first.
 */
public final class Plb {
    private final int entries;
    private final int hitCycles;
    private final int missCycles;
    private final int[] domains;
    private final long[] bases;
    private final long[] limits;
    private final int[] rights;
    private final boolean[] valid;
    private final long[] stamps;
    private long tick;
    private int mru;
    private final ProtectionTable.Region scratch = new ProtectionTable.Region();

    private long hits;
    private long misses;
    private long flushes;

    public Plb(PlbConfig config) {
        this.entries = config.entries();
        this.hitCycles = config.hitCycles();
        this.missCycles = config.missCycles();
        this.domains = new int[entries];
        this.bases = new long[entries];
        this.limits = new long[entries];
        this.rights = new int[entries];
        this.valid = new boolean[entries];
        this.stamps = new long[entries];
    }

    public int hitCycles() {
        return hitCycles;
    }

    public int missCycles() {
        return missCycles;
    }

    /** Rights of {@code domain} at {@code va} if cached (counting a hit), else -1 (counting a miss). */
    public int lookup(int domain, long va) {
        int m = mru;
        if (valid[m] && domains[m] == domain && va >= bases[m] && va < limits[m]) {
            hits++;
            stamps[m] = ++tick;
            return rights[m];
        }
        for (int i = 0; i < entries; i++) {
            if (valid[i] && domains[i] == domain && va >= bases[i] && va < limits[i]) {
                hits++;
                stamps[i] = ++tick;
                mru = i;
                return rights[i];
            }
        }
        misses++;
        return -1;
    }

    /**
     * Handles a miss: asks {@code table} for the region and caches it. Returns its rights,
     * or -1 if the domain has no region containing {@code va}.
     */
    public int refill(int domain, long va, ProtectionTable table) {
        if (!table.lookup(domain, va, scratch)) {
            return -1;
        }
        int victim = 0;
        long oldest = Long.MAX_VALUE;
        for (int i = 0; i < entries; i++) {
            if (!valid[i]) {
                victim = i;
                break;
            }
            if (stamps[i] < oldest) {
                oldest = stamps[i];
                victim = i;
            }
        }
        domains[victim] = domain;
        bases[victim] = scratch.base;
        limits[victim] = scratch.limit;
        rights[victim] = scratch.rights;
        valid[victim] = true;
        stamps[victim] = ++tick;
        mru = victim;
        return scratch.rights;
    }

    /** Drops every entry of {@code domain}. */
    public int flushDomain(int domain) {
        flushes++;
        int n = 0;
        for (int i = 0; i < entries; i++) {
            if (valid[i] && domains[i] == domain) {
                valid[i] = false;
                n++;
            }
        }
        return n;
    }

    /** Drops every entry overlapping [base, limit), of any domain. */
    public int flushRange(long base, long limit) {
        flushes++;
        int n = 0;
        for (int i = 0; i < entries; i++) {
            if (valid[i] && bases[i] < limit && base < limits[i]) {
                valid[i] = false;
                n++;
            }
        }
        return n;
    }

    public int flushAll() {
        flushes++;
        int n = 0;
        for (int i = 0; i < entries; i++) {
            if (valid[i]) {
                valid[i] = false;
                n++;
            }
        }
        return n;
    }

    public long hits() {
        return hits;
    }

    public long misses() {
        return misses;
    }

    public long flushes() {
        return flushes;
    }
}
