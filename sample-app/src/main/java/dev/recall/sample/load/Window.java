package dev.recall.sample.load;

import java.time.Duration;

/**
 * A stretch of a measured phase reported apart from the rest: the demo's outage of the exchange-rates API,
 * which begins while the load runs. It is placed by {@link #begin()} when it begins, so a request is in it
 * when its (intended) send time falls in {@code [begin, begin + length)}.
 *
 * <p>Shared between the thread that begins it and the load generator's threads that ask {@link #contains};
 * the start is one volatile field, written once. A request is classified when it is dispatched, at or after
 * its intended send time, so a window that has not begun yet cannot contain it.
 */
public final class Window {

    private static final long NOT_BEGUN = Long.MAX_VALUE;

    private final long lengthNanos;
    private volatile long startNanos = NOT_BEGUN;

    public Window(Duration length) {
        if (length.isNegative() || length.isZero()) {
            throw new IllegalArgumentException("a window needs a positive length: " + length);
        }
        this.lengthNanos = length.toNanos();
    }

    /** The window starts now ({@link System#nanoTime()}); a second call changes nothing. */
    public void begin() {
        if (startNanos == NOT_BEGUN) {
            startNanos = System.nanoTime();
        }
    }

    /** Whether {@code nanos} ({@link System#nanoTime()} scale) falls in the window; {@code false} before it begins. */
    boolean contains(long nanos) {
        long start = startNanos;
        return start != NOT_BEGUN && nanos - start >= 0 && nanos - start < lengthNanos;
    }

    /** How many nanoseconds of {@code [from, to)} the window covers; 0 if it never began. */
    long overlap(long from, long to) {
        long start = startNanos;
        if (start == NOT_BEGUN) {
            return 0;
        }
        return Math.max(0, Math.min(to, start + lengthNanos) - Math.max(from, start));
    }
}
