package dev.recall.sample.load;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The once-a-second progress line of a run, e.g.
 * {@code [with agent] measure 12s/30s  41.0 req/s  p50 3.1 ms  p99 88 ms  errors 0}: rate and percentiles
 * over the last second, errors since the phase began. On a terminal the line is rewritten in place
 * ({@code \r}); otherwise (a log file, a test) a line is printed every {@value #LOG_EVERY} seconds.
 *
 * <p>Shared between threads: outcomes are recorded from completion threads while a timer thread prints.
 * {@link #record} and {@link #tick} are {@code synchronized}; the interval histogram is swapped for an
 * empty one under that lock at each tick.
 */
final class Progress implements AutoCloseable {

    static final int LOG_EVERY = 5;

    private final PrintStream out;
    private final String label;
    private final long start;
    private final long warmEnd;
    private final long end;
    private final boolean terminal;
    private final ScheduledExecutorService timer;
    private Histogram interval = new Histogram(Statistics.HIGHEST_MICROS, 2);
    private long lastTick;
    private long ticks;
    private long warmupErrors;
    private long measuredErrors;
    private int lastLineLength;

    /** @param out where to print, or {@code null} for silence */
    Progress(PrintStream out, String label, long start, long warmEnd, long end) {
        this.out = out;
        this.label = label;
        this.start = start;
        this.warmEnd = warmEnd;
        this.end = end;
        this.terminal = out != null && System.console() != null && (out == System.out || out == System.err);
        this.lastTick = start;
        if (out == null) {
            this.timer = null;
        } else {
            this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "load-progress");
                t.setDaemon(true);
                return t;
            });
            long firstDelay = Math.max(0, start - System.nanoTime()) + TimeUnit.SECONDS.toNanos(1);
            timer.scheduleAtFixedRate(this::tick, firstDelay, TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
        }
    }

    synchronized void record(long responseNanos, boolean error, boolean measured) {
        interval.recordValue(Math.max(0, Math.min(Statistics.HIGHEST_MICROS, responseNanos / 1_000)));
        if (error) {
            if (measured) {
                measuredErrors++;
            } else {
                warmupErrors++;
            }
        }
    }

    synchronized void tick() {
        long now = System.nanoTime();
        Histogram h = interval;
        interval = new Histogram(Statistics.HIGHEST_MICROS, 2);
        double seconds = Math.max(1e-3, (now - lastTick) / 1e9);
        lastTick = now;
        ticks++;
        String phase;
        if (now < warmEnd) {
            phase = String.format(Locale.ROOT, "warmup %ds/%ds", (now - start) / 1_000_000_000L, round(warmEnd - start));
        } else if (now < end) {
            phase = String.format(Locale.ROOT, "measure %ds/%ds", (now - warmEnd) / 1_000_000_000L, round(end - warmEnd));
        } else {
            phase = "finishing";
        }
        String line = String.format(Locale.ROOT, "[%s] %s  %.1f req/s  p50 %s  p99 %s  errors %d", label, phase,
                h.getTotalCount() / seconds, millis(h, 50), millis(h, 99), now < warmEnd ? warmupErrors : measuredErrors);
        if (terminal) {
            out.print("\r" + line + " ".repeat(Math.max(0, lastLineLength - line.length())));
            lastLineLength = line.length();
            out.flush();
        } else if (ticks % LOG_EVERY == 0) {
            out.println(line);
        }
    }

    /** Stops the line and prints a one-line summary. */
    synchronized void finish(LoadResult r) {
        close();
        if (out == null) {
            return;
        }
        String line = String.format(Locale.ROOT, "[%s] done: %d requests measured over %.1f s, %.1f req/s, p50 %s ms, "
                        + "p99 %s ms, errors %d (%.2f%%)", label, r.counts().requests(), r.measuredSeconds(),
                r.requestsPerSecond(), ResultTables.millis(r.responseTimes().p50Ms()),
                ResultTables.millis(r.responseTimes().p99Ms()), r.counts().errors(),
                100 * r.counts().errorRate());
        out.println((terminal ? "\r" : "") + line + (terminal ? " ".repeat(Math.max(0, lastLineLength - line.length())) : ""));
        out.flush();
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private static long round(long nanos) {
        return Math.round(nanos / 1e9);
    }

    private static String millis(Histogram h, double percentile) {
        if (h.getTotalCount() == 0) {
            return "-";
        }
        double ms = h.getValueAtPercentile(percentile) / 1_000.0;
        return (ms < 10 ? String.format(Locale.ROOT, "%.1f", ms) : String.format(Locale.ROOT, "%.0f", ms)) + " ms";
    }
}
