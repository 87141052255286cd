package org.protsim.workloads;

import org.protsim.hw.Cpu;
import org.protsim.os.RefBuffer;

import java.util.SplittableRandom;

/** Helpers generators use to emit references with the locality of real code (see {@link Run}). */
final class Refs {
    private Refs() {
    }

    /** A 4-byte instruction fetch: the run's next one, or a new run at a random instruction of {@code textBase}'s first {@code pages} pages. */
    static void fetch(RefBuffer b, Run run, long textBase, int pages, SplittableRandom r) {
        long a = run.continueRun(r);
        if (a < 0) {
            a = run.jump(textBase + r.nextInt(pages) * 4096L + (r.nextInt(1024) << 2));
        }
        b.add(a, 4, Cpu.EXECUTE);
    }

    /** The next word of a data run, or -1: the caller starts a new one with {@link #startWords}. */
    static long nextWord(Run run, SplittableRandom r) {
        return run.continueRun(r);
    }

    /** Starts a data run at a random word of the page at {@code page}. */
    static long startWords(Run run, long page, SplittableRandom r) {
        return run.jump(page + (r.nextInt(512) << 3));
    }
}
