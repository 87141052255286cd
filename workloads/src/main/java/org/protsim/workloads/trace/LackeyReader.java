package org.protsim.workloads.trace;

import org.protsim.core.InputError;
import org.protsim.hw.Cpu;
import org.protsim.os.RefBuffer;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.ZipException;

/**
 * Streams a valgrind lackey trace ({@code valgrind --tool=lackey --trace-mem=yes}), plain or
 * gzip (recognised by its magic bytes), in constant memory. Lines:
 * <pre>
 * I  04001e30,3       instruction fetch
 *  L 1ffefffdd8,8     load
 *  S 1ffefffdd0,8     store
 *  M 0402b0a8,4       modify (load and store of one location: one reference, a write)
 * ==1234== ...        valgrind's own messages: ignored
 * </pre>
 * Blank lines are ignored too. Any other line is an {@link InputError} naming the file and
 * line. Bytes are parsed in place from a reusable buffer: reading allocates nothing per line.
 */
public final class LackeyReader implements AutoCloseable {
    private static final int BUFFER = 1 << 16;

    private final String file;
    private final InputStream in;
    private final byte[] buf = new byte[BUFFER];
    private int pos;
    private int limit;
    private boolean eof;
    private long line;
    private long ignoredLines;
    private long references;

    private LackeyReader(String file, InputStream in) {
        this.file = file;
        this.in = in;
    }

    /** Opens {@code path}; a missing or unreadable file is an {@link InputError}. */
    public static LackeyReader open(Path path) {
        return open(path.toString());
    }

    /** Opens a file path or a {@code builtin:} recording (see {@link TraceSource}). */
    public static LackeyReader open(String path) {
        return new LackeyReader(path, TraceSource.open(path, BUFFER));
    }

    public String file() {
        return file;
    }

    public long line() {
        return line;
    }

    public long ignoredLines() {
        return ignoredLines;
    }

    public long references() {
        return references;
    }

    /**
     * Appends references to {@code out} until it is full or the trace ends; returns false when
     * the trace has ended and nothing was added.
     */
    public boolean fill(RefBuffer out) {
        out.clear();
        while (!out.isFull()) {
            int next = parseCommon(out);
            if (next >= 0) {
                pos = next;
                continue;
            }
            // anything else (a line split across buffers, a message, an error): the general path
            int nl = findNewline();
            if (nl < 0) {
                break; // end of input
            }
            line++;
            parseLine(pos, nl, out);
            pos = nl + 1;
        }
        return out.count > 0;
    }

    private static final int[] HEX = new int[256];
    private static final int[] KIND = new int[256];

    static {
        java.util.Arrays.fill(HEX, -1);
        for (int c = '0'; c <= '9'; c++) {
            HEX[c] = c - '0';
        }
        for (int c = 'a'; c <= 'f'; c++) {
            HEX[c] = c - 'a' + 10;
            HEX[c - 'a' + 'A'] = c - 'a' + 10;
        }
        java.util.Arrays.fill(KIND, -1);
        KIND['I'] = Cpu.EXECUTE;
        KIND['L'] = Cpu.READ;
        KIND['S'] = Cpu.WRITE;
        KIND['M'] = Cpu.WRITE;
    }

    /**
     * One pass over a well-formed reference line wholly in the buffer ("I  04001e30,3\n",
     * " L 1ffefffdd8,8\n"): adds the reference and returns where the next line starts. Returns
     * -1 for anything else (the line runs past the buffer, is a message or blank, or is
     * malformed), leaving it to the general path, which reads it again and names any error.
     */
    private int parseCommon(RefBuffer out) {
        final byte[] b = buf;
        final int lim = limit;
        int i = pos;
        while (i < lim && b[i] == ' ') {
            i++;
        }
        if (i + 2 >= lim) {
            return -1;
        }
        int access = KIND[b[i] & 0xFF];
        if (access < 0 || b[i + 1] != ' ') {
            return -1;
        }
        i += 2;
        while (i < lim && b[i] == ' ') {
            i++;
        }
        long address = 0;
        int start = i;
        int d;
        while (i < lim && (d = HEX[b[i] & 0xFF]) >= 0) {
            address = (address << 4) | d;
            i++;
        }
        int digits = i - start;
        if (i >= lim || b[i] != ',' || digits == 0 || digits > 16) {
            return -1;
        }
        i++;
        int size = 0;
        start = i;
        while (i < lim && b[i] >= '0' && b[i] <= '9' && i - start < 6) {
            size = size * 10 + (b[i] - '0');
            i++;
        }
        if (i >= lim || b[i] != '\n' || i == start || size == 0 || size > 4096) {
            return -1;
        }
        line++;
        references++;
        out.add(address, size, access);
        return i + 1;
    }

    /** Index of the next line's end in buf (refilling as needed); -1 at the end of input. */
    private int findNewline() {
        int i = pos;
        while (true) {
            for (; i < limit; i++) {
                if (buf[i] == '\n') {
                    return i;
                }
            }
            if (eof) {
                if (pos == limit) {
                    return -1;
                }
                // a last line without a newline: terminate it in place
                if (limit == buf.length) {
                    compact();
                    if (limit == buf.length) {
                        throw InputError.at(file, line + 1, "line longer than " + BUFFER + " bytes");
                    }
                }
                buf[limit] = '\n';
                return limit++;
            }
            int shift = pos;
            compact();
            i -= shift;
            if (limit == buf.length) {
                throw InputError.at(file, line + 1, "line longer than " + BUFFER + " bytes");
            }
            read();
        }
    }

    private void compact() {
        int n = limit - pos;
        System.arraycopy(buf, pos, buf, 0, n);
        pos = 0;
        limit = n;
    }

    private void read() {
        try {
            int n = in.read(buf, limit, buf.length - limit);
            if (n < 0) {
                eof = true;
            } else {
                limit += n;
            }
        } catch (EOFException e) {
            throw InputError.at(file, line + 1, "truncated gzip stream (" + e.getMessage() + ")");
        } catch (ZipException e) {
            throw InputError.at(file, line + 1, "corrupt gzip stream (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw InputError.at(file, line + 1, "read error: " + e.getMessage());
        }
    }

    private void parseLine(int start, int end, RefBuffer out) {
        if (end > start && buf[end - 1] == '\r') {
            end--;
        }
        int i = start;
        while (i < end && buf[i] == ' ') {
            i++;
        }
        if (i == end) {
            ignoredLines++;
            return;
        }
        if (buf[i] == '=' && i + 1 < end && buf[i + 1] == '=') {
            ignoredLines++;
            return;
        }
        int access;
        switch (buf[i]) {
            case 'I':
                access = Cpu.EXECUTE;
                break;
            case 'L':
                access = Cpu.READ;
                break;
            case 'S':
            case 'M':
                access = Cpu.WRITE;
                break;
            default:
                throw malformed(start, end);
        }
        i++;
        int spaces = i;
        while (i < end && buf[i] == ' ') {
            i++;
        }
        if (i == spaces) {
            throw malformed(start, end);
        }
        long address = 0;
        int digits = 0;
        while (i < end && buf[i] != ',') {
            int d = hex(buf[i]);
            if (d < 0 || ++digits > 16) {
                throw malformed(start, end);
            }
            address = (address << 4) | d;
            i++;
        }
        if (digits == 0 || i == end) {
            throw malformed(start, end);
        }
        i++; // ','
        int size = 0;
        int sizeDigits = 0;
        while (i < end && buf[i] >= '0' && buf[i] <= '9') {
            size = size * 10 + (buf[i] - '0');
            if (++sizeDigits > 6) {
                throw malformed(start, end);
            }
            i++;
        }
        while (i < end && buf[i] == ' ') {
            i++;
        }
        if (sizeDigits == 0 || i != end) {
            throw malformed(start, end);
        }
        if (size == 0 || size > 4096) {
            throw InputError.at(file, line, "reference size " + size + " is outside 1..4096");
        }
        out.add(address, size, access);
        references++;
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }

    private InputError malformed(int start, int end) {
        int n = Math.min(end - start, 60);
        String text = new String(buf, start, n, StandardCharsets.ISO_8859_1).replaceAll("\\p{Cntrl}", "?");
        return InputError.at(file, line, "expected \"I|L|S|M ADDRESS,SIZE\" or a \"==\" line, got \""
                + text + (end - start > n ? "..." : "") + "\"");
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            // nothing more to read; closing failures do not change the results
        }
    }
}
