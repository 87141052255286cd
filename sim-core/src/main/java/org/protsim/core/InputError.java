package org.protsim.core;

/**
 * Bad input from the user (a config value, a trace line, a command-line argument): the
 * message names what is wrong and where, and the command line prints it as one line and
 * exits with code 2. Anything else that escapes is a bug in protsim.
 */
public class InputError extends RuntimeException {
    public InputError(String message) {
        super(message);
    }

    public InputError(String message, Throwable cause) {
        super(message, cause);
    }

    /** An error at line {@code line} of {@code file}: "file:line: message". */
    public static InputError at(String file, long line, String message) {
        return new InputError(file + ":" + line + ": " + message);
    }
}
