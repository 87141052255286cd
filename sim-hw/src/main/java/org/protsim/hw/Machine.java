package org.protsim.hw;

import org.protsim.core.Simulation;
import org.protsim.core.config.CoherenceProtocol;
import org.protsim.core.config.MachineConfig;
import org.protsim.core.plugin.Registry;
import org.protsim.core.stats.Stats;
import org.protsim.hw.replacement.ReplacementPolicies;
import org.protsim.hw.replacement.ReplacementPolicy;

/**
 * The simulated hardware of one run: physical memory, CPUs with their TLBs, walkers, private
 * caches and PLBs, the shared last-level cache with the coherence directory, the interconnect
 * and the block device. It registers every hardware statistic with the run.
 */
public final class Machine {
    private final MachineConfig config;
    private final PhysicalMemory memory;
    private final RadixPageTable pageTable;
    private final Cache llc;
    private final Cpu[] cpus;
    private final Interconnect interconnect;
    private final CoherenceDirectory coherence;
    private final BlockDevice disk;

    /** The machine of {@code config} with protsim's own replacement policies. */
    public Machine(MachineConfig config, Simulation sim) {
        this(config, sim, ReplacementPolicies.builtin());
    }

    /** The machine of {@code config}, whose TLBs take their replacement policies by name from {@code policies}. */
    public Machine(MachineConfig config, Simulation sim, Registry<ReplacementPolicy> policies) {
        this.config = config;
        Stats stats = sim.stats();
        this.memory = new PhysicalMemory(config.memory().frames());
        memory.registerStats(stats);
        this.pageTable = new RadixPageTable(memory, config.walker().levels());
        this.llc = new Cache("llc", config.caches().llc());
        Cpu.registerCache(stats, llc);
        this.cpus = new Cpu[config.cpus()];
        int lineBytes = config.caches().l1d().lineBytes();
        for (int i = 0; i < cpus.length; i++) {
            CacheHierarchy caches = new CacheHierarchy(new Cache("l1d", config.caches().l1d()),
                    new Cache("l1i", config.caches().l1i()), new Cache("l2", config.caches().l2()), llc,
                    lineBytes, config.memory().latencyCycles(), config.caches().streamPrefetchLines());
            cpus[i] = new Cpu(i, config, memory, caches, stats, sim.streams()::get, policies);
        }
        // one CPU has nothing to be coherent with: no directory, no cost on its fills
        this.coherence = config.coherence() == CoherenceProtocol.MESI && cpus.length > 1
                ? new CoherenceDirectory(privateCaches(cpus), llc) : null;
        CoherenceDirectory.registerStats(stats, coherence);
        this.interconnect = new Interconnect(sim, cpus, config.costs(), stats);
        this.disk = new BlockDevice("disk", config.disk(), sim, cpus, stats);
        // misses of any origin (the workload's references and the kernel's own) per 1,000 workload
        // references: the cost per unit of the workload's work, so kernel work is never a discount
        stats.derived("tlbMissesPerKiloRef", "misses/1000 refs",
                "lookups that missed every TLB level (page walks), per 1,000 workload references",
                s -> Stats.ratio(s.counter("tlb.l2.misses"), s.counter("references"), 1000));
        stats.derived("l1TlbMissesPerKiloRef", "misses/1000 refs", "L1 (i + d) TLB misses per 1,000 workload references",
                s -> Stats.ratio(s.counter("tlb.l1i.misses") + s.counter("tlb.l1d.misses"), s.counter("references"),
                        1000));
        stats.derived("walkCyclesPerWalk", "cycles", "mean page-walk latency",
                s -> Stats.ratio(s.counter("walk.cycles"), s.counter("walks"), 1));
    }

    private static Cache[][] privateCaches(Cpu[] cpus) {
        Cache[][] c = new Cache[cpus.length][];
        for (int i = 0; i < cpus.length; i++) {
            CacheHierarchy h = cpus[i].caches();
            c[i] = new Cache[]{h.l1d(), h.l1i(), h.l2()}; // CoherenceDirectory.L1D, L1I, L2
        }
        return c;
    }

    public MachineConfig config() {
        return config;
    }

    public PhysicalMemory memory() {
        return memory;
    }

    public RadixPageTable pageTable() {
        return pageTable;
    }

    public Cpu cpu(int i) {
        return cpus[i];
    }

    public Cpu[] cpus() {
        return cpus.clone();
    }

    public int cpuCount() {
        return cpus.length;
    }

    public Interconnect interconnect() {
        return interconnect;
    }

    public Cache llc() {
        return llc;
    }

    /** The coherence directory, or null when the private caches are not kept coherent (one CPU, or {@code none}). */
    public CoherenceDirectory coherence() {
        return coherence;
    }

    /** The block device (machine.disk). */
    public BlockDevice disk() {
        return disk;
    }
}
