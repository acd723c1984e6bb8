package dev.recall.agent.store;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@link System#nanoTime()} read by one daemon thread every {@link #TICK_NANOS}, so that a hit can ask
 * whether its entry's own deadline (jittered, or followed by a stale window) or its refresh age has passed
 * for the price of a volatile read, not of a clock call (20 to 25 ns on this machine's VMs, more than half a
 * hit). It lags the real clock by at most a tick plus the thread's scheduling delay; that only makes entries
 * look a little younger. No entry outlives its store's own expiry, which reads the real clock.
 *
 * <p>Shared by every thread: one volatile field, written by the clock thread only.
 */
public final class CoarseClock {

    static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private static volatile long now = System.nanoTime();
    private static volatile boolean started;

    private CoarseClock() {
    }

    /** The time, on the {@link System#nanoTime()} clock, as of the last tick. */
    public static long now() {
        return now;
    }

    /** Starts the ticking thread, once; called as the first method that needs it registers. */
    public static void start() {
        if (started) {
            return;
        }
        synchronized (CoarseClock.class) {
            if (started) {
                return;
            }
            started = true;
            Thread t = new Thread(() -> {
                while (true) {
                    now = System.nanoTime();
                    LockSupport.parkNanos(TICK_NANOS);
                }
            }, "recall-clock");
            t.setDaemon(true);
            t.start();
        }
    }
}
