package org.protsim.os;

/**
 * What a task does next: run the references in its buffer, or make a system call. Workloads
 * emit these; the kernel switches over them. Syscalls that return a value (fork's child pid,
 * mmap's address) deliver it through {@link TaskProgram#returned}.
 */
public sealed interface Op {
    /** The task's {@link RefBuffer} holds references to run. */
    Refs REFS = new Refs();

    record Refs() implements Op {
    }

    /**
     * Create a process (fork, or a spawn-style vfork when {@code sharesMm}). {@code execsAtOnce}
     * says the child will exec before touching its parent's data (the spawn case); a model may
     * use it (sasos spawns without copying), the conventional ones cannot know it and ignore it.
     */
    record Fork(TaskProgram child, boolean execsAtOnce, boolean sharesMm) implements Op {
        public Fork(TaskProgram child, boolean execsAtOnce) {
            this(child, execsAtOnce, false);
        }
    }

    /** Create a thread of the calling process. */
    record Clone(TaskProgram thread) implements Op {
    }

    /** Replace the process's image with {@code image}; the task continues as {@code program}. */
    record Exec(Image image, TaskProgram program) implements Op {
    }

    /** End the task; the last task of a process ends the process. */
    record Exit(int status) implements Op {
    }

    /** End every task of the process at once (exit_group). */
    record ExitGroup(int status) implements Op {
    }

    /** Map {@code length} bytes; {@code addr} 0 lets the kernel choose. Returns the address. */
    record Mmap(long addr, long length, int prot, int flags, MemObject object, long objectPage) implements Op {
        public static Mmap anonymous(long addr, long length, int prot) {
            return new Mmap(addr, length, prot, Vma.PRIVATE | Vma.ANONYMOUS | (addr != 0 ? Vma.FIXED : 0), null, 0);
        }
    }

    record Munmap(long addr, long length) implements Op {
    }

    record Mprotect(long addr, long length, int prot) implements Op {
    }

    /** madvise(MADV_DONTNEED): free the pages of the range, keeping the mapping. */
    record Discard(long addr, long length) implements Op {
    }

    /** Move the end of the heap to {@code end} (0 queries it). Returns the new end. */
    record Brk(long end) implements Op {
    }

    /** Give up the CPU to the next runnable task, if any. */
    record Yield() implements Op {
    }

    /** Create a first-class address space of {@code pages} pages at {@code base}; returns its id. */
    record VasCreate(long base, long pages, boolean readOnly) implements Op {
    }

    /** Attach VAS {@code id} to the calling process. */
    record VasAttach(int id) implements Op {
    }

    /** Run the calling task in VAS {@code id} (0: the process's own address space). */
    record VasSwitch(int id) implements Op {
    }

    /**
     * A system call a {@link KernelMechanism} adds (its records implement this): routed to the
     * active mechanism that claims the record's class in {@link KernelMechanism#ops()}.
     */
    non-sealed interface MechanismOp extends Op {
    }
}
