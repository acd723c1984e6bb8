package dev.recall.agent.store.remote;

/**
 * What this thread's last misses in Redis saw at their keys (nothing, a tombstone, an expired or refused
 * value), and when, kept until the load that follows stores its result: the fill lands only if the key
 * still holds exactly that ({@link RedisConnector#put}), and only if that miss is recent enough
 * ({@link Fence}). A few per thread, because a load often makes cached calls of its own (a service method
 * calling a repository) before its result is stored.
 *
 * <p>Per thread, so nothing is shared. A fill on another thread than its miss (a CompletableFuture's
 * completion) finds nothing here and lands only on an empty key, as a fill always did before.
 */
final class MissesSeen {

    private static final int SLOTS = 8;
    /** Stands for "the key held nothing", so that a lookup can tell it from "not seen". */
    static final byte[] NOTHING = {};

    private static final ThreadLocal<MissesSeen> PER_THREAD = ThreadLocal.withInitial(MissesSeen::new);

    private final String[] keys = new String[SLOTS];
    private final byte[][] seen = new byte[SLOTS][];
    private final long[] atNanos = new long[SLOTS];
    private final long[] generations = new long[SLOTS];
    private int next;

    /** What a miss saw ({@link #NOTHING} for nothing), and when ({@link System#nanoTime()}, once its GET answered). */
    record Seen(byte[] raw, long atNanos) {
    }

    /** @param generation the region's generation the key was named under, as far as known ({@code -1}: not known) */
    static void saw(String redisKey, byte[] raw, long generation) {
        MissesSeen m = PER_THREAD.get();
        long now = System.nanoTime();
        int slot = -1;
        for (int i = 0; i < SLOTS && slot < 0; i++) {
            if (redisKey.equals(m.keys[i])) {
                slot = i;
            }
        }
        if (slot < 0) {
            slot = m.next;
            m.next = (m.next + 1) % SLOTS;
        }
        m.keys[slot] = redisKey;
        m.seen[slot] = raw == null ? NOTHING : raw;
        m.atNanos[slot] = now;
        m.generations[slot] = generation;
    }

    /**
     * Whether this thread missed a key of {@code redisKey}'s region under a generation older than {@code generation}:
     * a whole-region invalidation came since, so a fill that finds no miss of its own under the new name may
     * be a load from before it. Such misses are forgotten: they say nothing about later fills.
     */
    static boolean missedBefore(String redisKey, long generation) {
        MissesSeen m = PER_THREAD.get();
        int region = redisKey.lastIndexOf(':') + 1; // a key's hash has no ':', a region's name may
        boolean older = false;
        for (int i = 0; i < SLOTS; i++) {
            String k = m.keys[i];
            if (k != null && k.lastIndexOf(':') + 1 == region && k.regionMatches(0, redisKey, 0, region)
                    && m.generations[i] < generation) {
                m.keys[i] = null;
                m.seen[i] = null;
                older = true;
            }
        }
        return older;
    }

    /** What the last miss at {@code redisKey} saw, or {@code null} if none was seen; forgotten. */
    static Seen take(String redisKey) {
        MissesSeen m = PER_THREAD.get();
        for (int i = 0; i < SLOTS; i++) {
            if (redisKey.equals(m.keys[i])) {
                Seen s = new Seen(m.seen[i], m.atNanos[i]);
                m.keys[i] = null;
                m.seen[i] = null;
                return s;
            }
        }
        return null;
    }

    /** A hit at {@code redisKey}: an older miss there says nothing any more. */
    static void forget(String redisKey) {
        MissesSeen m = PER_THREAD.get();
        for (int i = 0; i < SLOTS; i++) {
            if (redisKey.equals(m.keys[i])) {
                m.keys[i] = null;
                m.seen[i] = null;
            }
        }
    }
}
