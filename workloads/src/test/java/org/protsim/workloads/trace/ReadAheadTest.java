package org.protsim.workloads.trace;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.protsim.core.InputError;
import org.protsim.os.RefBuffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The reader on its own thread must be indistinguishable from the reader called in line: the same
 * batches, the same counters after each, the same error at the same call. Traces are drawn from
 * lackey's line kinds (fetch, load, store, modify, valgrind messages, blank lines) with, at times,
 * one malformed line.
 */
class ReadAheadTest {
    private static final String[] LINES = {
            "I  04001e30,3", " L 1ffefffdd8,8", " S 1ffefffdd0,8", " M 0402b0a8,4", "==4242== a message", "",
            " L 7ff000,4096", "I  FFFFFFFF00000000,16"};

    /** One call of fill and what it showed: its batch, or its error, and the counters after it. */
    private record Step(boolean more, List<String> refs, long line, long ignored, long references, String error) {
    }

    private static List<Step> steps(Path f, int capacity, boolean ahead) {
        List<Step> out = new ArrayList<>();
        RefBuffer b = new RefBuffer(capacity);
        try (ReadAhead r = ReadAhead.open(f.toString(), ahead)) {
            for (int call = 0; call < 100_000; call++) {
                try {
                    boolean more = r.fill(b);
                    List<String> refs = new ArrayList<>();
                    for (int i = 0; i < b.count; i++) {
                        refs.add(Long.toHexString(b.addresses[i]) + "," + b.sizes[i] + "," + b.accesses[i]);
                    }
                    out.add(new Step(more, refs, r.line(), r.ignoredLines(), r.references(), null));
                    if (!more) {
                        // and once more: the end stays the end
                        out.add(new Step(r.fill(b), List.of(), r.line(), r.ignoredLines(), r.references(), null));
                        return out;
                    }
                } catch (InputError e) {
                    out.add(new Step(false, List.of(), 0, 0, 0, e.getMessage()));
                    return out;
                }
            }
        }
        throw new AssertionError("the trace did not end");
    }

    private static Path trace(List<Integer> kinds, int malformedAt) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < kinds.size(); i++) {
            text.append(i == malformedAt ? " X nonsense" : LINES[kinds.get(i)]).append('\n');
        }
        try {
            Path f = Files.createTempFile("read-ahead-", ".lackey");
            Files.writeString(f, text, StandardCharsets.ISO_8859_1);
            f.toFile().deleteOnExit();
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Property(tries = 200)
    void shouldHandOutWhatTheReaderInLineHandsOut(
            @ForAll @Size(min = 0, max = 300) List<@IntRange(min = 0, max = 7) Integer> kinds,
            @ForAll @IntRange(min = 1, max = 40) int capacity,
            @ForAll @IntRange(min = -1, max = 400) int malformedAt) throws IOException {
        Path f = trace(kinds, malformedAt);
        try {
            assertThat(steps(f, capacity, true)).isEqualTo(steps(f, capacity, false));
        } finally {
            Files.deleteIfExists(f);
        }
    }

    @Test
    void shouldHandOutTheSameBatchesOverManyChunks() throws IOException {
        // batches of 8,192 go over four to a chunk (32,768 references). 120,000 lines, one in five a message,
        // hold 96,000 references: 11 full batches, a 12th of 5,888 and the empty one that ends the trace, in
        // four chunks (the last holding one batch). A malformed line 100,001 comes after 80,000 references:
        // 9 full batches, and the 10th fill, in the third chunk, meets it
        List<Integer> kinds = new ArrayList<>();
        for (int i = 0; i < 120_000; i++) {
            kinds.add(i % 5 == 4 ? 4 : i % 4); // a message line in every five
        }
        for (int malformedAt : new int[]{-1, 100_000}) {
            Path f = trace(kinds, malformedAt);
            try {
                List<Step> ahead = steps(f, 8192, true);
                assertThat(ahead).isEqualTo(steps(f, 8192, false));
                // 12 batches, the end, and the end asked for once more; or 9 batches and the error
                assertThat(ahead).hasSize(malformedAt < 0 ? 14 : 10);
                assertThat(ahead.get(malformedAt < 0 ? 11 : 8).refs()).hasSize(malformedAt < 0 ? 5888 : 8192);
            } finally {
                Files.deleteIfExists(f);
            }
        }
    }

    @Test
    void shouldReportAMalformedLineByFileAndLineAtTheBatchThatMeetsIt() throws IOException {
        // 10 good loads, then a bad line 11: with batches of 4, fills 1 and 2 succeed, fill 3 fails
        List<Integer> kinds = new ArrayList<>(Arrays.asList(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1));
        Path f = trace(kinds, 10);
        RefBuffer b = new RefBuffer(4);
        try (ReadAhead r = ReadAhead.open(f.toString(), true)) {
            assertThat(r.fill(b)).isTrue();
            assertThat(r.fill(b)).isTrue();
            assertThat(r.references()).isEqualTo(8);
            assertThatThrownBy(() -> r.fill(b)).isInstanceOf(InputError.class)
                    .hasMessageContaining(f + ":11");
        } finally {
            Files.deleteIfExists(f);
        }
    }

    @Test
    void shouldStopItsThreadWhenClosedBeforeTheEnd() throws Exception {
        List<Integer> kinds = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            kinds.add(1);
        }
        Path f = trace(kinds, -1);
        try {
            ReadAhead r = ReadAhead.open(f.toString(), true);
            assertThat(r.fill(new RefBuffer(16))).isTrue(); // the thread now waits for a free batch
            r.close();
            for (int i = 0; i < 200 && readAheadThreads() > 0; i++) {
                Thread.sleep(10);
            }
            assertThat(readAheadThreads()).isZero();
        } finally {
            Files.deleteIfExists(f);
        }
    }

    private static long readAheadThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("protsim-read-ahead") && t.isAlive()).count();
    }
}
