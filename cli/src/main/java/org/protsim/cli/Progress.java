package org.protsim.cli;

import java.io.PrintWriter;
import java.util.Locale;

/** A progress bar on stderr: redrawn in place on a terminal, one line per finished item otherwise. */
final class Progress {
    private final PrintWriter err;
    private final int total;
    private final String what;
    private int done;
    private final long start = System.nanoTime();
    private final boolean terminal = System.console() != null;

    Progress(PrintWriter err, int total, String what) {
        this.err = err;
        this.total = total;
        this.what = what;
    }

    synchronized void done(String item) {
        done++;
        double elapsed = (System.nanoTime() - start) / 1e9;
        double left = elapsed / done * (total - done);
        int width = 30;
        int filled = total == 0 ? width : (int) Math.round(width * (double) done / total);
        String line = String.format(Locale.ROOT, "[%s%s] %d/%d %s  %.0f s elapsed, ~%.0f s left  (%s)",
                "#".repeat(filled), "-".repeat(width - filled), done, total, what, elapsed, left, item);
        if (terminal) {
            err.print("\r" + line + "   ");
        } else {
            err.println(line);
        }
        err.flush();
    }

    double elapsedSeconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    void finish() {
        if (terminal && done > 0) {
            err.println();
            err.flush();
        }
    }
}
