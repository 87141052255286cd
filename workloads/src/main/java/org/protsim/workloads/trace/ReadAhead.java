package org.protsim.workloads.trace;

import org.protsim.os.RefBuffer;

import java.lang.ref.Cleaner;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link LackeyReader} run one batch ahead on a thread of its own, so that gunzip and parsing
 * (about half of a replay with good locality) use the second core while the simulation uses the
 * first, as a decode stage runs ahead of execute. The simulation sees exactly the references,
 * counters and errors the reader gives when called in line: batches come in order, each the size
 * of the caller's buffer, so they are the ones the in-line reader would fill; each carries
 * the reader's line, ignored-line and reference counts as they stood when it was complete; an
 * error ({@link org.protsim.core.InputError} naming the file and line) is thrown by the
 * {@link #fill} that would have met it, the references parsed before it in that batch dropped
 * as the in-line reader drops them.
 *
 * <p>With one processor there is no second core to use: the reader is then called in line.
 * Batches are reused (two queues of preallocated chunks of batches), so reading allocates nothing
 * per reference. The reading thread is a daemon and stops when {@link #close} is called or, if a run
 * is abandoned before it closes its trace, when this object becomes unreachable.
 */
public final class ReadAhead implements AutoCloseable {
    /**
     * Batches go over in chunks of about this many references, so that the two threads meet (a
     * queue operation, and a park and wake when one waits) once per chunk, not once per batch.
     */
    private static final int CHUNK_REFERENCES = 1 << 15;
    /** Chunks read ahead of the simulation. */
    private static final int CHUNKS = 4;
    private static final Cleaner CLEANER = Cleaner.create();

    private final LackeyReader reader;
    private final boolean ahead;
    private Pipe pipe;                    // started by the first fill; null while the reader is called in line
    private Cleaner.Cleanable cleanable;
    private Chunk current;                // the chunk being handed out, batch by batch
    private Batch last;                   // the batch that ended the trace (or failed), once handed out
    private long line;
    private long ignoredLines;
    private long references;

    private ReadAhead(LackeyReader reader, boolean ahead) {
        this.reader = reader;
        this.ahead = ahead;
    }

    /** Opens {@code path} (a file or a {@code builtin:} recording) as {@link LackeyReader#open} does, errors included. */
    public static ReadAhead open(String path) {
        return open(path, Runtime.getRuntime().availableProcessors() > 1);
    }

    /** As {@link #open(String)}, reading on a thread of its own only if {@code ahead}. */
    static ReadAhead open(String path, boolean ahead) {
        return new ReadAhead(LackeyReader.open(path), ahead);
    }

    /** The thread starts with the first batch asked for: batches are the size of the caller's buffer. */
    private void start(int capacity) {
        pipe = new Pipe(reader, capacity);
        Thread t = new Thread(pipe, "protsim-read-ahead " + reader.file());
        t.setDaemon(true);
        pipe.thread = t;
        cleanable = CLEANER.register(this, pipe::stop);
        t.start();
    }

    public String file() {
        return reader.file();
    }

    /** Trace lines read up to the end of the last batch handed out. */
    public long line() {
        return pipe == null ? reader.line() : line;
    }

    /** Lines safely ignored up to the end of the last batch handed out. */
    public long ignoredLines() {
        return pipe == null ? reader.ignoredLines() : ignoredLines;
    }

    /** References up to the end of the last batch handed out. */
    public long references() {
        return pipe == null ? reader.references() : references;
    }

    /** As {@link LackeyReader#fill}: the next batch into {@code out}; false when the trace has ended. */
    public boolean fill(RefBuffer out) {
        if (!ahead) {
            return reader.fill(out);
        }
        if (pipe == null) {
            start(out.capacity());
        }
        Batch b = last;
        if (b == null) {
            if (current == null || current.served == current.filled) {
                if (current != null) {
                    pipe.free.add(current); // never refused: the queues hold every chunk there is
                }
                current = pipe.take();
                current.served = 0;
            }
            b = current.batches[current.served++];
            line = b.line;
            ignoredLines = b.ignoredLines;
            references = b.references;
            if (b.last) {
                last = b; // later calls see the same end, or the same error, as the in-line reader's would
            }
        }
        if (b.error instanceof RuntimeException e) {
            throw e;
        }
        if (b.error != null) {
            throw (Error) b.error; // e.g. out of memory on the reading thread: the run fails as it would in line
        }
        RefBuffer in = b.refs;
        if (out.capacity() != in.capacity()) {
            // batches of another size would not be the in-line reader's
            throw new IllegalArgumentException("a buffer of " + out.capacity() + " references for batches of "
                    + in.capacity());
        }
        out.clear();
        int n = in.count;
        System.arraycopy(in.addresses, 0, out.addresses, 0, n);
        System.arraycopy(in.sizes, 0, out.sizes, 0, n);
        System.arraycopy(in.accesses, 0, out.accesses, 0, n);
        out.count = n;
        return n > 0;
    }

    @Override
    public void close() {
        if (pipe != null) {
            cleanable.clean(); // stops the thread, which closes the reader
        } else {
            reader.close();
        }
    }

    private static final class Batch {
        final RefBuffer refs;
        long line;
        long ignoredLines;
        long references;
        Throwable error;              // a RuntimeException (InputError) or an Error, thrown to the caller
        boolean last;

        Batch(int capacity) {
            refs = new RefBuffer(capacity);
        }
    }

    /** Batches handed over together; the last chunk may hold fewer. */
    private static final class Chunk {
        final Batch[] batches;
        int filled;
        int served;

        Chunk(int capacity) {
            batches = new Batch[Math.max(1, CHUNK_REFERENCES / capacity)];
            for (int i = 0; i < batches.length; i++) {
                batches[i] = new Batch(capacity);
            }
        }
    }

    /** The reading thread's side: it holds the reader and the queues, never the {@link ReadAhead}. */
    private static final class Pipe implements Runnable {
        final LackeyReader reader;
        final BlockingQueue<Chunk> free = new ArrayBlockingQueue<>(CHUNKS);
        final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(CHUNKS);
        volatile boolean stopped;
        Thread thread;

        Pipe(LackeyReader reader, int capacity) {
            this.reader = reader;
            for (int i = 0; i < CHUNKS; i++) {
                free.add(new Chunk(capacity));
            }
        }

        @Override
        public void run() {
            try {
                boolean ended = false;
                while (!stopped && !ended) {
                    Chunk c = free.poll(1, TimeUnit.SECONDS);
                    if (c == null) {
                        continue;
                    }
                    c.filled = 0;
                    while (c.filled < c.batches.length && !ended) {
                        Batch b = c.batches[c.filled++];
                        b.error = null;
                        try {
                            b.last = !reader.fill(b.refs);
                        } catch (RuntimeException | Error e) {
                            b.refs.clear();
                            b.error = e;
                            b.last = true;
                        }
                        b.line = reader.line();
                        b.ignoredLines = reader.ignoredLines();
                        b.references = reader.references();
                        ended = b.last;
                    }
                    full.add(c);
                }
            } catch (InterruptedException e) {
                // stopped while waiting for a free batch
            } finally {
                reader.close();
            }
        }

        /** The next chunk, in order. */
        Chunk take() {
            try {
                return full.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the trace reader", e);
            }
        }

        void stop() {
            stopped = true;
            Thread t = thread;
            if (t != null) {
                t.interrupt();
            }
        }
    }
}
