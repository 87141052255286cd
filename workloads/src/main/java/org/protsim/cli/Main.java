package org.protsim.cli;

import org.protsim.core.InputError;
import picocli.CommandLine;

import java.io.PrintStream;
import java.io.PrintWriter;

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
            err.println("protsim: " + firstLine(ex.getMessage()) + " (see '" + hint + "')");
            return EXIT_BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof InputError) {
                err.println("protsim: " + firstLine(ex.getMessage()));
                return EXIT_BAD_INPUT;
            }
            throw ex;
        });
        return cl.execute(args);
    }

    static String firstLine(String s) {
        if (s == null) {
            return "error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s.strip() : s.substring(0, nl).strip();
    }
}
