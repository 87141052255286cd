package org.protsim.workloads;

import org.protsim.core.InputError;
import org.protsim.core.stats.Counter;
import org.protsim.os.Kernel;
import org.protsim.os.Op;
import org.protsim.os.RefBuffer;
import org.protsim.os.TaskProgram;
import org.protsim.os.Vma;
import org.protsim.workloads.trace.ReadAhead;

/**
 * A lackey trace replayed as a process of the kernel (page faults, page tables, the chosen
 * model): the process maps its whole user address space as one private anonymous read,
 * write and execute region, so every page the trace touches is faulted in (demand-zero) on
 * first use, and then runs the trace's references, streamed in constant memory.
 *
 * <p>A reference no mapping of the process allows (below the region, above it, at or beyond
 * 2^47 where x86-64's 4-level user half ends, or past what the model's address space holds)
 * would kill a real process with SIGSEGV. A recording cannot contain one the traced program
 * survived, so it comes from a damaged or hand-edited trace: the reference is dropped, counted
 * as {@code trace.unreachable}, and the rest of the trace is replayed (as strace replay drops
 * its stray references), so a run always reads the whole trace.
 */
final class KernelLackeyReplay implements Workload {
    /** The region starts above the first 64 KiB (kept unmapped, as Linux's mmap_min_addr does). */
    static final long REGION_START = 0x1_0000L;

    private final LackeyConfig config;

    KernelLackeyReplay(LackeyConfig config) {
        this.config = config;
    }

    @Override
    public void start(RunContext run) {
        ReadAhead reader;
        try {
            reader = ReadAhead.open(config.path());
        } catch (InputError e) {
            throw new InputError("workload.path: " + e.getMessage());
        }
        Kernel kernel = run.kernel();
        run.simulation().stats().counter("trace.lines", "lines", "trace lines read", reader::line);
        run.simulation().stats().counter("trace.ignoredLines", "lines",
                "trace lines safely ignored (valgrind messages, blank)", reader::ignoredLines);
        // the kernel counts what it drops as faults.stray; in this replay those are exactly the
        // unreachable references (the region allows every access), so they are reported by that name too
        Counter stray = run.simulation().stats().counter("faults.stray", "faults",
                "replayed references no mapping allowed, dropped");
        run.simulation().stats().counter("trace.unreachable", "references",
                "trace references the process cannot reach (no mapping: below 64 KiB, at or above the region's end "
                        + "or 2^47), dropped; the rest of the trace is replayed", stray);
        kernel.spawn(kernel.newImage("lackey", 1, 1, 1), new TaskProgram() {
            private boolean mapped;

            @Override
            public Op next(RefBuffer refs) {
                if (!mapped) {
                    mapped = true;
                    // everything the trace may touch, below the stack the image layout reserves
                    return new Op.Mmap(REGION_START, 0x7000_0000_0000L - REGION_START,
                            Vma.READ | Vma.WRITE | Vma.EXEC, Vma.PRIVATE | Vma.ANONYMOUS | Vma.FIXED, null, 0);
                }
                if (reader.fill(refs)) {
                    refs.dropStray = true;
                    return Op.REFS;
                }
                reader.close();
                if (reader.references() == 0) {
                    throw InputError.at(reader.file(), reader.line() + 1, "no references in the trace");
                }
                return new Op.Exit(0);
            }
        });
    }
}
