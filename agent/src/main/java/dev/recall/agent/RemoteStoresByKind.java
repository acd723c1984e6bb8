package dev.recall.agent;

import dev.recall.agent.config.StoreKind;
import dev.recall.agent.store.RemoteStore;
import dev.recall.agent.store.RemoteStores;
import dev.recall.agent.store.remote.MemcachedStores;
import dev.recall.agent.store.remote.RedisStores;

/**
 * Memcached's stores for {@code store: memcached}, Redis's for the others, when the file configures both. Holds
 * nothing of its own: the two it routes to are safe for the class-loading threads that create regions.
 */
final class RemoteStoresByKind implements RemoteStores {

    private final RedisStores redis;
    private final MemcachedStores memcached;

    private RemoteStoresByKind(RedisStores redis, MemcachedStores memcached) {
        this.redis = redis;
        this.memcached = memcached;
    }

    /** The stores a region of each kind is created in; {@code null} when neither Redis nor Memcached is configured. */
    static RemoteStores of(RedisStores redis, MemcachedStores memcached) {
        return memcached == null ? redis : new RemoteStoresByKind(redis, memcached);
    }

    @Override
    public RemoteStore create(String region, StoreKind kind) {
        return of(kind).create(region, kind);
    }

    @Override
    public void prepare(StoreKind kind) {
        of(kind).prepare(kind);
    }

    private RemoteStores of(StoreKind kind) {
        return kind == StoreKind.MEMCACHED || redis == null ? memcached : redis;
    }
}
