package org.protsim.os.dma;

/**
 * A map from {@code long} keys to objects, open addressing with linear probing and backward-shift
 * deletion (Knuth, TAOCP vol. 3, 6.4, Algorithm R), so that a put, get or remove boxes nothing and
 * allocates nothing until the table grows: what {@code kernel.dma} looks a buffer up by (its bus
 * address) once or twice per request. Null values are not stored (null means absent).
 */
final class LongObjectMap<V> {
    private long[] keys;
    private Object[] values;
    private int size;
    private int mask;

    LongObjectMap() {
        allocate(16);
    }

    int size() {
        return size;
    }

    @SuppressWarnings("unchecked")
    V get(long key) {
        for (int i = slot(key); ; i = (i + 1) & mask) {
            Object v = values[i];
            if (v == null) {
                return null;
            }
            if (keys[i] == key) {
                return (V) v;
            }
        }
    }

    /** Maps {@code key} to {@code value} (not null); returns the value it replaced, or null. */
    @SuppressWarnings("unchecked")
    V put(long key, V value) {
        if (value == null) {
            throw new IllegalArgumentException("null value for key " + key);
        }
        int i = slot(key);
        for (; values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == key) {
                V old = (V) values[i];
                values[i] = value;
                return old;
            }
        }
        keys[i] = key;
        values[i] = value;
        if (++size * 2 > values.length) { // at most half full: probes stay short
            grow();
        }
        return null;
    }

    /** Removes {@code key}; returns its value, or null if it had none. */
    @SuppressWarnings("unchecked")
    V remove(long key) {
        int i = slot(key);
        for (; values[i] != null; i = (i + 1) & mask) {
            if (keys[i] == key) {
                V old = (V) values[i];
                shiftBack(i);
                size--;
                return old;
            }
        }
        return null;
    }

    /** Closes the hole at {@code hole}: moves up each later entry of the run that may no longer be found past it. */
    private void shiftBack(int hole) {
        for (int j = (hole + 1) & mask; values[j] != null; j = (j + 1) & mask) {
            int home = slot(keys[j]);
            // the entry at j stays if its home lies cyclically in (hole, j]
            boolean stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (!stays) {
                keys[hole] = keys[j];
                values[hole] = values[j];
                hole = j;
            }
        }
        values[hole] = null;
    }

    private int slot(long key) {
        long h = key * 0x9E37_79B9_7F4A_7C15L; // Fibonacci hashing: bus addresses differ in their high bits
        return (int) (h ^ (h >>> 32)) & mask;
    }

    private void grow() {
        long[] k = keys;
        Object[] v = values;
        allocate(values.length * 2);
        for (int i = 0; i < v.length; i++) {
            if (v[i] != null) {
                int j = slot(k[i]);
                while (values[j] != null) {
                    j = (j + 1) & mask;
                }
                keys[j] = k[i];
                values[j] = v[i];
            }
        }
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        values = new Object[capacity];
        mask = capacity - 1;
    }
}
