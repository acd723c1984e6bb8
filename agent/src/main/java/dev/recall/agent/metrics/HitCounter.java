package dev.recall.agent.metrics;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Hits and the load time they saved, recorded with one atomic add per hit: the hit count in the low
 * {@value #HIT_BITS} bits of a cell and the saved nanoseconds in the high 44 bits. Two
 * separate counters would cost two atomic operations on every hit, which measured as most of what the
 * agent adds to a cache lookup.
 *
 * <p>Shared by all threads. Each thread adds to one of {@value #STRIPES} cells chosen by a multiplicative
 * hash of its id (ids of threads started together are consecutive, or a fixed stride apart: a plain
 * modulo would put them on one cell), each cell on cache lines of its own, so threads rarely meet. A thread that sees its cell half full moves
 * the cell's contents into the wide totals with one {@code getAndSet}; an add that races the move lands
 * either in what was moved or in the emptied cell, never in neither, so counts are exact. Readers sum
 * the totals and the cells.
 */
final class HitCounter {

    private static final int STRIPES = 16;
    private static final int PAD = 16; // longs per stripe: 128 bytes, no false sharing with neighbours
    static final int HIT_BITS = 20;
    private static final long HIT_MASK = (1L << HIT_BITS) - 1;
    private static final long DRAIN_HITS = 1L << (HIT_BITS - 1);
    /** Drain at 2^42 ns (73 minutes saved in one cell), half of what the 44-bit field holds. */
    private static final long DRAIN_NANOS = 1L << 42;
    /** No single hit may carry more than this (an entry whose load took over 18 minutes counts as 18). */
    private static final long MAX_NANOS = 1L << 40;

    private final AtomicLongArray cells = new AtomicLongArray(STRIPES * PAD);
    private final AtomicLong drainedHits = new AtomicLong();
    private final AtomicLong drainedNanos = new AtomicLong();

    void hit(long loadNanos) {
        int i = (int) ((Thread.currentThread().getId() * 0x9E3779B97F4A7C15L) >>> 60) * PAD;
        long nanos = Math.min(loadNanos, MAX_NANOS);
        long before = cells.getAndAdd(i, 1L | (nanos << HIT_BITS));
        if ((before & HIT_MASK) >= DRAIN_HITS || (before >>> HIT_BITS) >= DRAIN_NANOS) {
            drain(i);
        }
    }

    private void drain(int i) {
        long v = cells.getAndSet(i, 0);
        drainedHits.addAndGet(v & HIT_MASK);
        drainedNanos.addAndGet(v >>> HIT_BITS);
    }

    long hits() {
        long sum = drainedHits.get();
        for (int s = 0; s < STRIPES; s++) {
            sum += cells.get(s * PAD) & HIT_MASK;
        }
        return sum;
    }

    long savedNanos() {
        long nanos = drainedNanos.get();
        for (int s = 0; s < STRIPES; s++) {
            nanos += cells.get(s * PAD) >>> HIT_BITS;
        }
        return nanos;
    }

    void reset() {
        for (int s = 0; s < STRIPES; s++) {
            cells.getAndSet(s * PAD, 0);
        }
        drainedHits.set(0);
        drainedNanos.set(0);
    }
}
