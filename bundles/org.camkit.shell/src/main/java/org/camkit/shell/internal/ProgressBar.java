package org.camkit.shell.internal;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.camkit.api.Progress;

/**
 * Draws the progress of a long explanation as one line of text, redrawn in place with a carriage return at most
 * every 100 ms, e.g. {@code scorecam relu4 [########............] 12/32, 3.1 s elapsed, ~5.2 s left}.
 * A task's line ends with a newline when the task completes, when another task starts, or on {@link #close()}.
 * Where the output is not a terminal (a log, a pipe) it writes whole lines instead, without carriage returns.
 */
final class ProgressBar implements Progress, AutoCloseable {
    static final long MIN_REDRAW_NANOS = 100_000_000L;
    static final int CELLS = 20;

    /** Between two lines when the output is not a terminal. */
    static final long LINE_EVERY_NANOS = 5_000_000_000L;

    private final PrintStream out;
    private final LongSupplier clock;
    private final boolean inPlace;
    private final String unit;
    private String task;
    private long started;
    private long drawn;
    private int width;
    private boolean open;
    private boolean finished;

    /**
     * @param out   where to draw (the shell session's error stream)
     * @param clock nanosecond time, {@link System#nanoTime} outside tests
     */
    ProgressBar(PrintStream out, LongSupplier clock) {
        this(out, clock, true);
    }

    /**
     * @param out     where to draw
     * @param clock   nanosecond time
     * @param inPlace redraw one line with carriage returns (a terminal); else, for a log or a pipe, write whole lines:
     *                the first, one every {@link #LINE_EVERY_NANOS}, and the last
     */
    ProgressBar(PrintStream out, LongSupplier clock, boolean inPlace) {
        this(out, clock, inPlace, null);
    }

    /**
     * @param unit what is counted, e.g. {@code images}: the line then shows the pace, {@code 4.2 images/s}; null for
     *             no pace
     */
    ProgressBar(PrintStream out, LongSupplier clock, boolean inPlace, String unit) {
        this.out = out;
        this.clock = clock;
        this.inPlace = inPlace;
        this.unit = unit;
    }

    @Override
    public synchronized void update(String task, int done, int total) {
        if (total <= 0) {
            return; // nothing to count: no bar rather than 1/0
        }
        long now = clock.getAsLong();
        if (!task.equals(this.task)) {
            endLine();
            this.task = task;
            started = now;
            finished = false;
        } else if (finished) {
            return;
        }
        boolean complete = done >= total;
        if (open && !complete && now - drawn < MIN_REDRAW_NANOS) {
            return;
        }
        String text = line(task, done, total, now - started, unit);
        if (!inPlace) {
            if (!open || complete || now - drawn >= LINE_EVERY_NANOS) {
                out.println(text);
                out.flush();
                drawn = now;
                open = true;
            }
            finished = complete;
            return;
        }
        out.print("\r" + text + " ".repeat(Math.max(0, width - text.length())));
        out.flush();
        width = text.length();
        drawn = now;
        open = true;
        if (complete) {
            endLine();
            finished = true;
        }
    }

    /** Ends an unfinished line, so that what follows starts on a line of its own. */
    @Override
    public synchronized void close() {
        endLine();
    }

    /**
     * @param elapsedNanos time since the task's first update
     * @return the bar line; the time left is estimated from the pace so far, and left out before the first unit
     *         and after the last
     */
    static String line(String task, int done, int total, long elapsedNanos) {
        return line(task, done, total, elapsedNanos, null);
    }

    /** As {@link #line(String, int, int, long)}, with the pace in {@code unit}/s when a unit is given. */
    static String line(String task, int done, int total, long elapsedNanos, String unit) {
        int shown = Math.max(0, Math.min(done, total));
        int cells = total > 0 ? (int) ((long) CELLS * shown / total) : 0;
        double elapsed = elapsedNanos / 1e9;
        StringBuilder text = new StringBuilder();
        text.append(task).append(" [").append("#".repeat(cells)).append(".".repeat(CELLS - cells)).append("] ")
                .append(done).append('/').append(total).append(", ")
                .append(String.format(Locale.ROOT, "%.1f s elapsed", elapsed));
        if (unit != null && done > 0 && elapsed > 0) {
            text.append(String.format(Locale.ROOT, ", %.1f %s/s", done / elapsed, unit));
        }
        if (done > 0 && done < total) {
            text.append(String.format(Locale.ROOT, ", ~%.1f s left", elapsed / done * (total - done)));
        }
        return text.toString();
    }

    private void endLine() {
        if (!inPlace) {
            open = false;
            return;
        }
        if (open) {
            out.println();
            out.flush();
            open = false;
            width = 0;
        }
    }
}
