package org.capeval.metrics;

import java.util.Locale;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Progress lines for the long phases of a run (reading, tokenizing, document frequencies, scoring,
 * SPICE parsing, writing), on {@code System.err}, without a logging framework: the local engine
 * never starts log4j, and the metrics library stays free of logging dependencies.
 *
 * <pre>{@code
 * try (Progress.Phase p = Progress.start("scoring", "images", images.size())) {   // -1: total unknown
 *     for (...) { ...; p.add(1); }                                                  // any thread, cheap
 * }
 * }</pre>
 *
 * <p>While a phase is open, one shared daemon thread prints a line every interval (default 10 s),
 * e.g. {@code capeval: scoring: 120,000 / 400,000 images (30%) after 10 s, 11,800 images/s}
 * (without a total: {@code capeval: reading: 120,000 captions after 10 s, ...}). {@code close()}
 * prints {@code capeval: scoring: done, 400,000 images in 34.0 s, 11,765 images/s} only when the
 * phase lasted at least one interval, so a short run prints nothing. The rate is the phase's
 * average since it started.
 *
 * <p>The interval is the system property {@value #INTERVAL_PROPERTY} in seconds (decimals allowed;
 * 0 turns the lines off), read when a phase starts. {@link #format} and {@link #repeat} are shared
 * with the Spark jobs' driver-side reporter ({@code org.capeval.jobs.SparkProgress}), so both kinds
 * of line look alike and one thread serves both.
 */
public final class Progress {
    /** System property: seconds between progress lines (default 10; 0 = no progress lines). */
    public static final String INTERVAL_PROPERTY = "capeval.progress.interval";
    static final long DEFAULT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private Progress() {}

    /**
     * Opens a phase. {@code unit} names what {@link Phase#add} counts ("images", "captions");
     * {@code total} is the expected count, or -1 when unknown (no percentage then).
     */
    public static Phase start(String phase, String unit, long total) {
        return start(phase, unit, total, intervalNanos(), line -> System.err.println(line));
    }

    /** Test hook: a phase with its own interval and line sink. */
    static Phase start(String phase, String unit, long total, long intervalNanos, Consumer<String> sink) {
        return new Phase(phase, unit, total, intervalNanos, sink);
    }

    /** The interval from {@value #INTERVAL_PROPERTY}, in nanoseconds; 0 = no progress lines. */
    public static long intervalNanos() {
        String v = System.getProperty(INTERVAL_PROPERTY);
        if (v == null || v.isBlank()) {
            return DEFAULT_INTERVAL_NANOS;
        }
        double seconds;
        try {
            seconds = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            seconds = Double.NaN;
        }
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("-D" + INTERVAL_PROPERTY + "=" + v
                    + ": expected seconds between progress lines (e.g. 10, 0.5; 0 = none)");
        }
        return (long) (seconds * 1e9);
    }

    /**
     * Runs {@code tick} every {@code intervalNanos} on the shared daemon progress thread, until the
     * returned future is cancelled. Ticks must be short (they format and print a line).
     */
    public static ScheduledFuture<?> repeat(Runnable tick, long intervalNanos) {
        return Ticker.EXECUTOR.scheduleAtFixedRate(tick, intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * One progress line without the "capeval: " prefix, e.g. {@code scoring: 120,000 / 400,000
     * images (30%) after 10 s, 11,800 images/s}; {@code total} -1 = unknown.
     */
    public static String format(String phase, String unit, long count, long total, long elapsedNanos) {
        StringBuilder s = new StringBuilder(phase).append(": ").append(count(count)).append(' ');
        if (total >= 0) {
            s.append("/ ").append(count(total)).append(' ').append(unit);
            if (total > 0) {
                s.append(" (").append(count * 100 / total).append("%)");
            }
        } else {
            s.append(unit);
        }
        return s.append(" after ").append(seconds(elapsedNanos)).append(", ")
                .append(rate(count, elapsedNanos)).append(' ').append(unit).append("/s").toString();
    }

    /** The closing line without the prefix: {@code scoring: done, 400,000 images in 34.0 s, 11,765 images/s}. */
    public static String formatDone(String phase, String unit, long count, long elapsedNanos) {
        return phase + ": done, " + count(count) + " " + unit + " in " + seconds(elapsedNanos) + ", "
                + rate(count, elapsedNanos) + " " + unit + "/s";
    }

    /** 1234567 as "1,234,567". */
    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** A per-second rate: whole numbers from 100 up, one decimal below (SPICE parses ~20 captions/s). */
    public static String rate(long count, long elapsedNanos) {
        double r = elapsedNanos <= 0 ? 0 : count / (elapsedNanos / 1e9);
        return r >= 100 ? String.format(Locale.ROOT, "%,.0f", r) : String.format(Locale.ROOT, "%.1f", r);
    }

    /** Elapsed time as "12 s" (whole seconds from 10 s up, tenths below). */
    public static String seconds(long nanos) {
        double s = nanos / 1e9;
        return s >= 10 ? String.format(Locale.ROOT, "%,.0f s", s) : String.format(Locale.ROOT, "%.1f s", s);
    }

    /** An open phase: {@link #add} from any thread; {@link #close} once, from the thread that opened it. */
    public static final class Phase implements AutoCloseable {
        private final String name;
        private final String unit;
        private final long total;
        private final long intervalNanos;
        private final Consumer<String> sink;
        private final long startNanos = System.nanoTime();
        private final LongAdder count = new LongAdder(); // many scoring threads add; only ticks read
        private final ScheduledFuture<?> tick;
        private boolean closed; // guarded by this: no periodic line after the closing one

        private Phase(String name, String unit, long total, long intervalNanos, Consumer<String> sink) {
            this.name = name;
            this.unit = unit;
            this.total = total;
            this.intervalNanos = intervalNanos;
            this.sink = sink;
            this.tick = intervalNanos > 0 ? repeat(this::report, intervalNanos) : null;
        }

        /** Counts {@code n} more units done. */
        public void add(long n) {
            count.add(n);
        }

        /** Units done so far. */
        public long count() {
            return count.sum();
        }

        private synchronized void report() {
            if (!closed) {
                sink.accept("capeval: " + format(name, unit, count.sum(), total, System.nanoTime() - startNanos));
            }
        }

        /** Ends the phase; prints the closing line if it lasted at least one interval. Idempotent. */
        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (tick == null) {
                return;
            }
            tick.cancel(false);
            long elapsed = System.nanoTime() - startNanos;
            if (elapsed >= intervalNanos) {
                sink.accept("capeval: " + formatDone(name, unit, count.sum(), elapsed));
            }
        }
    }

    /** The one progress thread, started on first use; a daemon, so it never keeps a JVM alive. */
    private static final class Ticker {
        static final ScheduledThreadPoolExecutor EXECUTOR = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "capeval-progress");
            t.setDaemon(true);
            return t;
        });

        static {
            EXECUTOR.setRemoveOnCancelPolicy(true); // closed phases leave no queued ticks behind
        }
    }
}
