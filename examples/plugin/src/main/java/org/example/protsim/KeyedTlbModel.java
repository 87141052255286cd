package org.example.protsim;

import org.protsim.core.InputError;
import org.protsim.core.config.CostsConfig;
import org.protsim.core.stats.Counter;
import org.protsim.hw.Cpu;
import org.protsim.hw.CycleCategory;
import org.protsim.os.ModelServices;
import org.protsim.os.Mm;
import org.protsim.os.Process;
import org.protsim.os.ProtectionModel;
import org.protsim.os.Task;

import java.util.List;

/**
 * {@code keyed-tlb}: a TLB whose every entry carries a per-process key, and an OS that gives each
 * address space its own key for as long as it lives, so that a switch flushes nothing, on any
 * number of processes per CPU. It is x86 PCID without Linux's limit of six recently used
 * address spaces per CPU (TLB_NR_DYN_ASIDS), or arm64's global ASIDs without generations: what
 * tagging costs when the tag space never runs out during a switch.
 *
 * <p>What it pays instead: a key may be cached by every CPU that ever ran the address space, so
 * an invalidation (munmap, mprotect, a copy-on-write break, fork's write-protection) interrupts
 * every such CPU, running it now or not (no lazy per-CPU generations); and when all
 * 2^keyBits - 1 keys have been handed out, every TLB is flushed at once (a broadcast, as
 * arm64's TLBI VMALLE1IS) before the keys of dead address spaces are reused
 * ({@code keyed.rollovers}). Page tables, fork (copy-on-write) and faults are Linux's, as in the
 * built-in per-process models.
 */
public final class KeyedTlbModel implements ProtectionModel {
    private final int maxKey;
    private ModelServices kernel; // what the model may ask of the kernel, never the kernel itself
    private CostsConfig costs;
    private Mm[] byKey;      // key -> the live address space holding it
    private boolean[] clean; // key -> no TLB can hold an entry with it (free since the last broadcast flush)
    private Counter rollovers;

    KeyedTlbModel(KeyedTlbConfig config) {
        this.maxKey = (1 << config.keyBits()) - 1; // key 0 is never handed out
    }

    @Override
    public void boot(ModelServices k) {
        this.kernel = k;
        this.costs = k.costs();
        this.byKey = new Mm[maxKey + 1];
        this.clean = new boolean[maxKey + 1];
        java.util.Arrays.fill(clean, true);
        this.rollovers = k.stats().counter("keyed.rollovers", "rollovers",
                "keyed-tlb: every key handed out, every TLB flushed before dead keys were reused");
    }

    /** The key of {@code mm}: this model's state of an address space (its mm_context_t). */
    private static int key(Mm mm) {
        return (Integer) mm.modelState();
    }

    @Override
    public void mmCreated(Mm mm) {
        mm.root = kernel.pageTables().newRoot(mm.id());
        mm.vaBase = 0;
        int k = allocateKey();
        mm.setModelState(k);
        byKey[k] = mm;
    }

    private int allocateKey() {
        for (int round = 0; round < 2; round++) {
            for (int k = 1; k <= maxKey; k++) {
                if (byKey[k] == null && clean[k]) {
                    clean[k] = false;
                    return k;
                }
            }
            // every free key may still be cached somewhere: flush every TLB, then they are all clean
            rollovers.increment();
            for (int c = 0; c < kernel.cpuCount(); c++) {
                kernel.cpu(c).flushNonGlobal();
            }
            for (int k = 1; k <= maxKey; k++) {
                clean[k] = byKey[k] == null;
            }
        }
        throw new InputError("model keyed-tlb: more than " + maxKey + " address spaces alive at once; raise model.keyBits");
    }

    @Override
    public void mmDestroyed(Mm mm) {
        kernel.pageTables().freeRoot(mm.root);
        byKey[key(mm)] = null; // not clean: its entries may be cached until the next broadcast flush
    }

    @Override
    public void switchTo(Cpu cpu, Mm loaded, Task next, Mm space) {
        cpu.context().set(space.root, key(space), 0, 0, 0, false);
        if (loaded != space) {
            cpu.charge(CycleCategory.SWITCH, costs.rootSwitchCycles()); // the root register write; no flush
            // keys tag the TLB, not a virtually tagged L1: homonyms of two spaces must still leave it
            int lines = 0;
            if (cpu.caches().l1d().virtuallyTagged()) {
                lines += cpu.caches().l1d().flushAll();
            }
            if (cpu.caches().l1i().virtuallyTagged()) {
                lines += cpu.caches().l1i().flushAll();
            }
            cpu.charge(CycleCategory.FLUSH, (long) lines * costs.cacheFlushLineCycles());
        }
    }

    @Override
    public long flushLocal(Cpu cpu, Mm mm, long hva, long pages) {
        if (pages > costs.rangeFlushCeilingPages()) {
            return cpu.flushAsid(key(mm)); // Linux's range-flush ceiling: past it, the whole key
        }
        long cost = 0;
        for (long i = 0; i < pages; i++) {
            cost += cpu.flushPage(hva + i * 4096, key(mm), 0);
        }
        return cost;
    }

    @Override
    public long invalidationTargets(Cpu initiator, Mm mm) {
        long self = 1L << initiator.id();
        if ((mm.cpusRan & self) != 0 && kernel.loaded(initiator.id()) != mm) {
            // the kernel flushes the initiator only if it runs mm; here it ran it before and may still cache it
            initiator.flushAsid(key(mm));
        }
        return mm.cpusRan & ~self; // every other CPU that may cache the key, running mm now or not
    }

    @Override
    public void owners(Cpu cpu, int tag, long hva, List<Owner> out) {
        Mm mm = tag > 0 && tag <= maxKey ? byKey[tag] : null;
        if (mm != null && !mm.dead()) {
            out.add(new Owner(mm, mm.root, 0));
        }
    }

    /**
     * Copy-on-write fork, as Linux's copy_page_range: the parent's user tables are copied table by
     * table and private writable pages write-protected in both (the page-table part does it, the
     * one writer of entries); the kernel then invalidates the parent's entries when we return true.
     */
    @Override
    public boolean fork(Cpu cpu, Process parent, Process child, boolean execsAtOnce) {
        Mm pm = parent.mm();
        Mm cm = child.mm();
        kernel.copyVmas(pm, cm);
        long[] counts = kernel.pageTables().copyForFork(pm, cm); // entries copied, write-protected, tables created
        kernel.addResident(cm, counts[0]);
        kernel.countPtesCopied(counts[0]);
        kernel.chargeZero(cpu, counts[2]);
        cpu.charge(CycleCategory.COPY, counts[0] * costs.pteCopyCycles());
        if (counts[0] > 0) {
            cm.everMapped = true;
        }
        return counts[1] > 0;
    }
}
