package org.protsim.workloads.trace;

import org.protsim.core.InputError;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Opens a recorded trace: a file path (relative to the current directory), or
 * {@code builtin:NAME} for one of the recordings shipped inside protsim (see
 * {@code src/main/resources/traces/README.md}). Gzip is recognised by its magic bytes.
 */
public final class TraceSource {
    public static final String BUILTIN = "builtin:";

    private TraceSource() {
    }

    /** The decompressed bytes of {@code path}; a missing file is an {@link InputError} naming it. */
    public static InputStream open(String path, int bufferBytes) {
        try {
            InputStream raw;
            if (path.startsWith(BUILTIN)) {
                String name = path.substring(BUILTIN.length());
                raw = TraceSource.class.getResourceAsStream("/traces/" + name);
                if (raw == null || name.contains("/") || name.isEmpty()) {
                    throw new InputError(path + ": no such built-in trace");
                }
            } else {
                raw = Files.newInputStream(Path.of(path));
            }
            BufferedInputStream in = new BufferedInputStream(raw, bufferBytes);
            in.mark(2);
            int b0 = in.read();
            int b1 = in.read();
            in.reset();
            return (b0 == 0x1f && b1 == 0x8b) ? new GZIPInputStream(in, bufferBytes) : in;
        } catch (NoSuchFileException e) {
            throw new InputError(path + ": no such file");
        } catch (IOException e) {
            throw new InputError(path + ": cannot read: " + e.getMessage());
        }
    }
}
