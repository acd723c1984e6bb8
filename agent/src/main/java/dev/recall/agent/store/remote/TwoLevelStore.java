package dev.recall.agent.store.remote;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Duration;
import dev.recall.agent.config.NearSettings;
import dev.recall.agent.config.StoreKind;
import dev.recall.agent.store.Accessor;
import dev.recall.agent.codec.ValueCopier;
import dev.recall.agent.store.Entry;
import dev.recall.agent.store.LoadTurn;
import dev.recall.agent.store.RemoteStore;
import java.util.List;

/**
 * A small Caffeine near cache in front of a {@link RedisStore}. The near tier is used only while this JVM
 * hears other JVMs' invalidations: when the subscription or Redis is lost it is emptied and bypassed,
 * because an entry it holds could have been changed elsewhere meanwhile; it also trusts an entry no
 * longer than {@code near.ttl}, nor past the entry's own expiry. Near entries are keyed by the Redis key, which is what invalidation
 * messages name.
 *
 * <p>Shared by all threads: Caffeine is thread-safe, and invalidations arrive on the subscriber thread.
 */
public final class TwoLevelStore implements RemoteStore, InvalidationListener {

    private final RedisStore remote;
    private final Cache<String, Entry> near;

    TwoLevelStore(RedisStore remote, NearSettings settings) {
        this.remote = remote;
        long nearTtlNanos = settings.ttl().toNanos();
        this.near = Caffeine.newBuilder()
                .maximumSize(settings.maxSize())
                .expireAfter(Expiry.<String, Entry>writing((key, entry) ->
                        Duration.ofNanos(Math.min(nearTtlNanos, entry.remainingNanos(System.nanoTime())))))
                .executor(Runnable::run)
                .build();
        remote.connector().listen(this);
    }

    @Override
    public StoreKind kind() {
        return StoreKind.TWO_LEVEL;
    }

    @Override
    public String region() {
        return remote.region();
    }

    @Override
    public Entry get(Object key, Accessor accessor) {
        RedisConnector redis = remote.connector();
        if (!redis.readable()) {
            return null;
        }
        String redisKey;
        try {
            redisKey = remote.redisKey(key);
        } catch (Unavailable e) {
            accessor.remote().remoteError();
            return null;
        }
        boolean trusted = redis.subscribed();
        if (trusted) {
            Entry hit = near.getIfPresent(redisKey);
            if (hit != null) {
                accessor.remote().nearHit();
                return hit;
            }
        }
        try {
            Entry entry = remote.read(redisKey, accessor, true);
            if (entry != null && trusted) {
                entry = heldByValue(entry);
                near.put(redisKey, entry);
            }
            return entry;
        } catch (Unavailable e) {
            accessor.remote().remoteError();
            return null;
        }
    }

    @Override
    public LoadTurn takeTurn(Object key, Accessor accessor) {
        LoadTurn turn = remote.takeTurn(key, accessor);
        Entry loaded = turn.loaded();
        if (loaded == null) {
            return turn;
        }
        Entry held = heldByValue(loaded);
        keepNear(key, held);
        if (held == loaded) {
            return turn;
        }
        return new LoadTurn() {
            @Override
            public Entry loaded() {
                return held; // the caller copies it, as every near reader does
            }

            @Override
            public void release() {
                turn.release();
            }
        };
    }

    @Override
    public void put(Object key, Entry entry, Accessor accessor) {
        // Kept near only if it is what Redis holds: a fill that lost to another JVM's entry is not the truth.
        if (remote.fill(key, entry, accessor)) {
            keepNear(key, entry);
        }
    }

    @Override
    public void write(Object key, Entry entry, Accessor accessor) {
        remote.write(key, entry, accessor);
        keepNear(key, entry);
    }

    /**
     * A value decoded from Redis is fresh for its one reader; kept near, every reader of this JVM would
     * share it, so a mutable one is marked to be copied for each.
     */
    private static Entry heldByValue(Entry decoded) {
        if (decoded.copyOnRead() || ValueCopier.isImmutable(decoded.value())) {
            return decoded;
        }
        return new Entry(decoded.value(), decoded.loadNanos(), decoded.deadlineNanos(), true);
    }

    private void keepNear(Object key, Entry entry) {
        RedisConnector redis = remote.connector();
        if (!redis.subscribed() || !redis.readable()) {
            return;
        }
        try {
            near.put(remote.redisKey(key), heldByValue(entry));
        } catch (Unavailable ignored) {
            // not kept near; the next read goes to Redis
        }
    }

    @Override
    public void remove(Object key, Entry expected) {
        invalidate(key);
    }

    @Override
    public void invalidate(Object key) {
        try {
            near.invalidate(remote.redisKey(key));
        } catch (Unavailable e) {
            near.invalidateAll();
        }
        remote.invalidate(key);
    }

    @Override
    public int invalidateRendered(String rendered) {
        try {
            near.invalidate(remote.redisKeyRendered(rendered));
        } catch (Unavailable e) {
            near.invalidateAll();
        }
        return remote.invalidateRendered(rendered);
    }

    @Override
    public void invalidateAll() {
        near.invalidateAll();
        remote.invalidateAll();
    }

    @Override
    public void invalidated(String redisKey) {
        near.invalidate(redisKey);
    }

    @Override
    public void invalidatedAll() {
        near.invalidateAll();
    }

    @Override
    public void lost() {
        near.invalidateAll();
    }

    @Override
    public long size() {
        return near.estimatedSize();
    }

    @Override
    public long evictions() {
        return 0;
    }

    @Override
    public Iterable<Object> keys() {
        return List.of();
    }
}
