package dev.recall.agent.metrics;

import java.util.function.LongSupplier;

/**
 * The time the hits saved, as every figure reports it: each hit's credit ({@link HitCounter}), but never
 * more than the wall time during which the method was called multiplied by the threads that called it. A
 * hit's credit is an estimate (what its entry's load cost, capped at today's loads); many cheap hits in a
 * short time would otherwise add up to more time than their callers spent, which nobody can have saved.
 *
 * <p>The bound is kept as an allowance: between two readings in which the method was called, it grows by the
 * time between them multiplied by the number of the hit counter's stripes that took hits meanwhile (at least
 * one if it only missed). That number is a lower estimate of the threads that called (two threads of one
 * stripe count once; past 16 threads, 16), and a period without calls adds nothing. The saved time is the
 * credits, up to the allowance; credits over it wait until later calls have added to it. Readings are taken
 * by the sampler (every second) and by every reader; no clock is read on the hit path.
 *
 * <p>Shared: read by the sampler and by JMX and Micrometer readers, never on the hit path; synchronized.
 */
final class SavedTime {

    private final HitCounter hits;
    private final LongSupplier calledWithoutHit;
    private long lastNanos;
    private long lastMisses;
    /** The most the counter's credit has shown (a racing read never counts a credit twice), over {@link #base}. */
    private long credits;
    private long base;
    private long allowance;

    /** @param calledWithoutHit calls that were not hits (misses), so that a period of misses counts as calling time */
    SavedTime(HitCounter hits, LongSupplier calledWithoutHit, long nowNanos) {
        this.hits = hits;
        this.calledWithoutHit = calledWithoutHit;
        this.lastNanos = nowNanos;
    }

    /** The saved time up to {@code nowNanos}, bounded as the class says. */
    synchronized long read(long nowNanos) {
        long misses = calledWithoutHit.getAsLong();
        int callers = hits.stripesChangedSince();
        if (callers == 0 && misses != lastMisses) {
            callers = 1;
        }
        lastMisses = misses;
        allowance += Math.max(0, nowNanos - lastNanos) * callers;
        lastNanos = Math.max(lastNanos, nowNanos);
        credits = Math.max(credits, hits.savedNanos() - base);
        return Math.min(credits, allowance);
    }

    /** After the hit counter was reset: nothing saved, from {@code nowNanos} on. */
    synchronized void reset(long nowNanos) {
        base = hits.savedNanos();
        credits = 0;
        allowance = 0;
        hits.stripesChangedSince();
        lastMisses = calledWithoutHit.getAsLong();
        lastNanos = nowNanos;
    }
}
