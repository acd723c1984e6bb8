package dev.recall.agent.store.remote;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decides when the agent stops asking Redis. A few consecutive failures open it (DOWN): from then on no
 * application thread waits on Redis at all; the connector's own thread probes and closes it again.
 *
 * <p>Shared by every thread; the state is one volatile field and the failure count an atomic, so the
 * hot path (reading {@link #up()}) costs a volatile read.
 */
final class Breaker {

    /** Consecutive failed reads that open the breaker; a failed invalidation opens it at once. */
    static final int FAILURES_TO_OPEN = 3;

    private volatile RedisState state = RedisState.PROBING;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();

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
        return consecutiveFailures.incrementAndGet() >= FAILURES_TO_OPEN && open();
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
