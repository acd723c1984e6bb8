package dev.recall.agent.store;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Write-throughs of a key that overlap in time. Two callers writing one key run the method concurrently,
 * and the agent cannot know in which order the system of record applied their writes; so a write may set
 * the entry from its own value only if no other write of its key was under way at any moment of its own
 * call. Otherwise it invalidates, and the next read loads what the system of record holds. This is the
 * invalidate-then-fill design: a write that raced costs one load, never a stale entry.
 *
 * <p>Per stripe of keys (64, by hash), so the state is bounded; two keys of one stripe that are written at
 * once only lose an entry they could have kept. Shared by all threads; atomic arrays.
 */
final class WritesInFlight {

    private static final int STRIPES = 64;

    private final AtomicIntegerArray active = new AtomicIntegerArray(STRIPES);
    private final AtomicLongArray starts = new AtomicLongArray(STRIPES);

    /**
     * Called before the method runs.
     *
     * @return the token for {@link #hadTheKeyAlone} and {@link #end}: positive if no other write of the
     *     stripe was under way at this start
     */
    long begin(Object key) {
        int s = stripe(key);
        long mark = starts.incrementAndGet(s);
        boolean alone = active.getAndIncrement(s) == 0;
        return alone ? mark : -mark;
    }

    /**
     * Whether no other write of the stripe was under way when {@code token}'s write began, nor began (nor
     * an eviction happened) since.
     */
    boolean hadTheKeyAlone(Object key, long token) {
        return token > 0 && starts.get(stripe(key)) == token;
    }

    void end(Object key) {
        active.decrementAndGet(stripe(key));
    }

    /**
     * An eviction of {@code key}: a write under way may have written the system of record before the
     * eviction's own write there, so it must not set its value afterwards.
     */
    void touch(Object key) {
        starts.incrementAndGet(stripe(key));
    }

    void touchAll() {
        for (int i = 0; i < STRIPES; i++) {
            starts.incrementAndGet(i);
        }
    }

    private static int stripe(Object key) {
        int h = key.hashCode();
        return (h ^ (h >>> 16)) & (STRIPES - 1);
    }
}
