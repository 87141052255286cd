package org.protsim.os.model;

import org.protsim.core.config.RunConfig;
import org.protsim.hw.RadixPageTable;
import org.protsim.os.Kernel;
import org.protsim.os.KernelAccess;
import org.protsim.os.MemObject;
import org.protsim.os.Mm;
import org.protsim.os.Vma;

/** Builds the configured model, and the few kernel-internal operations models share. */
public final class Models {
    /** User addresses lie below 2^47 in every model (sasos adds its space base on top). */
    public static final long USER_TOP = 1L << 47;

    private Models() {
    }

    public static ProtectionModel create(RunConfig config, Kernel kernel) {
        return switch (config.model().name()) {
            case CONVENTIONAL -> new ConventionalModel();
            case PCID -> new PcidModel(config.model());
            case SASOS -> new SasosModel(config.model());
            case SHARED_ASID -> new SharedAsidModel(config.model());
            case VAS -> new VasModel(config.model());
        };
    }

    /** ASID rollovers so far (0 for models without generations). */
    public static long rollovers(ProtectionModel m) {
        if (m instanceof PcidModel p) {
            return p.rollovers();
        }
        if (m instanceof SharedAsidModel s) {
            return s.rollovers();
        }
        if (m instanceof VasModel v) {
            return v.rollovers();
        }
        return 0;
    }

    /** Copies {@code source}'s top-level entry for {@code hva} into {@code view} (a new subtree appeared). */
    public static void syncView(Kernel kernel, Mm view, Mm source, long hva) {
        int levels = kernel.tables().levels();
        int i = RadixPageTable.index(hva, levels);
        kernel.memory().writePte(view.root, i, kernel.memory().readPte(source.root, i));
    }

    static void copyVmas(Kernel kernel, Mm from, Mm to) {
        KernelAccess.copyVmas(kernel, from, to);
    }

    static void addResident(Mm mm, long pages) {
        KernelAccess.addResident(mm, pages);
    }

    static void setFixedAddress(MemObject o, long address) {
        KernelAccess.setFixedAddress(o, address);
    }

    static void setSharedSpace(MemObject o, int space) {
        KernelAccess.setSharedSpace(o, space);
    }

    static void setVmaSharedSpace(Vma v, int space) {
        KernelAccess.setVmaSharedSpace(v, space);
    }

    static Vma newVma(long start, long end, int prot, int flags) {
        return KernelAccess.newVma(start, end, prot, flags);
    }

    static void addVma(Kernel kernel, Mm mm, Vma v) {
        KernelAccess.addVma(kernel, mm, v);
    }
}
