package org.protsim.os;

import org.protsim.hw.Cpu;
import org.protsim.hw.Pte;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A test mechanism that keeps a shadow of every user page-table entry from the page-table
 * part's reports alone, and checks the kernel's funnels as it goes: each reported old value
 * must be what the shadow holds (so nothing wrote an entry behind the observers' backs), a dead
 * address space must leave no entry behind, and tasks must be created before they run or exit.
 */
final class ShadowTables implements KernelMechanism {
    private final Map<Long, TreeMap<Long, Long>> byRoot = new HashMap<>(); // root -> hva -> entry
    final EnumMap<PteChange, Long> changes = new EnumMap<>(PteChange.class);
    private final Set<Task> live = new HashSet<>();
    long mmsCreated;
    long mmsDestroyed;
    long tasksCreated;
    long tasksExited;
    long switches;
    long vmasMapped;
    long vmasUnmapped;

    @Override
    public String name() {
        return "test/shadow";
    }

    @Override
    public void pteChanged(Mm mm, long va, long oldPte, long newPte, PteChange change) {
        changes.merge(change, 1L, Long::sum);
        if (change == PteChange.LINK) {
            return; // a view's top-level link, not a leaf
        }
        TreeMap<Long, Long> m = byRoot.computeIfAbsent(mm.root, r -> new TreeMap<>());
        long hva = Kernel.hw(mm, va);
        long before = m.getOrDefault(hva, 0L);
        if (before != oldPte) {
            throw new AssertionError(change + " of " + mm + " at 0x" + Long.toHexString(va) + " reports old entry 0x"
                    + Long.toHexString(oldPte) + " but the last reported value was 0x" + Long.toHexString(before));
        }
        if (newPte == 0) {
            m.remove(hva);
        } else {
            m.put(hva, newPte);
        }
    }

    @Override
    public void mmCreated(Mm mm) {
        mmsCreated++;
    }

    @Override
    public void mmDestroyed(Mm mm) {
        mmsDestroyed++;
        TreeMap<Long, Long> m = byRoot.get(mm.root);
        if (m != null && !m.subMap(mm.vaBase, mm.vaBase + Kernel.USER_TOP).isEmpty()) {
            throw new AssertionError(mm + " died with entries the page-table part never reported cleared: "
                    + m.subMap(mm.vaBase, mm.vaBase + Kernel.USER_TOP).size());
        }
    }

    @Override
    public void taskCreated(Task task) {
        tasksCreated++;
        live.add(task);
    }

    @Override
    public void taskExited(Task task) {
        tasksExited++;
        if (!live.remove(task)) {
            throw new AssertionError(task + " exited without being created, or twice");
        }
    }

    @Override
    public void taskSwitched(Cpu cpu, Task previous, Task next) {
        switches++;
        if (!live.contains(next) || previous == next) {
            throw new AssertionError("switch on CPU " + cpu.id() + " from " + previous + " to " + next);
        }
    }

    @Override
    public void vmaMapped(Mm mm, Vma vma) {
        vmasMapped++;
    }

    @Override
    public void vmaUnmapped(Mm mm, Vma vma) {
        vmasUnmapped++;
    }

    long count(PteChange c) {
        return changes.getOrDefault(c, 0L);
    }

    /** Every live process's present user entries, walked from its tables, must be exactly the shadow's. */
    void verify(Kernel kernel) {
        for (Process p : kernel.processes()) {
            Mm mm = p.mm();
            TreeMap<Long, Long> walked = new TreeMap<>();
            kernel.pageTables().forEachLeaf(mm.root, mm.vaBase, mm.vaBase + Kernel.USER_TOP,
                    (hva, pte, level) -> walked.put(hva, pte));
            TreeMap<Long, Long> shadow = new TreeMap<>();
            byRoot.getOrDefault(mm.root, new TreeMap<>()).subMap(mm.vaBase, mm.vaBase + Kernel.USER_TOP)
                    .forEach((hva, pte) -> {
                        if (Pte.present(pte)) {
                            shadow.put(hva, pte);
                        }
                    });
            if (!walked.equals(shadow)) {
                throw new AssertionError(p + ": tables hold " + walked.size() + " entries, the reports "
                        + shadow.size());
            }
        }
    }
}
