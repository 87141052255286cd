package org.protsim.core.config;

/** Physical memory: size and the load-to-use latency of a DRAM access. */
public record MemoryConfig(long sizeMiB, int latencyCycles) {
    // Default latency (docs/hardware-costs.md "Skylake DRAM latency"): 7-cpu.com Skylake
    // "RAM latency = 42 cycles + 51 ns", ~195 cycles at 3 GHz.
    // Default size 64 GiB: frames are allocated lazily, so a large memory costs nothing until used.
    public static final MemoryConfig DEFAULT = new MemoryConfig(65536, 195);

    public MemoryConfig {
        Check.range("sizeMiB", sizeMiB, 1, 1L << 23);
        Check.positive("latencyCycles", latencyCycles);
    }

    public long frames() {
        return sizeMiB * 256;
    }
}
