package org.protsim.hw;

/**
 * 8-bit partial tags of a set-associative tag store, eight ways to a 64-bit word, so that a
 * lookup matches a whole set with one or two word operations (SWAR: the has-zero-byte test of
 * Mycroft's, as in Hacker's Delight 6-1) instead of one load and compare per way. Hardware does
 * the same with partial-tag (way-predicting) lookups. A partial match is only a candidate: the
 * owner confirms it against the full tag, lowest way first, so a lookup finds exactly the way a
 * scan in way order finds. A slot's partial tag is written when it is filled; invalid slots keep
 * a stale one, which the full tag (never a valid key) rejects.
 */
final class PartialTags {
    private static final long ONES = 0x0101_0101_0101_0101L;
    private static final long HIGHS = 0x8080_8080_8080_8080L;
    /** Fibonacci hashing: the top byte of key times 2^64/phi depends on every bit of the key. */
    private static final long GOLDEN = 0x9E37_79B9_7F4A_7C15L;

    private final long[] words;
    private final int wordsPerSet;
    private final long lastHigh;   // the high bits of the last word's ways that exist

    PartialTags(int sets, int ways) {
        this.wordsPerSet = (ways + 7) >>> 3;
        this.words = new long[sets * wordsPerSet];
        int lastWays = ways - ((wordsPerSet - 1) << 3);
        this.lastHigh = lastWays == 8 ? HIGHS : HIGHS & ((1L << (lastWays << 3)) - 1);
    }

    int wordsPerSet() {
        return wordsPerSet;
    }

    /** {@code key}'s partial tag in every byte of a word, for {@link #candidates}. */
    static long pattern(long key) {
        return ((key * GOLDEN) >>> 56) * ONES;
    }

    /** Records {@code key}'s partial tag for way {@code way} of set {@code set}. */
    void set(int set, int way, long key) {
        int word = set * wordsPerSet + (way >>> 3);
        int shift = (way & 7) << 3;
        words[word] = (words[word] & ~(0xFFL << shift)) | (((key * GOLDEN) >>> 56) << shift);
    }

    /**
     * The ways 8w..8w+7 of {@code set} whose partial tag may equal {@code pattern}'s: bit 8i+7 for
     * way 8w+i. Every true match is set; a byte above a true match may be set too (the borrow of
     * the subtraction), which the full-tag check rejects.
     */
    long candidates(int set, int w, long pattern) {
        long x = words[set * wordsPerSet + w] ^ pattern;
        return (x - ONES) & ~x & (w == wordsPerSet - 1 ? lastHigh : HIGHS);
    }

    /** The way within its word of the lowest candidate of {@code candidates}. */
    static int lowestWay(long candidates) {
        return Long.numberOfTrailingZeros(candidates) >>> 3;
    }
}
