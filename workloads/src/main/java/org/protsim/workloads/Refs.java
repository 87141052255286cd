package org.protsim.workloads;

import org.protsim.hw.Cpu;
import org.protsim.os.RefBuffer;

import java.util.SplittableRandom;

/** Helpers generators use to emit references: an instruction fetch or a data access within a page. */
final class Refs {
    private Refs() {
    }

    /** A 4-byte instruction fetch at a random aligned offset of the page at {@code page}. */
    static void fetch(RefBuffer b, long page, SplittableRandom r) {
        b.add(page + (r.nextInt(1024) << 2), 4, Cpu.EXECUTE);
    }

    /** An 8-byte load or store at a random aligned offset of the page at {@code page}. */
    static void data(RefBuffer b, long page, boolean write, SplittableRandom r) {
        b.add(page + (r.nextInt(512) << 3), 8, write ? Cpu.WRITE : Cpu.READ);
    }
}
