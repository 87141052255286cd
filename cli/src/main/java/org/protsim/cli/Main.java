package org.protsim.cli;

import org.protsim.core.InputError;
import picocli.CommandLine;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Entry point of the {@code protsim} command. Exit codes: 0 success, 2 bad input (config,
 * trace, command line; one line on stderr, no stack trace, no results written), 1 a bug.
 */
public final class Main {
    public static final int EXIT_BAD_INPUT = 2;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(execute(System.out, System.err, args));
    }

    /** Runs the command line with the given streams and returns the exit code (never exits the JVM). */
    public static int execute(PrintStream out, PrintStream err, String... args) {
        CommandLine cl = new CommandLine(new ProtsimCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setParameterExceptionHandler((ex, arguments) -> {
            String command = ex.getCommandLine().getCommandName();
            String hint = "protsim".equals(command) ? "protsim --help" : "protsim " + command + " --help";
            err.println("protsim: " + printable(firstLine(ex.getMessage())) + " (see '" + hint + "')");
            return EXIT_BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof InputError) {
                err.println("protsim: " + printable(ex.getMessage()));
                return EXIT_BAD_INPUT;
            }
            throw ex;
        });
        return cl.execute(args);
    }

    /** Longest message printed whole; longer ones keep their start (where) and end (what) around a cut. */
    static final int MAX_MESSAGE_CHARS = 400;

    /**
     * The message as one safe terminal line: control characters, line breaks and invalid
     * characters (raw bytes of a binary file read as text) escaped as {@code \n}, {@code \x07}
     * or a backslash-u escape, and a message longer than {@value #MAX_MESSAGE_CHARS} characters (a
     * 100 KB value echoed back) cut in the middle, saying how much was cut. Every input error
     * passes through here, so no parser needs to guard its own messages.
     */
    static String printable(String s) {
        if (s == null) {
            return "error";
        }
        StringBuilder sb = new StringBuilder();
        s.strip().codePoints().forEach(c -> {
            if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (c < 0x20 || c == 0x7f) {
                sb.append(String.format(Locale.ROOT, "\\x%02x", c));
            } else if (c == 0xfffd || Character.isISOControl(c) || !Character.isDefined(c)
                    || Character.getType(c) == Character.FORMAT || Character.getType(c) == Character.SURROGATE) {
                sb.append(String.format(Locale.ROOT, "\\u%04x", c));
            } else {
                sb.appendCodePoint(c);
            }
        });
        if (sb.length() <= MAX_MESSAGE_CHARS) {
            return sb.toString();
        }
        int head = MAX_MESSAGE_CHARS * 3 / 4;
        int tail = MAX_MESSAGE_CHARS / 8;
        int cut = sb.length() - head - tail;
        return sb.substring(0, head) + " [... " + cut + " characters cut ...] " + sb.substring(sb.length() - tail);
    }

    static String firstLine(String s) {
        if (s == null) {
            return "error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s.strip() : s.substring(0, nl).strip();
    }
}
