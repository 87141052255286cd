package org.protsim.workloads;

import org.protsim.hw.Cpu;
import org.protsim.os.Image;
import org.protsim.os.Kernel;
import org.protsim.os.Op;
import org.protsim.os.RefBuffer;
import org.protsim.os.TaskProgram;

import java.util.SplittableRandom;

/**
 * The fork-storm workload (see {@link ForkStormConfig}). Every parent first writes each page
 * of its data once (its resident set), then alternates: fork a child, work over its own data.
 * Children either exec a small image at once and run there, or run over the data they
 * inherited, writing their share of its pages (copy-on-write). One instruction fetch from the
 * image's first 16 text pages accompanies every three data references; both streams come in
 * stretches ({@link Stretch}), each data stretch over one page chosen uniformly.
 */
final class ForkStorm implements Workload {
    private static final int HOT_TEXT_PAGES = 16;
    private static final int CHILD_DATA_PAGES = 16;

    private final ForkStormConfig config;

    ForkStorm(ForkStormConfig config) {
        this.config = config;
    }

    @Override
    public void start(RunContext run) {
        Kernel kernel = run.kernel();
        Image server = kernel.newImage("server", config.imagePages(), config.residentPages(), 16);
        Image child = kernel.newImage("child", config.imagePages(), CHILD_DATA_PAGES, 16);
        for (int p = 0; p < config.parents(); p++) {
            int forks = config.forks() / config.parents() + (p < config.forks() % config.parents() ? 1 : 0);
            SplittableRandom r = run.simulation().streams().get("workload.fork-storm.parent" + p);
            kernel.spawn(server, new Parent(server, child, forks, r));
        }
    }

    private int hotText() {
        return Math.min(HOT_TEXT_PAGES, config.imagePages());
    }

    /** Touch the resident set, then fork and work until the share of forks is done. */
    private final class Parent implements TaskProgram {
        private final Image image;
        private final Image childImage;
        private final SplittableRandom random;
        private int touched;
        private int forksLeft;
        private int workLeft;
        private final Stretch fetches = Stretch.fetches();
        private final Stretch words = Stretch.words();

        Parent(Image image, Image childImage, int forks, SplittableRandom random) {
            this.image = image;
            this.childImage = childImage;
            this.forksLeft = forks;
            this.random = random;
        }

        @Override
        public Op next(RefBuffer b) {
            b.clear();
            if (touched < config.residentPages()) {
                while (!b.isFull() && touched < config.residentPages()) {
                    b.add(image.dataBase() + touched * 4096L, 8, Cpu.WRITE);
                    touched++;
                }
                return Op.REFS;
            }
            if (workLeft > 0) {
                int n = Math.min(workLeft, b.capacity());
                for (int i = 0; i < n; i++) {
                    if (i % 4 == 0) {
                        Refs.fetch(b, fetches, image.textBase(), hotText(), random);
                    } else {
                        long a = Refs.nextWord(words, random);
                        if (a < 0) {
                            a = Refs.startWords(words, image.dataBase() + random.nextInt(config.residentPages()) * 4096L,
                                    random);
                        }
                        b.add(a, 8, random.nextDouble() < 0.3 ? Cpu.WRITE : Cpu.READ);
                    }
                }
                workLeft -= n;
                return Op.REFS;
            }
            if (forksLeft == 0) {
                return new Op.Exit(0);
            }
            forksLeft--;
            workLeft = config.parentRefsPerFork();
            boolean exec = random.nextDouble() < config.execFraction();
            SplittableRandom childRandom = random.split();
            TaskProgram c = exec ? new ExecChild(childImage, childRandom) : new Worker(image, childRandom);
            return new Op.Fork(c, exec);
        }
    }

    /** The spawn case: exec the child image at once, run there, exit. */
    private final class ExecChild implements TaskProgram {
        private final Image image;
        private final SplittableRandom random;

        ExecChild(Image image, SplittableRandom random) {
            this.image = image;
            this.random = random;
        }

        @Override
        public Op next(RefBuffer b) {
            return new Op.Exec(image, new Execed(image, random));
        }
    }

    /** A child's life: {@code childRefs} references, made one at a time by {@link #reference}, then exit. */
    private abstract class Child implements TaskProgram {
        final Image image;
        final SplittableRandom random;
        final Stretch fetches = Stretch.fetches();
        final Stretch words = Stretch.words();
        private int left = config.childRefs();

        Child(Image image, SplittableRandom random) {
            this.image = image;
            this.random = random;
        }

        /** Adds the {@code i}-th reference of this batch to {@code b}. */
        abstract void reference(RefBuffer b, int i);

        @Override
        public final Op next(RefBuffer b) {
            b.clear();
            if (left == 0) {
                return new Op.Exit(0);
            }
            int n = Math.min(left, b.capacity());
            for (int i = 0; i < n; i++) {
                reference(b, i);
            }
            left -= n;
            return Op.REFS;
        }
    }

    /** The exec'd child: fetches over its whole text, data over its small data segment. */
    private final class Execed extends Child {
        Execed(Image image, SplittableRandom random) {
            super(image, random);
        }

        @Override
        void reference(RefBuffer b, int i) {
            if (i % 4 != 3) {
                Refs.fetch(b, fetches, image.textBase(), config.imagePages(), random);
            } else {
                long a = Refs.nextWord(words, random);
                if (a < 0) {
                    a = Refs.startWords(words, image.dataBase() + random.nextInt(CHILD_DATA_PAGES) * 4096L, random);
                }
                b.add(a, 8, random.nextDouble() < 0.3 ? Cpu.WRITE : Cpu.READ);
            }
        }
    }

    /** The pre-fork server case: work over the inherited data, writing a fixed share of its pages. */
    private final class Worker extends Child {
        private final int writeFirst;
        private final int writePages;

        Worker(Image image, SplittableRandom random) {
            super(image, random);
            this.writePages = (int) Math.round(config.childWriteFraction() * config.residentPages());
            this.writeFirst = random.nextInt(config.residentPages());
        }

        @Override
        void reference(RefBuffer b, int i) {
            if (i % 4 == 0) {
                Refs.fetch(b, fetches, image.textBase(), hotText(), random);
            } else {
                int resident = config.residentPages();
                long a = Refs.nextWord(words, random);
                if (a < 0) {
                    a = Refs.startWords(words, image.dataBase() + random.nextInt(resident) * 4096L, random);
                }
                int page = (int) ((a - image.dataBase()) >>> 12);
                boolean write = Math.floorMod(page - writeFirst, resident) < writePages;
                b.add(a, 8, write ? Cpu.WRITE : Cpu.READ);
            }
        }
    }
}
