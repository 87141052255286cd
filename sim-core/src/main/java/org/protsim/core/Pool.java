package org.protsim.core;

import java.util.function.Supplier;

/**
 * Objects kept for reuse, so that a path run once per request (a shootdown, a DMA mapping)
 * allocates nothing once the pool holds as many as are in use at once. {@link #take} hands back
 * the object given back last, or a new one; the caller sets every field it reads. Growing the
 * pool's array is the only allocation, and it stops at the most objects ever given back at once.
 */
public final class Pool<T> {
    private final Supplier<T> make;
    private Object[] free = new Object[4];
    private int size;

    /** @param make makes an object when none is free */
    public Pool(Supplier<T> make) {
        this.make = make;
    }

    /** The object given back last (last in, first out), or a new one. */
    @SuppressWarnings("unchecked")
    public T take() {
        if (size == 0) {
            return make.get();
        }
        T t = (T) free[--size];
        free[size] = null;
        return t;
    }

    /** Keeps {@code t} for a later {@link #take}; the caller no longer uses it. */
    public void give(T t) {
        if (size == free.length) {
            free = java.util.Arrays.copyOf(free, size * 2);
        }
        free[size++] = t;
    }

    /** Objects free now. */
    public int free() {
        return size;
    }
}
