package dev.recall.agent.metrics;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Hits and the load time they saved, packed into one long per add: the hit count in the low
 * {@value #HIT_BITS} bits and the saved nanoseconds in the high 44 bits.
 *
 * <p>Shared by all threads, and on the hit path, where an atomic add measured as most of what the agent
 * adds to a cache lookup (and more at two threads). So each stripe, chosen by a multiplicative hash of the
 * thread id, has an owner: the first thread to hash there. The owner adds to its own cell with a plain read
 * and a release write, no atomic instruction, since no other thread writes that cell; any other thread that
 * hashes there adds atomically to the stripe's shared cell. Cells sit on cache lines of their own. A cell
 * half full is moved into the wide totals, the own cell by its owner, a shared cell with one
 * {@code getAndSet}, so once the threads are quiet the counts are exact (a reader racing an owner's move may
 * see the moved part twice or not at all for that moment). Nothing but the owner ever writes an own cell; a
 * reset therefore records a baseline rather than clearing cells.
 *
 * <p>Sized to the threads that hit (issue 28): the stripes start as one, which is all a method called from
 * one thread needs (two longs and a shared cell, where sixteen padded stripes were 4 KB of every called
 * method), and double, up to {@value #STRIPES}, each time a thread finds its stripe owned by another. A
 * table outgrown is kept and still counted (its owners may be adding to it while they move on), never
 * written again by a thread that has seen its successor; all tables of a counter together hold at most
 * twice the last one's cells.
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

    /**
     * One table of stripes. Stripe {@code i} is {@code owned[i * PAD + OWNER]} (the owner's thread id, 0 while
     * unowned), {@code owned[i * PAD + OWN]} (the owner's cell) and {@code shared[i * PAD]}; the last stripe has
     * no padding after it.
     */
    private static final class Stripes {
        final int mask;
        final AtomicLongArray owned;
        final AtomicLongArray shared;
        /** The cells as {@link #stripesChangedSince} last saw them, two per stripe; only its caller's. */
        final long[] seen;

        Stripes(int count) {
            mask = count - 1;
            owned = new AtomicLongArray((count - 1) * PAD + 2);
            shared = new AtomicLongArray((count - 1) * PAD + 1);
            seen = new long[2 * count];
        }
    }

    /** The table hits go to; replaced (under this object's lock) by one twice its size. */
    private volatile Stripes current = new Stripes(1);
    /** Every table so far, the current one last: what readers sum. Replaced with {@link #current}. */
    private volatile Stripes[] tables = {current};
    private final AtomicLong drainedHits = new AtomicLong();
    private final AtomicLong drainedNanos = new AtomicLong();
    private volatile long baseHits;
    private volatile long baseNanos;

    void hit(long loadNanos) {
        Stripes t = current;
        long thread = Thread.currentThread().getId();
        int s = ((int) ((thread * 0x9E3779B97F4A7C15L) >>> 60) & t.mask) * PAD;
        long add = 1L | (Math.min(loadNanos, MAX_NANOS) << HIT_BITS);
        AtomicLongArray owned = t.owned;
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
        long before = t.shared.getAndAdd(s, add);
        if (full(before)) {
            drain(t.shared.getAndSet(s, 0));
        }
        if (t.mask < STRIPES - 1) {
            grow(t);
        }
    }

    /** A second thread met an owned stripe of {@code outgrown}: the next hits go to a table twice its size. */
    private synchronized void grow(Stripes outgrown) {
        if (current != outgrown) {
            return;
        }
        Stripes bigger = new Stripes(2 * (outgrown.mask + 1));
        Stripes[] all = Arrays.copyOf(tables, tables.length + 1);
        all[all.length - 1] = bigger;
        // Readers first: a hit in the new table is never left out of a sum that started after it.
        tables = all;
        current = bigger;
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
        for (Stripes t : tables) {
            for (int s = 0; s <= t.mask; s++) {
                sum += (t.owned.getAcquire(s * PAD + OWN) >>> shift) & mask;
                sum += (t.shared.get(s * PAD) >>> shift) & mask;
            }
        }
        return sum;
    }

    /**
     * How many stripes took hits since the last call: a lower estimate of the threads that hit meanwhile.
     * With more than one table, the most of any one table, since a thread that moved to a new table meanwhile
     * changed a stripe of each. Called by one thread at a time ({@link SavedTime}'s lock), which the tables'
     * {@code seen} cells belong to.
     */
    int stripesChangedSince() {
        int most = 0;
        for (Stripes t : tables) {
            int changed = 0;
            for (int s = 0; s <= t.mask; s++) {
                long own = t.owned.getAcquire(s * PAD + OWN);
                long sh = t.shared.get(s * PAD);
                if (own != t.seen[2 * s] || sh != t.seen[2 * s + 1]) {
                    changed++;
                    t.seen[2 * s] = own;
                    t.seen[2 * s + 1] = sh;
                }
            }
            most = Math.max(most, changed);
        }
        return most;
    }

    /** How many stripes the hits go to now (for tests). */
    int stripes() {
        return current.mask + 1;
    }

    void reset() {
        baseHits += hits();
        baseNanos += savedNanos();
    }
}
