package dev.recall.agent.store.remote;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Decides when the agent stops asking Redis. Sustained failure opens it (DOWN): a few consecutive failed
 * commands spread over at least {@link #SUSTAINED_NANOS}, so that a burst of timeouts while the machine is
 * starved of CPU (a garbage collection, a build beside the application) is a few misses, not an outage.
 * From then on no application thread waits on Redis at all; the connector's own thread probes and closes
 * it again.
 *
 * <p>Shared by every thread; the state is one volatile field and the failure count an atomic, so the
 * hot path (reading {@link #up()}) costs a volatile read.
 */
final class Breaker {

    /** Consecutive failed commands that open the breaker, if they span {@link #SUSTAINED_NANOS}. */
    static final int FAILURES_TO_OPEN = 3;
    /** How long consecutive failures must have gone on to open the breaker. */
    static final long SUSTAINED_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final LongSupplier clock;
    private volatile RedisState state = RedisState.PROBING;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    /** When the current run of failures began (its first failure); meaningful while the count is not 0. */
    private volatile long streakStart;

    Breaker() {
        this(System::nanoTime);
    }

    Breaker(LongSupplier clock) {
        this.clock = clock;
    }

    boolean up() {
        return state == RedisState.UP;
    }

    RedisState state() {
        return state;
    }

    void succeeded() {
        if (consecutiveFailures.get() != 0) {
            consecutiveFailures.set(0);
        }
    }

    /** @return whether this failure opened the breaker (the caller then schedules the probe) */
    boolean failed() {
        long now = clock.getAsLong();
        int n = consecutiveFailures.incrementAndGet();
        if (n == 1) {
            streakStart = now;
        }
        return n >= FAILURES_TO_OPEN && now - streakStart >= SUSTAINED_NANOS && open();
    }

    /** @return whether it was not already open */
    synchronized boolean open() {
        if (state == RedisState.DOWN) {
            return false;
        }
        state = RedisState.DOWN;
        return true;
    }

    synchronized void probing() {
        state = RedisState.PROBING;
    }

    synchronized void close() {
        consecutiveFailures.set(0);
        state = RedisState.UP;
    }
}
