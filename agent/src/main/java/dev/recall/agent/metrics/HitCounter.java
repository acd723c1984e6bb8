package dev.recall.agent.metrics;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Hits and the load time they saved, packed into one long per add: the hit count in the low
 * {@value #HIT_BITS} bits and the saved nanoseconds in the high 44 bits.
 *
 * <p>Shared by all threads, and on the hit path, where an atomic add measured as most of what the agent
 * adds to a cache lookup (and more at two threads). So each of {@value #STRIPES} stripes, chosen by a
 * multiplicative hash of the thread id, has an owner: the first thread to hash there. The owner adds to
 * its own cell with a plain read and a release write, no atomic instruction, since no other thread
 * writes that cell; any other thread that hashes there adds atomically to the stripe's shared cell.
 * Cells sit on cache lines of their own. A cell half full is moved into the wide totals, the own cell by
 * its owner, a shared cell with one {@code getAndSet}, so once the threads are quiet the counts are
 * exact (a reader racing an owner's move may see the moved part twice or not at all for that moment).
 * Nothing but the owner ever writes an own cell; a reset therefore records a baseline rather than
 * clearing cells.
 */
final class HitCounter {

    static final int STRIPES = 16;
    private static final int PAD = 16; // longs per stripe: 128 bytes, no false sharing with neighbours
    private static final int OWNER = 0;
    private static final int OWN = 1;
    static final int HIT_BITS = 20;
    private static final long HIT_MASK = (1L << HIT_BITS) - 1;
    private static final long DRAIN_HITS = 1L << (HIT_BITS - 1);
    /** Drain at 2^42 ns (73 minutes saved in one cell), half of what the 44-bit field holds. */
    private static final long DRAIN_NANOS = 1L << 42;
    /** No single hit may carry more than this (an entry whose load took over 18 minutes counts as 18). */
    private static final long MAX_NANOS = 1L << 40;

    /** Per stripe: the owner's thread id (0 while unowned) and the owner's cell, side by side. */
    private final AtomicLongArray owned = new AtomicLongArray(STRIPES * PAD);
    private final AtomicLongArray shared = new AtomicLongArray(STRIPES * PAD);
    private final AtomicLong drainedHits = new AtomicLong();
    private final AtomicLong drainedNanos = new AtomicLong();
    private volatile long baseHits;
    private volatile long baseNanos;

    void hit(long loadNanos) {
        long thread = Thread.currentThread().getId();
        int s = (int) ((thread * 0x9E3779B97F4A7C15L) >>> 60) * PAD;
        long add = 1L | (Math.min(loadNanos, MAX_NANOS) << HIT_BITS);
        long owner = owned.getPlain(s + OWNER);
        if (owner == thread || (owner == 0 && owned.compareAndSet(s + OWNER, 0, thread))) {
            long v = owned.getPlain(s + OWN) + add;
            if (full(v)) {
                drain(v);
                v = 0;
            }
            owned.setRelease(s + OWN, v);
            return;
        }
        long before = shared.getAndAdd(s, add);
        if (full(before)) {
            drain(shared.getAndSet(s, 0));
        }
    }

    private static boolean full(long cell) {
        return (cell & HIT_MASK) >= DRAIN_HITS || (cell >>> HIT_BITS) >= DRAIN_NANOS;
    }

    private void drain(long cell) {
        drainedHits.addAndGet(cell & HIT_MASK);
        drainedNanos.addAndGet(cell >>> HIT_BITS);
    }

    long hits() {
        return total(HIT_MASK, 0, drainedHits.get()) - baseHits;
    }

    long savedNanos() {
        return total(-1L, HIT_BITS, drainedNanos.get()) - baseNanos;
    }

    private long total(long mask, int shift, long drained) {
        long sum = drained;
        for (int s = 0; s < STRIPES; s++) {
            sum += (owned.getAcquire(s * PAD + OWN) >>> shift) & mask;
            sum += (shared.get(s * PAD) >>> shift) & mask;
        }
        return sum;
    }

    /**
     * How many stripes took hits since {@code seen} was last updated (two longs per stripe: its own and
     * its shared cell), and updates it: a lower estimate of the threads that hit meanwhile.
     */
    int stripesChangedSince(long[] seen) {
        int changed = 0;
        for (int s = 0; s < STRIPES; s++) {
            long own = owned.getAcquire(s * PAD + OWN);
            long sh = shared.get(s * PAD);
            if (own != seen[2 * s] || sh != seen[2 * s + 1]) {
                changed++;
                seen[2 * s] = own;
                seen[2 * s + 1] = sh;
            }
        }
        return changed;
    }

    void reset() {
        baseHits += hits();
        baseNanos += savedNanos();
    }
}
