package org.protsim.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * A deterministic lackey trace of uniformly random references: the worst case of locality, as in
 * the big heaps, graph walks and databases memory-protection research cares about. Every reference
 * is an 8-byte load ({@code " L"}) or store ({@code " S"}, a quarter of them) of a word drawn
 * uniformly from {@code spanBytes} of data starting at {@link #BASE}, written gzip-compressed in
 * valgrind lackey's own layout ({@code " L 1004a3c8,8"}), so protsim's reader and the limit loop
 * parse it as they parse a recording. Over 1 GiB nearly every reference misses the L1 TLBs and the
 * caches. The same seed writes the same bytes.
 */
public final class RandomTrace {
    /** Where the data lies: above the 64 KiB a kernel replay keeps unmapped, 4 KiB aligned. */
    public static final long BASE = 0x1000_0000L;
    /** 1 GiB, the span of the random-reference trace. */
    public static final long GIB = 1L << 30;
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private RandomTrace() {
    }

    /**
     * Writes {@code references} references over {@code spanBytes} (a power of two, at least 8) drawn
     * from {@code seed} to {@code out} as gzip.
     */
    public static void write(Path out, long references, long spanBytes, long seed) throws IOException {
        if (spanBytes < 8 || Long.bitCount(spanBytes) != 1) {
            throw new IllegalArgumentException("span " + spanBytes + " is not a power of two of at least 8 bytes");
        }
        SplittableRandom random = new SplittableRandom(seed);
        long wordMask = (spanBytes >>> 3) - 1;
        byte[] line = new byte[32];
        try (OutputStream o = new BufferedOutputStream(new GZIPOutputStream(Files.newOutputStream(out), 1 << 16),
                1 << 16)) {
            for (long r = 0; r < references; r++) {
                long bits = random.nextLong();
                long address = BASE + ((bits & wordMask) << 3);
                // the top two bits: a store one time in four, independent of the address bits below
                boolean store = (bits >>> 62) == 0;
                int n = 0;
                line[n++] = ' ';
                line[n++] = store ? (byte) 'S' : (byte) 'L';
                line[n++] = ' ';
                n = hex(address, line, n);
                line[n++] = ',';
                line[n++] = '8';
                line[n++] = '\n';
                o.write(line, 0, n);
            }
        }
    }

    /** Lowercase hex of {@code v}, at least 8 digits as lackey prints them. */
    private static int hex(long v, byte[] b, int n) {
        int digits = Math.max(8, (67 - Long.numberOfLeadingZeros(v | 1)) / 4);
        for (int d = digits - 1; d >= 0; d--) {
            b[n++] = HEX[(int) (v >>> (4 * d)) & 15];
        }
        return n;
    }
}
