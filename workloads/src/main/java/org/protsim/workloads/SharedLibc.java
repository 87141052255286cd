package org.protsim.workloads;

import org.protsim.hw.Cpu;
import org.protsim.os.Image;
import org.protsim.os.Kernel;
import org.protsim.os.MemObject;
import org.protsim.os.Op;
import org.protsim.os.RefBuffer;
import org.protsim.os.TaskProgram;
import org.protsim.os.Vma;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The shared-libc workload (see {@link SharedLibcConfig}): every process maps the libraries
 * (read-only, executable, private file mappings, as ld.so maps text), then makes its
 * references: library fetches by one Zipf distribution over all library pages, whose ranks
 * are laid over the pages in a random order fixed per run, and data references to its
 * private pages.
 */
final class SharedLibc implements Workload {
    private final SharedLibcConfig config;

    SharedLibc(SharedLibcConfig config) {
        this.config = config;
    }

    @Override
    public void start(RunContext run) {
        Kernel kernel = run.kernel();
        List<SharedLibcConfig.Library> libs = config.libraries();
        MemObject[] objects = new MemObject[libs.size()];
        int total = config.libraryPages();
        int[] libOf = new int[total];
        int[] pageOf = new int[total];
        int g = 0;
        for (int i = 0; i < libs.size(); i++) {
            objects[i] = kernel.newObject(libs.get(i).name(), libs.get(i).textPages(), true);
            for (int p = 0; p < libs.get(i).textPages(); p++) {
                libOf[g] = i;
                pageOf[g] = p;
                g++;
            }
        }
        // rank r of the Zipf distribution is library page layout[r]
        SplittableRandom layoutRandom = run.simulation().streams().get("workload.shared-libc.layout");
        int[] layout = new int[total];
        for (int i = 0; i < total; i++) {
            layout[i] = i;
        }
        for (int i = total - 1; i > 0; i--) {
            int j = layoutRandom.nextInt(i + 1);
            int t = layout[i];
            layout[i] = layout[j];
            layout[j] = t;
        }
        AliasTable zipf = AliasTable.zipf(total, config.zipfExponent());
        Image app = kernel.newImage("app", 16, config.privatePages(), 16);
        for (int p = 0; p < config.processes(); p++) {
            SplittableRandom r = run.simulation().streams().get("workload.shared-libc.process" + p);
            kernel.spawn(app, new LibraryUser(app, objects, libOf, pageOf, layout, zipf, r));
        }
    }

    private final class LibraryUser implements TaskProgram {
        private final Image app;
        private final MemObject[] libraries;
        private final long[] base;
        private final int[] libOf;
        private final int[] pageOf;
        private final int[] layout;
        private final AliasTable zipf;
        private final SplittableRandom random;
        private int mapped = -1;
        private long left = config.refsPerProcess();
        private final Stretch fetches = new Stretch(config.fetchRun(), 4);
        private final Stretch data = new Stretch(config.dataRun(), 8);

        LibraryUser(Image app, MemObject[] libraries, int[] libOf, int[] pageOf, int[] layout, AliasTable zipf,
                    SplittableRandom random) {
            this.app = app;
            this.libraries = libraries;
            this.base = new long[libraries.length];
            this.libOf = libOf;
            this.pageOf = pageOf;
            this.layout = layout;
            this.zipf = zipf;
            this.random = random;
        }

        @Override
        public void returned(long value) {
            if (mapped >= 0 && mapped < libraries.length) {
                base[mapped] = value;
            }
        }

        @Override
        public Op next(RefBuffer b) {
            b.clear();
            if (++mapped < libraries.length) {
                MemObject lib = libraries[mapped];
                return new Op.Mmap(0, lib.pages() * 4096, Vma.READ | Vma.EXEC, Vma.PRIVATE, lib, 0);
            }
            mapped = libraries.length;
            if (left == 0) {
                return new Op.Exit(0);
            }
            int n = (int) Math.min(left, b.capacity());
            double libraryFraction = config.libraryFraction();
            double writeFraction = config.writeFraction();
            int privatePages = config.privatePages();
            long dataBase = app.dataBase();
            for (int i = 0; i < n; i++) {
                // one draw decides the reference (Draws): field 0 fetch or data, field 1 whether the
                // stretch goes on, field 2 read or write (data) or the instruction a jump lands on (fetch)
                long bits = random.nextLong();
                if (Draws.fraction(bits, 0) < libraryFraction) {
                    long a = fetches.proceed(bits);
                    if (a < 0) {
                        int page = layout[zipf.sample(random)];
                        long instruction = (bits >>> (2 * Draws.FIELD_BITS)) & 1023;
                        a = fetches.jump(base[libOf[page]] + pageOf[page] * 4096L + (instruction << 2));
                    }
                    b.add(a, 4, Cpu.EXECUTE);
                } else {
                    long a = data.proceed(bits);
                    if (a < 0) {
                        long jump = random.nextLong(); // a jump's own draw: page (high half), word (low 9 bits)
                        a = data.jump(dataBase + Draws.below(jump >>> 32, privatePages) * 4096L + ((jump & 511) << 3));
                    }
                    b.add(a, 8, Draws.fraction(bits, 2) < writeFraction ? Cpu.WRITE : Cpu.READ);
                }
            }
            left -= n;
            return Op.REFS;
        }
    }
}
