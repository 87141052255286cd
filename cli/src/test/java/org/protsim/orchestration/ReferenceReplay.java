package org.protsim.orchestration;

import org.protsim.core.config.CacheConfig;
import org.protsim.core.config.MachineConfig;
import org.protsim.core.config.TlbConfig;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;

/**
 * A plain, slow LRU model of a bare lackey replay, written from the hardware's description
 * (DESIGN.md section 3) and sharing no code with sim-hw: sets are lists ordered from least to
 * most recently used, the page table is nested maps, the trace is read with a BufferedReader.
 * It knows nothing of faults: as in ChampSim, whose virtual memory hands out a page-table page
 * or a data page the first time a walk asks for it, a page first touched is simply given its
 * tables and frame by the walk that reaches it. Used to check the fast implementation's counts
 * on real traces.
 *
 * <p>Rules: a reference is split at 4 KiB page boundaries; each part looks up the L1 TLB of
 * its kind (I: iTLB, else dTLB), then the L2 TLB (9 cycles), then walks: probe the walk caches
 * of levels 2, 3, 4 in that order, stop at the first hit (1 cycle) and read the remaining
 * levels' entries through L1d, L2, LLC, memory (the first level holding the line gives the
 * latency); an entry read empty is given the next free frame (a table, or at level 1 the data
 * frame), frames numbered in order from 1 (the root); fill the walk cache of every upper level
 * read, then the L2 TLB and the L1 TLB. Every cache line the part touches is then accessed
 * through L1 (i or d), L2, LLC, memory, allocating on a miss; writes dirty the L1 line; a dirty
 * victim is written back into the next level (marking it dirty without reordering it, or
 * inserting it as most recent).
 */
final class ReferenceReplay {

    /** One set-associative structure: per set, a list from least to most recently used. */
    static final class LruSets {
        final int sets;
        final int ways;
        final List<List<long[]>> lists = new ArrayList<>(); // entry: {key, value, dirty}
        long hits;
        long misses;
        long writebacks;

        LruSets(int sets, int ways) {
            this.sets = sets;
            this.ways = ways;
            for (int i = 0; i < sets; i++) {
                lists.add(new ArrayList<>());
            }
        }

        List<long[]> set(long key) {
            return lists.get((int) Math.floorMod(key, (long) sets));
        }

        long[] find(long key) {
            for (long[] e : set(key)) {
                if (e[0] == key) {
                    return e;
                }
            }
            return null;
        }

        /** Lookup with counting; a hit becomes most recently used. */
        long[] lookup(long key) {
            long[] e = find(key);
            if (e == null) {
                misses++;
                return null;
            }
            hits++;
            List<long[]> s = set(key);
            s.remove(e);
            s.add(e);
            return e;
        }

        /** Inserts as most recently used; returns the evicted least recently used entry, if the set was full. */
        long[] insert(long key, long value, boolean dirty) {
            List<long[]> s = set(key);
            long[] victim = s.size() == ways ? s.remove(0) : null;
            s.add(new long[]{key, value, dirty ? 1 : 0});
            return victim;
        }
    }

    final MachineConfig m = MachineConfig.DEFAULT;
    final LruSets itlb = tlb(m.tlb().l1i());
    final LruSets dtlb = tlb(m.tlb().l1d());
    final LruSets stlb = tlb(m.tlb().l2());
    final Map<Integer, LruSets> pwc = new TreeMap<>();
    final LruSets l1d = cache(m.caches().l1d());
    final LruSets l1i = cache(m.caches().l1i());
    final LruSets l2 = cache(m.caches().l2());
    final LruSets llc = cache(m.caches().llc());
    final Map<Long, Map<Integer, Long>> tables = new HashMap<>();
    long nextFrame = 1;
    final long root;

    long references;
    long walks;
    long walkCycles;
    long pagesTouched;
    long memoryAccesses;
    long useful;
    long tlbCycles;
    long cacheCycles;

    ReferenceReplay() {
        for (int level = 2; level <= 4; level++) {
            pwc.put(level, new LruSets(m.walker().pwc().entries() / m.walker().pwc().ways(), m.walker().pwc().ways()));
        }
        root = newTable();
    }

    static LruSets tlb(TlbConfig c) {
        return new LruSets(c.entries() / c.ways(), c.ways());
    }

    static LruSets cache(CacheConfig c) {
        return new LruSets(c.sizeKiB() * 1024 / c.lineBytes() / c.ways(), c.ways());
    }

    long newTable() {
        long f = nextFrame++;
        tables.put(f, new HashMap<>());
        return f;
    }

    static int index(long va, int level) {
        return (int) ((va >>> (12 + 9 * (level - 1))) & 511);
    }

    /** Latency of one line through L1 (i or d), L2, LLC, memory; misses allocate, L1 writes dirty the line. */
    long access(LruSets l1, long line, boolean write) {
        long[] e = l1.lookup(line);
        if (e != null) {
            if (write) {
                e[2] = 1;
            }
            return hit(l1);
        }
        install(l1, line, write);
        if (l2.lookup(line) != null) {
            return m.caches().l2().hitCycles();
        }
        install(l2, line, false);
        if (llc.lookup(line) != null) {
            return m.caches().llc().hitCycles();
        }
        install(llc, line, false);
        memoryAccesses++;
        return m.memory().latencyCycles();
    }

    long hit(LruSets l1) {
        return l1 == l1i ? m.caches().l1i().hitCycles() : m.caches().l1d().hitCycles();
    }

    void install(LruSets c, long line, boolean dirty) {
        long[] victim = c.insert(line, 0, dirty);
        if (victim != null && victim[2] == 1) {
            c.writebacks++;
            LruSets next = c == l1d || c == l1i ? l2 : c == l2 ? llc : null;
            if (next != null) {
                long[] there = next.find(victim[0]);
                if (there != null) {
                    there[2] = 1;
                } else {
                    install(next, victim[0], true);
                }
            }
        }
    }

    /** Returns the frame of va's page, giving it tables and a frame if it has none; adds the walk's latency to walkCycles. */
    long walk(long va) {
        walks++;
        long lat = 0;
        long table = root;
        int level = 4;
        for (int l = 2; l <= 4; l++) {
            long[] e = pwc.get(l).lookup(va >>> (12 + 9 * (l - 1)));
            if (e != null) {
                table = e[1];
                level = l - 1;
                lat += m.walker().pwc().hitCycles();
                break;
            }
        }
        while (true) {
            int i = index(va, level);
            lat += access(l1d, (table * 4096 + i * 8L) >>> 6, false);
            Long next = tables.get(table).get(i);
            if (next == null) {
                next = level == 1 ? nextFrame++ : newTable();
                tables.get(table).put(i, next);
                if (level == 1) {
                    pagesTouched++;
                }
            }
            if (level == 1) {
                walkCycles += lat;
                return next;
            }
            LruSets c = pwc.get(level);
            long key = va >>> (12 + 9 * (level - 1));
            if (c.find(key) == null) {
                c.insert(key, next, false);
            }
            table = next;
            level--;
        }
    }

    /** One page part of a reference: translate, then every cache line of it. */
    void part(long start, long end, char kind) {
        LruSets l1tlb = kind == 'I' ? itlb : dtlb;
        long vpn = start >>> 12;
        long[] e = l1tlb.lookup(vpn);
        long frame;
        if (e != null) {
            frame = e[1];
        } else {
            tlbCycles += m.tlb().l2().hitCycles();
            long[] e2 = stlb.lookup(vpn);
            if (e2 != null) {
                frame = e2[1];
            } else {
                frame = walk(start);
                stlb.insert(vpn, frame, false);
            }
            l1tlb.insert(vpn, frame, false);
        }
        for (long line = start >>> 6; line <= end >>> 6; line++) {
            long pa = frame * 4096 + ((line << 6) & 4095);
            cacheCycles += access(kind == 'I' ? l1i : l1d, pa >>> 6, kind == 'S' || kind == 'M');
        }
    }

    void reference(char kind, long va, int size) {
        long last = va + size - 1;
        for (long page = va >>> 12; page <= last >>> 12; page++) {
            part(Math.max(va, page << 12), Math.min(last, (page << 12) + 4095), kind);
        }
        references++;
        useful += m.cyclesPerReference();
    }

    static ReferenceReplay replay(Path trace) throws IOException {
        ReferenceReplay r = new ReferenceReplay();
        try (InputStream raw = Files.newInputStream(trace);
             BufferedReader in = new BufferedReader(new InputStreamReader(
                     trace.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw, StandardCharsets.ISO_8859_1))) {
            String line;
            while ((line = in.readLine()) != null) {
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("==")) {
                    continue;
                }
                String[] parts = t.split(" +");
                String[] addrSize = parts[1].split(",");
                r.reference(parts[0].charAt(0), Long.parseUnsignedLong(addrSize[0], 16), Integer.parseInt(addrSize[1]));
            }
        }
        return r;
    }

    /** The counters and cycles the fast implementation reports, by their summary names. */
    Map<String, Long> expected() {
        Map<String, Long> e = new TreeMap<>();
        e.put("references", references);
        e.put("tlb.l1i.hits", itlb.hits);
        e.put("tlb.l1i.misses", itlb.misses);
        e.put("tlb.l1d.hits", dtlb.hits);
        e.put("tlb.l1d.misses", dtlb.misses);
        e.put("tlb.l2.hits", stlb.hits);
        e.put("tlb.l2.misses", stlb.misses);
        e.put("walks", walks);
        e.put("walk.cycles", walkCycles);
        e.put("pwc.hits", pwc.values().stream().mapToLong(p -> p.hits).sum());
        e.put("pwc.misses", pwc.values().stream().mapToLong(p -> p.misses).sum());
        for (Map.Entry<String, LruSets> c : Map.of("l1d", l1d, "l1i", l1i, "l2", l2, "llc", llc).entrySet()) {
            e.put("cache." + c.getKey() + ".hits", c.getValue().hits);
            e.put("cache." + c.getKey() + ".misses", c.getValue().misses);
            e.put("cache." + c.getKey() + ".writebacks", c.getValue().writebacks);
        }
        e.put("memory.accesses", memoryAccesses);
        e.put("faults.demand", pagesTouched);
        e.put("cycles.useful", useful);
        e.put("cycles.tlb", tlbCycles);
        e.put("cycles.walk", walkCycles);
        e.put("cycles.cache", cacheCycles);
        e.put("simulatedCycles", useful + tlbCycles + walkCycles + cacheCycles);
        return e;
    }
}
