package org.protsim.workloads.trace;

import org.protsim.core.InputError;
import org.protsim.os.Vma;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code strace -f -tt -e trace=process,memory} output (plain or gzip). It handles what
 * real recordings contain: {@code <unfinished ...>} / {@code <... resumed>} pairs split across
 * lines, failed calls ({@code = -1 ENOENT ...}), signals ({@code --- SIG... ---}), {@code +++
 * exited with 0 +++} lines, truncated strings ({@code "..."...}), nested structures (clone3).
 * Calls it has no use for (wait4, kill, signals, most madvise advice) are ignored and counted;
 * a line it cannot read stops with {@link InputError} naming the file and line.
 */
public final class StraceParser {
    private static final Pattern HEAD = Pattern.compile(
            "^(\\d+)\\s+(\\d{1,2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))?\\s+(.*)$");
    private static final Pattern HEAD_EPOCH = Pattern.compile("^(\\d+)\\s+(\\d+)\\.(\\d{1,9})\\s+(.*)$");
    private static final Pattern CALL = Pattern.compile("^([a-z_][a-z0-9_]*)\\((.*)$");
    private static final Pattern RESUMED = Pattern.compile("^<\\.\\.\\. ([a-z_][a-z0-9_]*) resumed>(.*)$");
    private static final Pattern EXITED = Pattern.compile("^\\+\\+\\+ (?:exited with (-?\\d+)|killed by (SIG[A-Z0-9+]+)"
            + "(?: \\(core dumped\\))?) \\+\\+\\+$");
    private static final Pattern FLAGS = Pattern.compile("flags=([A-Z0-9_|]+)");
    private static final long DAY_MICROS = 24L * 3600 * 1_000_000;
    /** Linux's largest possible pid on 64-bit (PID_MAX_LIMIT, include/linux/threads.h: 4 * 1024 * 1024). */
    static final long PID_MAX = 4L * 1024 * 1024;
    /**
     * User addresses and lengths are below 2^57: x86-64's largest user space (5-level paging,
     * LA57, 56 bits of user half plus one of margin for a length that ends at its top).
     */
    static final long ADDRESS_LIMIT = 1L << 57;
    /** Seconds since the epoch up to the year 5138 (10^11 s): anything later is not a recording's clock. */
    static final long EPOCH_SECONDS_MAX = 100_000_000_000L;

    private final String file;
    private final TreeMap<Integer, List<StraceTrace.Event>> events = new TreeMap<>();
    private final Map<Integer, String> unfinished = new HashMap<>();
    private final Set<Integer> created = new LinkedHashSet<>();
    private final Set<Integer> seen = new LinkedHashSet<>();
    /** File descriptors io_uring_setup returned: their mmaps at the ring offsets are the rings. */
    private final Set<Long> uringFds = new java.util.HashSet<>();
    private long line;
    private long ignored;
    private long failed;
    private long forks;
    private long threads;
    private long execs;
    private long lastTime = -1;
    private long dayOffset;

    private StraceParser(String file) {
        this.file = file;
    }

    /** Parses the recording at {@code path} (a file, or {@code builtin:NAME}). */
    public static StraceTrace parse(String path) {
        StraceParser p = new StraceParser(path);
        try (InputStream in = TraceSource.open(path, 1 << 16);
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
            p.readAll(r);
        } catch (IOException e) {
            throw InputError.at(path, p.line + 1, describe(e));
        }
        return p.finish();
    }

    private static String describe(IOException e) {
        String m = String.valueOf(e.getMessage());
        if (e instanceof java.io.EOFException || m.contains("Unexpected end")) {
            return "truncated gzip stream (" + m + ")";
        }
        return (e instanceof java.util.zip.ZipException ? "corrupt gzip stream (" : "read error (") + m + ")";
    }

    private void readAll(BufferedReader r) throws IOException {
        int c;
        StringBuilder sb = new StringBuilder(256);
        boolean endedWithNewline = true;
        while ((c = r.read()) != -1) {
            if (c == '\n') {
                line++;
                parseLine(sb.toString(), false);
                sb.setLength(0);
                endedWithNewline = true;
            } else {
                sb.append((char) c);
                endedWithNewline = false;
                if (sb.length() > 1 << 20) {
                    throw InputError.at(file, line + 1, "line longer than 1 MiB");
                }
            }
        }
        if (!endedWithNewline) {
            line++;
            parseLine(sb.toString(), true);
        }
    }

    private StraceTrace finish() {
        if (seen.isEmpty()) {
            throw InputError.at(file, Math.max(1, line + 1), "empty trace: no system calls");
        }
        List<Integer> roots = new ArrayList<>();
        for (int pid : seen) {
            if (!created.contains(pid)) {
                roots.add(pid);
            }
        }
        roots.sort(null);
        for (int pid : seen) {
            events.computeIfAbsent(pid, k -> new ArrayList<>());
        }
        return new StraceTrace(file, List.copyOf(roots), events, line, ignored, failed, forks, threads, execs);
    }

    private InputError bad(String why, String text) {
        String shown = text.length() > 80 ? text.substring(0, 80) + "..." : text;
        return InputError.at(file, line, why + ": \"" + shown.replaceAll("\\p{Cntrl}", "?") + "\"");
    }

    private void parseLine(String raw, boolean last) {
        String text = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
        if (text.isBlank() || text.startsWith("strace: ")) {
            ignored++;
            return;
        }
        int pid;
        long time;
        String rest;
        Matcher m = HEAD.matcher(text);
        if (m.matches()) {
            pid = pid(m.group(1), text);
            String frac = m.group(5) == null ? "0" : (m.group(5) + "000000").substring(0, 6);
            int h = Integer.parseInt(m.group(2));
            int min = Integer.parseInt(m.group(3));
            int sec = Integer.parseInt(m.group(4));
            if (h > 23 || min > 59 || sec > 60) { // 60: a leap second
                throw bad("time of day " + m.group(2) + ":" + m.group(3) + ":" + m.group(4) + " is not a clock time",
                        text);
            }
            time = ((h * 60L + min) * 60 + sec) * 1_000_000 + Long.parseLong(frac);
            rest = m.group(6);
        } else {
            Matcher e = HEAD_EPOCH.matcher(text);
            if (!e.matches()) {
                throw bad(last ? "truncated last line, or not strace -f -tt output" : "not a line of strace -f -tt output",
                        text);
            }
            pid = pid(e.group(1), text);
            long seconds = bounded(e.group(2), EPOCH_SECONDS_MAX);
            if (seconds < 0) {
                throw bad("timestamp " + shorten(e.group(2)) + " s is after the year 5138 (at most "
                        + EPOCH_SECONDS_MAX + " s since the epoch)", text);
            }
            time = seconds * 1_000_000 + Long.parseLong((e.group(3) + "000000").substring(0, 6));
            rest = e.group(4);
            dayOffset = 0;
        }
        time = monotonic(time);
        seen.add(pid);
        if (rest.startsWith("+++")) {
            Matcher x = EXITED.matcher(rest);
            if (!x.matches()) {
                throw bad("unreadable exit line", text);
            }
            int status = 128;
            if (x.group(1) != null) {
                // strace prints WEXITSTATUS: 0..255
                long st = x.group(1).startsWith("-") ? -1 : bounded(x.group(1), 255);
                if (st < 0) {
                    throw bad("exit status " + shorten(x.group(1)) + " is outside 0..255", text);
                }
                status = (int) st;
            }
            add(pid, new StraceTrace.Gone(time, line, status));
            return;
        }
        if (rest.startsWith("---")) {
            if (!rest.endsWith("---")) {
                throw bad(last ? "truncated last line" : "unreadable signal line", text);
            }
            ignored++;
            return;
        }
        String call;
        Matcher res = RESUMED.matcher(rest);
        if (res.matches()) {
            String start = unfinished.remove(pid);
            if (start == null) {
                // resumed without a visible start (strace attached mid-call): nothing to pair it with
                ignored++;
                return;
            }
            if (!start.startsWith(res.group(1) + "(")) {
                throw bad("resumes " + res.group(1) + " but pid " + pid + " left " + start.split("\\(")[0]
                        + " unfinished", text);
            }
            call = start + res.group(2);
        } else {
            if (!CALL.matcher(rest).matches()) {
                throw bad(last ? "truncated last line" : "not a system call, signal or exit line", text);
            }
            int u = rest.lastIndexOf("<unfinished ...>");
            if (u >= 0) {
                unfinished.put(pid, rest.substring(0, u).stripTrailing());
                return;
            }
            call = rest;
        }
        parseCall(pid, time, call, text, last);
    }

    /** strace -tt prints time of day: a recording that runs past midnight wraps. */
    private long monotonic(long time) {
        long t = time + dayOffset;
        if (lastTime >= 0 && t < lastTime - DAY_MICROS / 2) {
            dayOffset += DAY_MICROS;
            t += DAY_MICROS;
        }
        lastTime = Math.max(lastTime, t);
        return t;
    }

    private void parseCall(int pid, long time, String call, String text, boolean last) {
        int open = call.indexOf('(');
        String name = call.substring(0, open);
        int eq = resultStart(call);
        if (eq < 0) {
            throw bad(last ? "truncated last line" : "a call without its result", text);
        }
        String args = call.substring(open + 1, call.lastIndexOf(')', eq));
        String result = call.substring(eq).strip();
        boolean unknownResult = result.startsWith("?");
        boolean error = result.startsWith("-1 ") || result.equals("-1");
        if (error) {
            failed++;
        }
        switch (name) {
            case "mmap", "mmap2" -> {
                if (error || unknownResult) {
                    return;
                }
                List<String> a = split(args, 6, text);
                long fd = number(a.get(4), text, -1, Integer.MAX_VALUE, "file descriptor");
                long offset = number(a.get(5), text, 0, Long.MAX_VALUE, "file offset");
                if (uringFds.contains(fd) && (offset == 0 || offset == 0x8000000L || offset == 0x10000000L)) {
                    add(pid, new StraceTrace.AioRingMmap(time, line, (int) fd, offset, length(a.get(1), text),
                            address(result, text)));
                    return;
                }
                add(pid, new StraceTrace.Mmap(time, line, length(a.get(1), text), prot(a.get(2)), mapFlags(a.get(3)),
                        (int) fd, offset, address(result, text)));
            }
            case "munmap" -> {
                if (!error && !unknownResult) {
                    List<String> a = split(args, 2, text);
                    add(pid, new StraceTrace.Munmap(time, line, address(a.get(0), text), length(a.get(1), text)));
                }
            }
            case "mprotect", "pkey_mprotect" -> {
                if (!error && !unknownResult) {
                    List<String> a = split(args, 3, text);
                    add(pid, new StraceTrace.Mprotect(time, line, address(a.get(0), text), length(a.get(1), text),
                            prot(a.get(2))));
                }
            }
            case "brk" -> {
                if (!unknownResult) {
                    List<String> a = split(args, 1, text);
                    add(pid, new StraceTrace.Brk(time, line, address(a.get(0), text), address(result, text)));
                }
            }
            case "mremap" -> {
                if (!error && !unknownResult) {
                    List<String> a = split(args, 4, text);
                    add(pid, new StraceTrace.Mremap(time, line, address(a.get(0), text), length(a.get(1), text),
                            length(a.get(2), text), address(result, text)));
                }
            }
            case "madvise" -> {
                List<String> a = split(args, 3, text);
                String advice = a.get(2);
                if (!error && (advice.equals("MADV_DONTNEED") || advice.equals("MADV_FREE"))) {
                    add(pid, new StraceTrace.Discard(time, line, address(a.get(0), text), length(a.get(1), text)));
                } else {
                    ignored++;
                }
            }
            case "clone", "clone3", "fork", "vfork" -> {
                if (error || unknownResult) {
                    return;
                }
                String flags = "";
                Matcher f = FLAGS.matcher(args);
                if (f.find()) {
                    flags = f.group(1);
                }
                boolean thread = flags.contains("CLONE_THREAD");
                boolean vm = name.equals("vfork") || flags.contains("CLONE_VM");
                int child = (int) number(result, text, 1, PID_MAX, "child pid");
                created.add(child);
                seen.add(child);
                if (thread) {
                    threads++;
                } else {
                    forks++;
                }
                add(pid, new StraceTrace.Spawn(time, line, child, thread, vm));
            }
            case "execve", "execveat" -> {
                if (error || unknownResult) {
                    return;
                }
                String path = args.startsWith("\"") ? args.substring(1, Math.max(1, args.indexOf('"', 1))) : args;
                if (name.equals("execveat")) {
                    List<String> a = split(args, 2, text);
                    path = a.get(1).replace("\"", "");
                }
                execs++;
                add(pid, new StraceTrace.Exec(time, line, path));
            }
            case "exit", "exit_group" -> {
                List<String> a = split(args, 1, text);
                add(pid, new StraceTrace.Exit(time, line,
                        (int) number(a.get(0), text, Integer.MIN_VALUE, Integer.MAX_VALUE, "exit status"),
                        name.equals("exit_group")));
            }
            case "io_setup" -> {
                if (!error && !unknownResult) {
                    List<String> a = split(args, 2, text);
                    String id = a.get(1).replace("[", "").replace("]", "");
                    add(pid, new StraceTrace.AioSetup(time, line, number(id, text), count(a.get(0), text), false));
                }
            }
            case "io_uring_setup" -> {
                if (!error && !unknownResult) {
                    List<String> a = split(args, 2, text);
                    long fd = number(result, text);
                    uringFds.add(fd);
                    add(pid, new StraceTrace.AioSetup(time, line, fd, count(a.get(0), text), true));
                }
            }
            case "io_submit" -> {
                if (!error && !unknownResult) {
                    List<String> a = split(args, 2, text);
                    add(pid, new StraceTrace.AioSubmit(time, line, number(a.get(0), text), count(result, text)));
                }
            }
            case "io_getevents", "io_pgetevents" -> {
                if (!error && !unknownResult) {
                    List<String> a = split(args, 3, text);
                    add(pid, new StraceTrace.AioReap(time, line, number(a.get(0), text), count(a.get(1), text),
                            count(result, text), false));
                }
            }
            case "io_uring_enter" -> {
                if (!error && !unknownResult) {
                    List<String> a = split(args, 4, text);
                    long fd = number(a.get(0), text);
                    int toSubmit = count(a.get(1), text);
                    int minComplete = count(a.get(2), text);
                    int n = count(result, text);
                    if (toSubmit > 0 && n > 0) {
                        add(pid, new StraceTrace.AioSubmit(time, line, fd, Math.min(n, toSubmit)));
                    }
                    if (a.get(3).contains("IORING_ENTER_GETEVENTS") && minComplete > 0) {
                        add(pid, new StraceTrace.AioReap(time, line, fd, minComplete, -1, true));
                    }
                }
            }
            case "io_destroy" -> {
                if (!error && !unknownResult) {
                    List<String> a = split(args, 1, text);
                    add(pid, new StraceTrace.AioDestroy(time, line, number(a.get(0), text)));
                }
            }
            // registering files or buffers changes no I/O count and no mapping the replay makes
            case "io_uring_register" -> ignored++;
            default -> ignored++;
        }
    }

    /** A count argument or result: a non-negative int. */
    private int count(String s, String text) {
        return (int) number(s, text, 0, Integer.MAX_VALUE, "count");
    }

    /** Index of the result after the call's closing parenthesis and "=", or -1. */
    private static int resultStart(String call) {
        int i = call.lastIndexOf(" = ");
        while (i > 0) {
            int j = i - 1;
            while (j >= 0 && call.charAt(j) == ' ') {
                j--;
            }
            if (j >= 0 && call.charAt(j) == ')') {
                return i + 3;
            }
            i = call.lastIndexOf(" = ", i - 1);
        }
        return -1;
    }

    private void add(int pid, StraceTrace.Event e) {
        events.computeIfAbsent(pid, k -> new ArrayList<>()).add(e);
    }

    /** Top-level arguments, split at commas outside quotes, braces, brackets and parentheses. */
    private List<String> split(String args, int atLeast, String text) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < args.length(); i++) {
            char ch = args.charAt(i);
            if (quoted) {
                if (ch == '\\') {
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == '{' || ch == '[' || ch == '(') {
                depth++;
            } else if (ch == '}' || ch == ']' || ch == ')') {
                depth--;
            } else if (ch == ',' && depth == 0) {
                out.add(args.substring(start, i).strip());
                start = i + 1;
            }
        }
        out.add(args.substring(start).strip());
        if (out.size() < atLeast || quoted || depth != 0) {
            throw bad("expected " + atLeast + " arguments", text);
        }
        return out;
    }

    /** A pid at the start of a line: 1..PID_MAX. */
    private int pid(String digits, String text) {
        long p = bounded(digits, PID_MAX);
        if (p < 1) {
            throw bad("pid " + shorten(digits) + " is outside 1.." + PID_MAX + " (Linux's PID_MAX_LIMIT)", text);
        }
        return (int) p;
    }

    /** The value of a string of decimal digits if it is at most {@code max}, else -1 (never overflows). */
    private static long bounded(String digits, long max) {
        long v = 0;
        for (int i = 0; i < digits.length(); i++) {
            v = v * 10 + (digits.charAt(i) - '0');
            if (v > max) {
                return -1;
            }
        }
        return v;
    }

    private static String shorten(String s) {
        return s.length() > 24 ? s.substring(0, 24) + "..." : s;
    }

    /** A user-space address: 0 (NULL) up to {@link #ADDRESS_LIMIT}. */
    private long address(String s, String text) {
        return number(s, text, 0, ADDRESS_LIMIT - 1, "address");
    }

    /** A length in bytes (size_t), below {@link #ADDRESS_LIMIT}: no mapping is longer than the address space. */
    private long length(String s, String text) {
        return number(s, text, 0, ADDRESS_LIMIT, "length");
    }

    /** {@link #number(String, String)} within [min, max], or an error naming the field. */
    private long number(String s, String text, long min, long max, String what) {
        long v = number(s, text);
        boolean hex = s.strip().startsWith("0x") || s.strip().startsWith("0X");
        // hex values are unsigned: one at or above 2^63 reads as negative and is out of range too
        if (v < min || v > max || (hex && v < 0)) {
            String shown = shorten(s.strip().split(" ")[0]);
            String top = max == ADDRESS_LIMIT - 1 ? "2^57-1" : max == ADDRESS_LIMIT ? "2^57" : String.valueOf(max);
            throw bad(what + " " + shown + " is outside " + min + ".." + top, text);
        }
        return v;
    }

    /** NULL, decimal, 0x hex or octal-looking numbers, with an optional trailing annotation ("0x1000 (...)"). */
    private long number(String s, String text) {
        String t = s.strip();
        int sp = t.indexOf(' ');
        if (sp > 0) {
            t = t.substring(0, sp);
        }
        if (t.equals("NULL")) {
            return 0;
        }
        try {
            if (t.startsWith("0x") || t.startsWith("0X")) {
                return Long.parseUnsignedLong(t.substring(2), 16);
            }
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw bad("expected a number, got \"" + shorten(t) + "\"", text);
        }
    }

    private static int prot(String s) {
        int p = 0;
        if (s.contains("PROT_READ")) {
            p |= Vma.READ;
        }
        if (s.contains("PROT_WRITE")) {
            p |= Vma.WRITE;
        }
        if (s.contains("PROT_EXEC")) {
            p |= Vma.EXEC;
        }
        return p;
    }

    private static int mapFlags(String s) {
        int f = 0;
        if (s.contains("MAP_SHARED")) {
            f |= Vma.SHARED;
        }
        if (s.contains("MAP_PRIVATE")) {
            f |= Vma.PRIVATE;
        }
        if (s.contains("MAP_ANONYMOUS") || s.contains("MAP_ANON")) {
            f |= Vma.ANONYMOUS;
        }
        if (s.contains("MAP_FIXED")) {
            f |= Vma.FIXED;
        }
        return f;
    }
}
