package org.protsim.core.results;

import org.protsim.core.InputError;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * The one rule every command that writes a folder follows before it writes: protsim replaces
 * or adds to only a folder it wrote itself, recognised by the marker file {@value #MARKER}
 * (which names the command), and creates every file and folder with the user's umask.
 *
 * <p>Refused, with an {@link InputError} saying why and what to do: an existing file, a
 * non-empty folder without the marker, the working folder, a parent of it, a repository root
 * (a folder holding {@code .git}), and a place that cannot be written. The checks run before
 * any simulation, so a refusal costs the user nothing. This follows the "never clobber" rule
 * of tools that own their output folder (e.g. {@code cargo new}, {@code git clone} refuse a
 * non-empty target).
 *
 * <p>Temporary names are made here, not with {@link Files#createTempDirectory}: the JDK's
 * temporary files are created 0600 and folders 0700 whatever the umask, and a rename keeps
 * them so, which makes results on a shared file system unreadable to collaborators.
 */
public final class OutputFolder {
    /** The marker a folder protsim wrote holds: "written by protsim COMMAND". */
    public static final String MARKER = ".protsim";

    private static final SecureRandom RANDOM = new SecureRandom();

    /** How a command writes its folder. */
    public enum Mode {
        /** The folder is written whole and renamed into place, replacing an older one (run, compare). */
        REPLACE,
        /** Files are added to the folder, which is created if absent (sweep, merge, plot). */
        ADD
    }

    private OutputFolder() {
    }

    /**
     * Checks that {@code command} may write {@code requested} and returns its absolute path;
     * for {@link Mode#REPLACE} also removes what an interrupted earlier writer left beside it.
     *
     * @param option        how the user named the folder ("--out"), for the message
     * @param defaultFolder true for a command's default folder (results/compare,
     *                      results/RUN-ID): protsim's own name, replaced on a rerun with or
     *                      without a marker (folders from before markers existed)
     * @param legacy        a file whose presence also shows protsim wrote the folder (spec.json
     *                      of a sweep folder written before markers existed), or null
     */
    public static Path claim(Path requested, String option, String command, Mode mode, boolean defaultFolder,
                             String legacy) {
        Path abs = requested.toAbsolutePath().normalize();
        String what = option + " " + requested;
        Path cwd = Path.of("").toAbsolutePath().normalize();
        if (abs.equals(cwd)) {
            throw refuse(what, "is the working folder", mode);
        }
        if (cwd.startsWith(abs)) {
            throw refuse(what, "is a parent of the working folder", mode);
        }
        if (Files.exists(abs.resolve(".git"))) {
            throw refuse(what, "is the root of a repository", mode);
        }
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw new InputError(what + ": is a file, not a folder; protsim leaves it untouched: give the name of a "
                    + "new folder");
        }
        if (Files.isDirectory(abs) && !defaultFolder && !isEmpty(abs) && !Files.isRegularFile(abs.resolve(MARKER))
                && (legacy == null || !Files.isRegularFile(abs.resolve(legacy)))) {
            throw new InputError(what + ": holds files protsim did not write (no " + MARKER + " marker); protsim "
                    + "leaves them untouched: give a new or empty folder, or remove this one yourself");
        }
        probeWritable(what, mode == Mode.REPLACE ? abs.getParent() : abs);
        if (mode == Mode.REPLACE) {
            RunFolder.deleteLeftoversOf(abs);
        }
        return abs;
    }

    private static InputError refuse(String what, String why, Mode mode) {
        String does = mode == Mode.REPLACE ? "replaces the folder it writes" : "writes its files into the folder";
        return new InputError(what + ": " + why + "; protsim " + does + ": give a new folder, e.g. " + "results/mine");
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Creates and removes a probe entry in the nearest existing folder on the way to
     * {@code dir}, so an unwritable place fails before any run, and nothing is left behind
     * when the command then fails on its input.
     */
    private static void probeWritable(String what, Path dir) {
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        try {
            if (existing == null) {
                throw new NoSuchFileException(dir.toString());
            }
            Path probe = newDirectory(existing, ".protsim-probe-", "");
            Files.delete(probe);
        } catch (IOException e) {
            throw new InputError(what + ": cannot write there (" + reason(e) + "): choose a folder you can write");
        }
    }

    /** A short reason for a file-system failure: "permission denied", "read-only file system", ... */
    public static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied: " + ((FileSystemException) e).getFile();
        }
        if (e instanceof NoSuchFileException n) {
            return "no such file or folder: " + n.getFile();
        }
        if (e instanceof FileAlreadyExistsException f) {
            return f.getFile() + " is a file";
        }
        if (e instanceof NotDirectoryException n) {
            return n.getFile() + " is not a folder";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason().toLowerCase(java.util.Locale.ROOT) + (f.getFile() == null ? "" : ": " + f.getFile());
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /**
     * The error for a results file that could not be written (a full disk, a folder made
     * read-only during the run): the user's to fix, so one line and exit 2 like bad input.
     */
    public static InputError cannotWrite(Path what, IOException e) {
        return new InputError("cannot write " + what + " (" + reason(e) + "): free space or choose a folder you can "
                + "write", e);
    }

    /** Writes the marker into {@code dir}: the folder is protsim's from now on. */
    public static void mark(Path dir, String command) {
        try {
            Files.writeString(dir.resolve(MARKER), "written by protsim " + command + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw cannotWrite(dir.resolve(MARKER), e);
        }
    }

    /** Writes the marker into {@code dir} unless it is there already. */
    public static void markIfAbsent(Path dir, String command) {
        if (!Files.isRegularFile(dir.resolve(MARKER))) {
            mark(dir, command);
        }
    }

    /** A new, uniquely named folder {@code prefix<random>suffix} in {@code parent}, with the umask's permissions. */
    public static Path newDirectory(Path parent, String prefix, String suffix) throws IOException {
        while (true) {
            try {
                return Files.createDirectory(parent.resolve(prefix + randomName() + suffix));
            } catch (FileAlreadyExistsException e) {
                // another writer drew the same name: draw again
            }
        }
    }

    /** A new, uniquely named empty file {@code prefix<random>suffix} in {@code parent}, with the umask's permissions. */
    public static Path newFile(Path parent, String prefix, String suffix) throws IOException {
        while (true) {
            try {
                return Files.createFile(parent.resolve(prefix + randomName() + suffix));
            } catch (FileAlreadyExistsException e) {
                // another writer drew the same name: draw again
            }
        }
    }

    private static String randomName() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
