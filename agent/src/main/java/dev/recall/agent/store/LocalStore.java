package dev.recall.agent.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;

/**
 * Entries in a Caffeine cache inside the JVM, bounded by entry count.
 *
 * <p>While every method of the region keeps its entries equally long (its TTL, plus any stale window),
 * the cache expires entries a fixed time after they were written ({@code expireAfterWrite}), which is
 * Caffeine's cheapest read path; an entry that ends earlier (jitter, a null's own TTL) is told by its own
 * deadline on the hit path. When a method that keeps them for another time joins the region, the cache is
 * rebuilt once to expire each entry at its own {@link Entry#keepNanos()}. Regions are set up as classes load, before traffic, so the rebuild
 * practically never copies anything.
 *
 * <p>Thread safety is Caffeine's; the switch is synchronized and publishes the new cache through a
 * volatile field. Caffeine's maintenance (draining its read buffers, evicting) runs on the agent's own
 * daemon thread, not on the application's threads (which would pay for it on reads) and not on the
 * common fork-join pool (which the application may have sized for itself).
 */
public final class LocalStore implements Store {

    private final LongAdder evictions = new LongAdder();
    private final Executor maintenance;
    private volatile Cache<Object, Entry> cache;
    /** The TTL every entry shares, or {@code null} once methods with different TTLs share the region. */
    private Duration fixedTtl;
    /** No method that writes entries has joined yet (the region was created by an eviction). */
    private boolean undecided;
    private long maxSize;

    /** @param ttl the TTL of the method creating the region, or {@code null} if it writes no entries */
    public LocalStore(long maxSize, Duration ttl, Executor maintenance) {
        this.maintenance = maintenance;
        this.maxSize = maxSize;
        this.fixedTtl = ttl;
        this.undecided = ttl == null;
        this.cache = ttl == null ? perEntry(maxSize) : builder(maxSize).expireAfterWrite(ttl).build();
    }

    private Cache<Object, Entry> perEntry(long size) {
        return builder(size).expireAfter(new PerEntryTtl()).build();
    }

    private Caffeine<Object, Entry> builder(long size) {
        return Caffeine.newBuilder()
                .maximumSize(size)
                .evictionListener((Object k, Entry v, RemovalCause cause) -> evictions.increment())
                .executor(maintenance);
    }

    /**
     * Called as each method of the region registers: the TTL of the entries it writes ({@code null} for
     * an eviction, which writes none), and the room it asks for.
     */
    public synchronized void admit(Duration ttl, long size) {
        if (size > maxSize) {
            maxSize = size;
            cache.policy().eviction().ifPresent(e -> e.setMaximum(size));
        }
        if (ttl == null) {
            return;
        }
        if (undecided) {
            undecided = false;
            fixedTtl = ttl;
            replace(builder(maxSize).expireAfterWrite(ttl).build());
        } else if (fixedTtl != null && !fixedTtl.equals(ttl)) {
            fixedTtl = null;
            replace(perEntry(maxSize));
        }
    }

    private void replace(Cache<Object, Entry> next) {
        next.putAll(cache.asMap());
        cache = next;
    }

    @Override
    public Entry get(Object key, Accessor accessor) {
        return cache.getIfPresent(key);
    }

    @Override
    public void put(Object key, Entry entry, Accessor accessor) {
        cache.put(key, entry);
    }

    @Override
    public void remove(Object key, Entry expected) {
        cache.asMap().remove(key, expected);
    }

    @Override
    public void invalidate(Object key) {
        cache.invalidate(key);
    }

    @Override
    public void invalidateAll() {
        cache.invalidateAll();
    }

    @Override
    public long size() {
        return cache.estimatedSize();
    }

    @Override
    public long evictions() {
        return evictions.sum();
    }

    @Override
    public Iterable<Object> keys() {
        return cache.asMap().keySet();
    }

    /** Caffeine's default ticker is System.nanoTime(), the clock entry deadlines are on. */
    private static final class PerEntryTtl implements Expiry<Object, Entry> {
        @Override
        public long expireAfterCreate(Object key, Entry value, long currentTime) {
            return value.keptNanos(currentTime);
        }

        @Override
        public long expireAfterUpdate(Object key, Entry value, long currentTime, long currentDuration) {
            return value.keptNanos(currentTime);
        }

        @Override
        public long expireAfterRead(Object key, Entry value, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
