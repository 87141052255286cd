package org.protsim.core.config;

/** One cache: capacity, associativity, line size, load-to-use latency on a hit here, indexing. */
public record CacheConfig(int sizeKiB, int ways, int lineBytes, int hitCycles, Indexing indexing) {
    public CacheConfig {
        Check.positive("sizeKiB", sizeKiB);
        Check.positive("ways", ways);
        Check.powerOfTwo("lineBytes", lineBytes);
        Check.range("lineBytes", lineBytes, 16, 4096);
        long lines = sizeKiB * 1024L / lineBytes;
        Check.that(lines % ways == 0, "ways", ways + " does not divide the " + lines + " lines of " + sizeKiB + " KiB");
        Check.powerOfTwo("sizeKiB", lines / ways); // number of sets
        Check.nonNegative("hitCycles", hitCycles);
    }

    public int sets() {
        return (int) (sizeKiB * 1024L / lineBytes / ways);
    }
}
