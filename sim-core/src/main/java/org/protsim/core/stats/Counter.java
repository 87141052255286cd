package org.protsim.core.stats;

import java.util.function.LongSupplier;

/** A named event count. A plain mutable long: components increment it on hot paths without allocation. */
public final class Counter implements LongSupplier {
    private long value;

    public void increment() {
        value++;
    }

    public void add(long n) {
        value += n;
    }

    public long value() {
        return value;
    }

    @Override
    public long getAsLong() {
        return value;
    }
}
