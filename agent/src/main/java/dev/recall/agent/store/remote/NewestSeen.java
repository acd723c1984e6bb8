package dev.recall.agent.store.remote;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * Replay detection: for the Redis keys this JVM wrote, invalidated or read lately, the newest write time
 * (the signed {@code writtenAtMillis} of {@link EntrySeal}) it has seen there. A value read later whose
 * write time is older than that by more than the clock skew JVMs may have is an old signed value put back
 * at its key (a replay: someone with access to Redis saved it and restored it), and is refused.
 *
 * <p>The exposure that remains, stated in the README: a replay is caught only by a JVM that has seen a
 * newer value or invalidation at that key within the last {@link #MEMORY} and among its last
 * {@link #KEYS} keys, only if it is more than {@link #SKEW_MILLIS} older, and never after the replayed
 * value's own signed expiry (a replay past it is refused as expired anyway).
 *
 * <p>Shared by every Redis store of the JVM; Caffeine is thread-safe, and merges are atomic per key.
 */
final class NewestSeen {

    static final long SKEW_MILLIS = 1_000;
    static final int KEYS = 100_000;
    static final Duration MEMORY = Duration.ofHours(1);

    private final Cache<String, Long> newest = Caffeine.newBuilder()
            .maximumSize(KEYS)
            .expireAfterWrite(MEMORY)
            .executor(Runnable::run)
            .build();

    /** This JVM saw, wrote or invalidated {@code redisKey} as of {@code writtenAtMillis}. */
    void saw(String redisKey, long writtenAtMillis) {
        Long seen = newest.getIfPresent(redisKey);
        if (seen == null || seen < writtenAtMillis) {
            // A write only when the time moves on: a hit that reads what was seen before (nearly every hit) must
            // not pay for a Caffeine write and its maintenance.
            newest.asMap().merge(redisKey, writtenAtMillis, Math::max);
        }
    }

    /**
     * A value written at {@code writtenAtMillis} was read at {@code redisKey}: whether it is older than what was seen
     * there (a replay); if not, it is seen. One lookup on a hit's path.
     */
    boolean replayElseSee(String redisKey, long writtenAtMillis) {
        Long seen = newest.getIfPresent(redisKey);
        if (seen != null && writtenAtMillis < seen - SKEW_MILLIS) {
            return true;
        }
        if (seen == null || seen < writtenAtMillis) {
            newest.asMap().merge(redisKey, writtenAtMillis, Math::max);
        }
        return false;
    }
}
