package org.protsim.os.pat;

import org.protsim.core.config.PatConfig;
import org.protsim.core.stats.Counter;
import org.protsim.core.stats.LatencyRecorder;
import org.protsim.hw.Cpu;
import org.protsim.hw.CycleCategory;
import org.protsim.hw.PhysicalMemory;
import org.protsim.hw.Pte;
import org.protsim.os.KernelMechanism;
import org.protsim.os.MechanismServices;
import org.protsim.os.Mm;
import org.protsim.os.PteChange;

/**
 * {@code kernel.pat}: every mapping with a cache attribute of its own is checked as
 * docs/sources.md [004] sets out and Linux's x86 PAT code does it (track_pfn_remap and
 * memtype_reserve in arch/x86/mm/pat/memtype.c): RAM must be write-back; a non-RAM page that is
 * mapped may be mapped again only with the attribute it has; each mapping holds a reference, so
 * two drivers can share a region. The check runs where the page-table part asks before it
 * writes ({@link org.protsim.os.PteObserver#admit}); a refusal fails the map call with -EBUSY
 * and is counted ({@code pat.conflictsRefused}). Unmaps (and exits) drop the reference; a fork's
 * copy takes one. Which {@link MemtypeTracker} finds the overlapping mappings is the mode:
 * {@code vma-walk} scans them all, {@code memtype-tree} searches an interval tree. The check's
 * cycles are charged to the mapping CPU as system-call time and recorded in
 * {@code pat.check.latency}.
 */
public final class PatMechanism implements KernelMechanism {
    private final String mode;
    private final MemtypeTracker tracker;
    private PhysicalMemory memory;
    private MechanismServices services;
    private Counter checks;
    private Counter refused;
    private Counter ramRefused;
    private LatencyRecorder latency;

    public PatMechanism(PatConfig config) {
        this.mode = config.mode();
        MemtypeCosts costs = new MemtypeCosts(config.fixedCycles(), config.stepCycles());
        this.tracker = switch (config.mode()) {
            case PatConfig.VMA_WALK -> new VmaWalkTracker(costs);
            case PatConfig.MEMTYPE_TREE -> new MemtypeTreeTracker(costs);
            default -> throw new IllegalArgumentException("kernel.pat mode " + config.mode() + " is no PAT tracker");
        };
    }

    @Override
    public String name() {
        return "pat/" + mode;
    }

    public MemtypeTracker tracker() {
        return tracker;
    }

    @Override
    public void boot(MechanismServices s) {
        this.services = s;
        this.memory = s.memory();
        checks = s.stats().counter("pat.checks", "checks", "mappings with a cache attribute checked against the memtype record");
        refused = s.stats().counter("pat.conflictsRefused", "mappings",
                "mappings refused with -EBUSY: a non-RAM page already mapped with another attribute");
        ramRefused = s.stats().counter("pat.ramRefused", "mappings", "mappings of RAM other than write-back, refused");
        latency = s.stats().histogram("pat.check.latency", "cycles", "CPU cycles of one memtype check (reserve)");
        s.stats().counter("pat.reservations", "reservations", "memtype reservations held at the end", tracker::reservations);
    }

    private boolean ram(int frame) {
        return memory.kind(frame) != PhysicalMemory.DEVICE;
    }

    @Override
    public boolean admit(Cpu cpu, Mm mm, long va, long newPte) {
        if (!Pte.present(newPte)) {
            return true;
        }
        int f = (int) Pte.frame(newPte);
        boolean ram = ram(f);
        int attribute = Pte.attribute(newPte);
        if (ram && attribute == Pte.WRITE_BACK) {
            return true; // RAM's type is fixed and tracked by the page itself, not by a reservation
        }
        MemtypeTracker.Outcome o = tracker.reserve(f, f + 1L, attribute, ram);
        checks.increment();
        latency.record(tracker.lastCycles());
        services.charge(cpu, CycleCategory.SYSCALL, tracker.lastCycles());
        return switch (o) {
            case ACCEPTED -> true;
            case RAM_NOT_WRITE_BACK -> {
                ramRefused.increment();
                yield false;
            }
            default -> {
                refused.increment();
                yield false;
            }
        };
    }

    @Override
    public void pteChanged(Mm mm, long va, long oldPte, long newPte, PteChange change) {
        // MAP and its reservation were the admit's; what else adds or drops a mapping of non-RAM pages
        if (Pte.present(oldPte) && change != PteChange.PROTECT && change != PteChange.ATTRIBUTE
                && !ram((int) Pte.frame(oldPte))) {
            long f = Pte.frame(oldPte);
            tracker.free(f, f + 1, false);
        }
        if (change == PteChange.FORK_COPY && Pte.present(newPte) && !ram((int) Pte.frame(newPte))) {
            long f = Pte.frame(newPte);
            tracker.reserve(f, f + 1, Pte.attribute(newPte), false); // the parent's type: always accepted
        }
    }
}
