package org.protsim.workloads.trace;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.protsim.core.InputError;
import org.protsim.hw.Cpu;
import org.protsim.os.RefBuffer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LackeyReaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text, StandardCharsets.ISO_8859_1);
        return f;
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        }
        return bytes.toByteArray();
    }

    private static RefBuffer readAll(Path f) {
        RefBuffer all = new RefBuffer(1 << 20);
        RefBuffer b = new RefBuffer(7); // small batches, to cross batch boundaries
        try (LackeyReader r = LackeyReader.open(f)) {
            while (r.fill(b)) {
                for (int i = 0; i < b.count; i++) {
                    all.add(b.addresses[i], b.sizes[i], b.accesses[i]);
                }
            }
        }
        return all;
    }

    private static final String SAMPLE = """
            ==4242== Lackey, an example Valgrind tool
            I  04001e30,3
             L 1ffefffdd8,8
             S 1ffefffdd0,8
             M 0402b0a8,4

            I  FFFFFFFF00000000,16
            ==4242== Counted 1 call to main()
            """;

    @Test
    void shouldParseEveryKindAndIgnoreValgrindMessagesAndBlankLines() throws IOException {
        Path f = write("t.lackey", SAMPLE);
        RefBuffer r = readAll(f);
        assertThat(r.count).isEqualTo(5);
        assertThat(Arrays.copyOf(r.addresses, 5)).containsExactly(0x04001e30L, 0x1ffefffdd8L, 0x1ffefffdd0L,
                0x0402b0a8L, 0xFFFFFFFF00000000L);
        assertThat(Arrays.copyOf(r.sizes, 5)).containsExactly(3, 8, 8, 4, 16);
        assertThat(Arrays.copyOf(r.accesses, 5)).containsExactly((byte) Cpu.EXECUTE, (byte) Cpu.READ,
                (byte) Cpu.WRITE, (byte) Cpu.WRITE, (byte) Cpu.EXECUTE);
        try (LackeyReader reader = LackeyReader.open(f)) {
            while (reader.fill(new RefBuffer(100))) {
                // drain
            }
            assertThat(reader.line()).isEqualTo(8);
            assertThat(reader.ignoredLines()).isEqualTo(3);
            assertThat(reader.references()).isEqualTo(5);
        }
    }

    @Test
    void shouldReadGzipLikePlainTextAndToleratCrLfAndAMissingLastNewline() throws IOException {
        Path plain = write("p.lackey", SAMPLE);
        Path gz = dir.resolve("g.lackey.gz");
        Files.write(gz, gzip(SAMPLE));
        Path crlf = write("c.lackey", SAMPLE.replace("\n", "\r\n").stripTrailing());
        RefBuffer a = readAll(plain);
        for (Path other : new Path[]{gz, crlf}) {
            RefBuffer b = readAll(other);
            assertThat(b.count).isEqualTo(a.count);
            assertThat(Arrays.copyOf(b.addresses, b.count)).isEqualTo(Arrays.copyOf(a.addresses, a.count));
        }
    }

    @Test
    void shouldStreamAcrossItsBufferBoundaries() throws IOException {
        StringBuilder sb = new StringBuilder();
        int n = 50_000; // about 800 KB: many 64 KiB buffers, lines split across them
        for (int i = 0; i < n; i++) {
            sb.append(i % 2 == 0 ? " L " : "I  ").append(Long.toHexString(0x1000L + 8L * i)).append(',')
                    .append(1 + i % 8).append('\n');
        }
        RefBuffer r = readAll(write("big.lackey", sb.toString()));
        assertThat(r.count).isEqualTo(n);
        assertThat(r.addresses[n - 1]).isEqualTo(0x1000L + 8L * (n - 1));
        assertThat(r.sizes[n - 1]).isEqualTo(1 + (n - 1) % 8);
    }

    private void assertMalformed(String text, String expected) throws IOException {
        Path f = write("bad.lackey", text);
        assertThatThrownBy(() -> readAll(f)).isInstanceOf(InputError.class).hasMessage(f + expected);
    }

    @Test
    void shouldNameTheFileAndLineOfAMalformedLine() throws IOException {
        String ok = "I  0400,4\n";
        assertMalformed(ok + " X 1000,4\n", ":2: expected \"I|L|S|M ADDRESS,SIZE\" or a \"==\" line, got \" X 1000,4\"");
        assertMalformed(ok + ok + " L 10zz,4\n", ":3: expected \"I|L|S|M ADDRESS,SIZE\" or a \"==\" line, got \" L 10zz,4\"");
        assertMalformed(" L 1000\n", ":1: expected \"I|L|S|M ADDRESS,SIZE\" or a \"==\" line, got \" L 1000\"");
        assertMalformed(" L 1000,\n", ":1: expected \"I|L|S|M ADDRESS,SIZE\" or a \"==\" line, got \" L 1000,\"");
        assertMalformed(" L1000,4\n", ":1: expected \"I|L|S|M ADDRESS,SIZE\" or a \"==\" line, got \" L1000,4\"");
        assertMalformed(" L 1000,4 extra\n", ":1: expected \"I|L|S|M ADDRESS,SIZE\" or a \"==\" line, got \" L 1000,4 extra\"");
        assertMalformed(" L 11112222333344445,4\n", ":1: expected \"I|L|S|M ADDRESS,SIZE\" or a \"==\" line, got \" L 11112222333344445,4\"");
        assertMalformed(ok + "hello from the program\n",
                ":2: expected \"I|L|S|M ADDRESS,SIZE\" or a \"==\" line, got \"hello from the program\"");
        assertMalformed(" L 1000,0\n", ":1: reference size 0 is outside 1..4096");
    }

    @Test
    void shouldNameTheLineWhereATruncatedOrCorruptGzipStreamBreaks() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            sb.append(" L ").append(Long.toHexString(0x1_0000L * i + i)).append(",8\n");
        }
        byte[] gz = gzip(sb.toString());
        Path truncated = dir.resolve("t.gz");
        Files.write(truncated, Arrays.copyOf(gz, gz.length / 2));
        assertThatThrownBy(() -> readAll(truncated)).isInstanceOf(InputError.class)
                .hasMessageStartingWith(truncated + ":").hasMessageContaining("truncated gzip");
        byte[] corrupt = gz.clone();
        for (int i = gz.length / 3; i < gz.length / 3 + 64; i++) {
            corrupt[i] ^= 0x5A;
        }
        Path garbled = dir.resolve("c.gz");
        Files.write(garbled, corrupt);
        assertThatThrownBy(() -> readAll(garbled)).isInstanceOf(InputError.class)
                .hasMessageStartingWith(garbled + ":").hasMessageMatching(".*(corrupt|truncated|expected).*");
    }

    @Test
    void shouldReportAMissingFile() {
        assertThatThrownBy(() -> LackeyReader.open(dir.resolve("nope.gz"))).isInstanceOf(InputError.class)
                .hasMessageEndingWith("nope.gz: no such file");
    }

    /**
     * The two numbers of a line at their limits: an address of up to 16 hex digits (any 64-bit
     * value, read unsigned) and a size of 1..4096 bytes. One digit more in either is an error
     * naming file and line, never an overflow; the fast and the general path agree (a line
     * with a CR takes the general one).
     */
    @Test
    void shouldReadEachFieldUpToItsLimitAndRefuseOneBeyond() throws IOException {
        for (String end : new String[]{"\n", "\r\n"}) {
            Path f = write("limits.lackey", " L ffffffffffffffff,4096" + end + "I  0,1" + end);
            RefBuffer r = readAll(f);
            assertThat(r.addresses[0]).isEqualTo(-1L); // 2^64 - 1, unsigned
            assertThat(r.sizes[0]).isEqualTo(4096);
            assertThat(r.addresses[1]).isZero();
            assertThat(r.sizes[1]).isEqualTo(1);
        }
        String ok = "I  0400,4\n";
        assertMalformed(ok + " L 10000000000000000,4\n",
                ":2: expected \"I|L|S|M ADDRESS,SIZE\" or a \"==\" line, got \" L 10000000000000000,4\"");
        assertMalformed(ok + " L 1000,4097\n", ":2: reference size 4097 is outside 1..4096");
        assertMalformed(ok + " L 1000,1000000\n", ":2: expected \"I|L|S|M ADDRESS,SIZE\" or a \"==\" line, got \" L 1000,1000000\"");
        assertMalformed(ok + " L 1000,99999999999999999999\n",
                ":2: expected \"I|L|S|M ADDRESS,SIZE\" or a \"==\" line, got \" L 1000,99999999999999999999\"");
    }
}
