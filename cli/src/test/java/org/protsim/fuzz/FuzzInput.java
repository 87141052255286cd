package org.protsim.fuzz;

import org.protsim.core.InputError;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What every fuzz target shares: inputs are written to one scratch file per target (the
 * readers under test take paths, as the command line does), and the property checked is the
 * one README promises for bad input: a reader either accepts it or throws {@link InputError};
 * any other exception escapes to Jazzer, which records it as a finding.
 */
final class FuzzInput {
    /**
     * Inputs above this are skipped: the readers stream in constant memory, so a longer input
     * only costs time per execution (and regression mode runs every corpus entry in the build).
     */
    static final int MAX_BYTES = 64 * 1024;

    private static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("protsim-fuzz-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DIR.toFile().deleteOnExit();
    }

    private FuzzInput() {
    }

    /** {@code data} as the file {@code name} in this JVM's scratch folder (replaced on every call). */
    static Path file(String name, byte[] data) {
        Path p = DIR.resolve(name);
        try {
            Files.write(p, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        p.toFile().deleteOnExit();
        return p;
    }

    /** An input of at most {@link #MAX_BYTES} is read in milliseconds; seconds mean a loop that should not be. */
    static final long MAX_NANOS = 10_000_000_000L;

    /**
     * Runs {@code read}; an {@link InputError} is an accepted outcome, as is success. Anything
     * else propagates, and so does an input that takes longer than {@link #MAX_NANOS}.
     */
    static void acceptedOrInputError(Runnable read) {
        long start = System.nanoTime();
        try {
            read.run();
        } catch (InputError e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError("an input error without a message", e);
            }
        }
        long took = System.nanoTime() - start;
        if (took > MAX_NANOS) {
            throw new AssertionError("one input took " + took / 1_000_000 + " ms");
        }
    }
}
