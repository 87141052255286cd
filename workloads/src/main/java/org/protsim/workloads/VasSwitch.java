package org.protsim.workloads;

import org.protsim.core.config.ModelName;
import org.protsim.hw.Cpu;
import org.protsim.os.Image;
import org.protsim.os.Kernel;
import org.protsim.os.MemObject;
import org.protsim.os.Op;
import org.protsim.os.RefBuffer;
import org.protsim.os.TaskProgram;
import org.protsim.os.Vma;

import java.util.ArrayDeque;
import java.util.SplittableRandom;

/**
 * The vas-switch workload (see {@link VasSwitchConfig}). Data set i lives at (i + 1) x 512 GiB
 * (one top-level page-table entry each, as a first-class address space needs); under the
 * other models thread t maps the data set it visits at its own window, (dataSets + t + 1) x
 * 512 GiB, so threads never unmap each other's.
 */
final class VasSwitch implements Workload {
    static final long SLOT = 1L << 39;

    private final VasSwitchConfig config;

    VasSwitch(VasSwitchConfig config) {
        this.config = config;
    }

    @Override
    public void start(RunContext run) {
        Kernel kernel = run.kernel();
        boolean vas = ModelName.VAS.json().equals(run.config().model().name());
        MemObject[] sets = new MemObject[config.dataSets()];
        for (int i = 0; i < sets.length; i++) {
            sets[i] = kernel.newObject("dataset" + i, config.dataSetPages(), false);
        }
        ArrayDeque<Op> setup = new ArrayDeque<>();
        if (vas) {
            for (int i = 0; i < sets.length; i++) {
                setup.add(new Op.VasCreate((i + 1) * SLOT, config.dataSetPages(), false));
            }
            for (int i = 0; i < sets.length; i++) {
                setup.add(new Op.VasAttach(i + 1));
            }
        }
        Visitor[] visitors = new Visitor[config.threads()];
        for (int t = 0; t < visitors.length; t++) {
            int visits = config.visits() / config.threads() + (t < config.visits() % config.threads() ? 1 : 0);
            visitors[t] = new Visitor(t, visits, vas, sets, run.simulation().streams().get("workload.vas-switch.thread" + t));
        }
        for (int t = 1; t < visitors.length; t++) {
            setup.add(new Op.Clone(visitors[t]));
        }
        kernel.spawn(kernel.newImage("jmp", 8, 16, 16), new TaskProgram() {
            @Override
            public Op next(RefBuffer refs) {
                return setup.isEmpty() ? visitors[0].next(refs) : setup.poll();
            }
        });
    }

    /** One thread: visits data sets in turn, starting at its own index. */
    private final class Visitor implements TaskProgram {
        private final int thread;
        private final boolean vas;
        private final MemObject[] sets;
        private final SplittableRandom random;
        private final ArrayDeque<Op> queued = new ArrayDeque<>();
        private int visitsLeft;
        private int refsLeft;
        private int current = -1;
        private long base;
        private final Stretch words = Stretch.words();

        Visitor(int thread, int visits, boolean vas, MemObject[] sets, SplittableRandom random) {
            this.thread = thread;
            this.visitsLeft = visits;
            this.vas = vas;
            this.sets = sets;
            this.random = random;
        }

        @Override
        public Op next(RefBuffer b) {
            b.clear();
            if (!queued.isEmpty()) {
                return queued.poll();
            }
            if (refsLeft > 0) {
                int n = Math.min(refsLeft, b.capacity());
                int pages = config.dataSetPages();
                double w = config.writeFraction();
                for (int i = 0; i < n; i++) {
                    long a = Refs.nextWord(words, random);
                    if (a < 0 || a < base || a >= base + pages * 4096L) {
                        a = Refs.startWords(words, base + random.nextInt(pages) * 4096L, random);
                    }
                    b.add(a, 8, random.nextDouble() < w ? Cpu.WRITE : Cpu.READ);
                }
                refsLeft -= n;
                return Op.REFS;
            }
            if (visitsLeft == 0) {
                return vas || current < 0 ? new Op.Exit(0) : unmapThenExit();
            }
            visitsLeft--;
            int next = current < 0 ? thread % sets.length : (current + 1) % sets.length;
            refsLeft = config.refsPerVisit();
            long length = (long) config.dataSetPages() * 4096;
            if (vas) {
                base = (next + 1) * SLOT;
                current = next;
                return new Op.VasSwitch(next + 1);
            }
            base = (sets.length + thread + 1) * SLOT;
            if (current >= 0) {
                queued.add(new Op.Mmap(base, length, Vma.READ | Vma.WRITE, Vma.SHARED | Vma.FIXED, sets[next], 0));
                current = next;
                return new Op.Munmap(base, length);
            }
            current = next;
            return new Op.Mmap(base, length, Vma.READ | Vma.WRITE, Vma.SHARED | Vma.FIXED, sets[next], 0);
        }

        private Op unmapThenExit() {
            queued.add(new Op.Exit(0));
            current = -1;
            return new Op.Munmap(base, (long) config.dataSetPages() * 4096);
        }
    }
}
