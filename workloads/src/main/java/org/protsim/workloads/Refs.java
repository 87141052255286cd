package org.protsim.workloads;

import org.protsim.hw.Cpu;
import org.protsim.os.RefBuffer;

import java.util.SplittableRandom;

/** Helpers generators use to emit references with the locality of real code (see {@link Stretch}). */
final class Refs {
    private Refs() {
    }

    /** A 4-byte instruction fetch: the stretch's next one, or a new stretch at a random instruction of {@code textBase}'s first {@code pages} pages. */
    static void fetch(RefBuffer b, Stretch stretch, long textBase, int pages, SplittableRandom r) {
        long a = stretch.proceed(r);
        if (a < 0) {
            a = stretch.jump(textBase + r.nextInt(pages) * 4096L + (r.nextInt(1024) << 2));
        }
        b.add(a, 4, Cpu.EXECUTE);
    }

    /** The next word of a data stretch, or -1: the caller starts a new one with {@link #startWords}. */
    static long nextWord(Stretch stretch, SplittableRandom r) {
        return stretch.proceed(r);
    }

    /** Starts a data stretch at a random word of the page at {@code page}. */
    static long startWords(Stretch stretch, long page, SplittableRandom r) {
        return stretch.jump(page + (r.nextInt(512) << 3));
    }
}
