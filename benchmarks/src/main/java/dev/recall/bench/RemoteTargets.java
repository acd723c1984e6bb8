package dev.recall.bench;

import dev.recall.CacheEvict;
import dev.recall.Cached;
import dev.recall.Strategy;

/**
 * The same trivial method three times, its entries in each store: {@code local} (Caffeine in the JVM),
 * {@code near} (two-level: a near cache in front of Redis) and {@code remote} (Redis alone); the stores
 * are given by the rules of the configuration {@link RemoteBenchMain} writes. Values are immutable
 * strings, so no hit copies. Beside them, the paths that pay for the consistency of fills (a write-through,
 * and an eviction followed by the miss and fill it causes), on Redis.
 */
public class RemoteTargets {

    /** How often {@link #remote} ran (a miss): a timed loop of hits checks that it stays put. */
    private static final java.util.concurrent.atomic.AtomicLong REMOTE_RUNS = new java.util.concurrent.atomic.AtomicLong();

    static long remoteRuns() {
        return REMOTE_RUNS.get();
    }

    @Cached(cache = "bench-local", key = "{0}", ttl = "1h")
    public String local(long id) {
        return Work.byLong(id);
    }

    @Cached(cache = "bench-near", key = "{0}", ttl = "1h")
    public String near(long id) {
        return Work.byLong(id);
    }

    @Cached(cache = "bench-remote", key = "{0}", ttl = "1h")
    public String remote(long id) {
        REMOTE_RUNS.incrementAndGet();
        return Work.byLong(id);
    }

    @Cached(cache = "bench-remote-write", key = "{0}", ttl = "1h", strategy = Strategy.WRITE_THROUGH)
    public String writeRemote(long id) {
        return Work.byLong(id);
    }

    @Cached(cache = "bench-remote-fill", key = "{0}", ttl = "1h")
    public String fillRemote(long id) {
        return Work.byLong(id);
    }

    @CacheEvict(cache = "bench-remote-fill", key = "{0}")
    public void evictRemote(long id) {
    }
}
