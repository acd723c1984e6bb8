package dev.recall.agent.store.remote;

/**
 * The last value this thread filled into Redis, with its key: a region that finds, just after a fill,
 * that a write or invalidation raced with it takes the fill back, and only it ({@link RedisStore#remove}).
 * Per thread, so nothing is shared; one slot, because the take-back follows its fill on the same thread.
 */
final class LastFill {

    private static final ThreadLocal<LastFill> PER_THREAD = ThreadLocal.withInitial(LastFill::new);

    private String key;
    private byte[] value;

    static void was(String redisKey, byte[] sealed) {
        LastFill f = PER_THREAD.get();
        f.key = redisKey;
        f.value = sealed;
    }

    /** The bytes filled at {@code redisKey} last, or {@code null}; forgotten either way. */
    static byte[] take(String redisKey) {
        LastFill f = PER_THREAD.get();
        byte[] v = redisKey.equals(f.key) ? f.value : null;
        f.key = null;
        f.value = null;
        return v;
    }
}
