package org.protsim.core;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Named, independent random streams derived from one root seed (as SSJ's streams, and
 * unlike gem5's single global generator). A stream's seed depends only on the root seed
 * and the stream's name, so asking for a new stream never changes the numbers of another.
 *
 * <p>Each stream is a SplitMix64 generator ({@link SplittableRandom}); seeds are mixed with
 * the SplitMix64 finalizer so that similar names and consecutive root seeds give unrelated
 * sequences.
 */
public final class RandomStreams {
    private final long rootSeed;
    private final TreeMap<String, SplittableRandom> streams = new TreeMap<>();

    public RandomStreams(long rootSeed) {
        this.rootSeed = rootSeed;
    }

    public long rootSeed() {
        return rootSeed;
    }

    /** The stream called {@code name}, created on first use; the same object on every later call. */
    public SplittableRandom get(String name) {
        return streams.computeIfAbsent(name, n -> new SplittableRandom(streamSeed(rootSeed, n)));
    }

    /** The seed of stream {@code name} under {@code rootSeed}: a pure function of the two. */
    public static long streamSeed(long rootSeed, String name) {
        return mix(rootSeed ^ mix(fnv1a(name)));
    }

    /**
     * The root seed of replication {@code r} of a run whose root seed is {@code rootSeed}.
     * Replication 0 is the run itself; the others are mixed so that replications of nearby
     * seeds do not overlap.
     */
    public static long replicationSeed(long rootSeed, int replication) {
        if (replication < 0) {
            throw new IllegalArgumentException("replication must be >= 0, got " + replication);
        }
        return replication == 0 ? rootSeed : mix(rootSeed + 0x9E3779B97F4A7C15L * replication);
    }

    /** SplitMix64's finalizer (Steele, Lea, Flood: "Fast splittable pseudorandom number generators", 2014). */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static long fnv1a(String s) {
        long h = 0xCBF29CE484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xFF;
            h *= 0x100000001B3L;
        }
        return h;
    }
}
