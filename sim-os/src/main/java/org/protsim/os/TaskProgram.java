package org.protsim.os;

/**
 * The behaviour of one task: a generator of operations, driven by the kernel. Each call to
 * {@link #next} either fills the buffer with references and returns {@link Op#REFS}, or
 * returns a system call. Programs draw randomness from their own named stream.
 */
public interface TaskProgram {
    /** The next operation; {@code refs} is empty (position == count) when called. */
    Op next(RefBuffer refs);

    /** The value the last system call returned (child pid, mapped address, ...). */
    default void returned(long value) {
    }
}
