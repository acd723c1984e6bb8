package dev.recall.agent.metrics;

/**
 * The time the hits saved, as every figure reports it: each hit's credit ({@link HitCounter}), but never
 * more than the wall time during which the method was called multiplied by the threads that called it. A
 * hit's credit is an estimate (what its entry's load cost, capped at today's loads); many cheap hits in a
 * short time would otherwise add up to more time than their callers spent, which nobody can have saved.
 *
 * <p>Between two readings the credit grows by at most the time between them multiplied by the number of the
 * hit counter's stripes that took hits meanwhile. That number is a lower estimate of the threads that hit
 * (two threads of one stripe count once; past 16 threads, 16), so the total stays within the bound, and a
 * period without hits adds nothing. Readings are taken by the sampler (every second) and by every reader,
 * so the bound follows the calls within about a second; no clock is read on the hit path.
 *
 * <p>Shared: read by the sampler and by JMX and Micrometer readers, never on the hit path; synchronized.
 */
final class SavedTime {

    private final HitCounter hits;
    /** The hit counter's cells as the last reading saw them, two per stripe. */
    private final long[] seen = new long[HitCounter.STRIPES * 2];
    private long lastNanos;
    /** The counter's credit at the last reading: the most it has shown, so a racing read never adds twice. */
    private long lastRaw;
    private long credited;

    SavedTime(HitCounter hits, long nowNanos) {
        this.hits = hits;
        this.lastNanos = nowNanos;
    }

    /** The saved time up to {@code nowNanos}, bounded as the class says. */
    synchronized long read(long nowNanos) {
        long raw = hits.savedNanos();
        int callers = hits.stripesChangedSince(seen);
        long elapsed = Math.max(0, nowNanos - lastNanos);
        long added = Math.max(0, raw - lastRaw);
        credited += Math.min(added, elapsed * callers);
        lastRaw = Math.max(lastRaw, raw);
        lastNanos = Math.max(lastNanos, nowNanos);
        return credited;
    }

    /** After the hit counter was reset: nothing saved, from {@code nowNanos} on. */
    synchronized void reset(long nowNanos) {
        credited = 0;
        lastRaw = hits.savedNanos();
        hits.stripesChangedSince(seen);
        lastNanos = nowNanos;
    }
}
