package dev.recall.agent.store.remote;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.recall.agent.codec.ValueCopier;
import dev.recall.agent.config.NearSettings;
import dev.recall.agent.config.StoreKind;
import dev.recall.agent.store.Accessor;
import dev.recall.agent.store.CoarseClock;
import dev.recall.agent.store.Entry;
import dev.recall.agent.store.LoadTurn;
import dev.recall.agent.store.RemoteStore;
import dev.recall.bridge.Bridge;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;

/**
 * A small Caffeine near cache in front of a {@link RedisStore}. The near tier is used only while this JVM
 * holds its lease ({@link Lease}): writers anywhere wait until it has applied their invalidations, or until
 * its lease has run out, so a read that starts after a write returned never sees the older value here. It is
 * also used only while this JVM hears other JVMs' invalidations: when the subscription or Redis is lost it is emptied and bypassed,
 * because an entry it holds could have been changed elsewhere meanwhile; it also trusts an entry no
 * longer than {@code near.ttl}, nor past the entry's own expiry.
 *
 * <p>Near entries are keyed by the key object, so a near hit costs one look-up and no hashing of the Redis
 * key; an index from Redis key to key object lets invalidation messages, which name Redis keys, find them.
 *
 * <p>Every fill of the near tier is guarded by an invalidation sequence: a counter per stripe of keys (and
 * one for the whole tier) that each invalidation, from another JVM or from this one, advances before it
 * removes anything. A reader takes the sequence before it reads Redis and keeps what it read only if the
 * sequence has not moved when its entry is in; if it moved, the reader takes its entry back. So an
 * invalidation that arrives while a GET is on the wire always wins.
 *
 * <p>Shared by all threads: Caffeine and the index are thread-safe, the sequences atomic, and
 * invalidations arrive on the subscriber thread.
 */
final class TwoLevelStore implements RemoteStore, InvalidationListener {

    private static final int STRIPES = 64;

    private final RedisStore remote;
    private final Cache<Object, Near> near;
    /** Redis key to key object, for the entries held near. */
    private final ConcurrentHashMap<String, Object> byRedisKey = new ConcurrentHashMap<>();
    private final AtomicLongArray sequences = new AtomicLongArray(STRIPES);
    private final AtomicLong wholeSequence = new AtomicLong();

    /** A near entry and the Redis key it was read from or written to. */
    private record Near(Entry entry, String redisKey) {
    }

    TwoLevelStore(RedisStore remote, NearSettings settings) {
        this.remote = remote;
        CoarseClock.start();
        this.near = Caffeine.newBuilder()
                .maximumSize(settings.maxSize())
                // A fixed expiry is Caffeine's cheapest read: expiring each entry at its own time cost a near
                // hit ~30 ns more (1.8x a local hit against 1.1x, benchmarks/remote.sh). near.ttl bounds every
                // entry on the real clock; an entry whose own life ends sooner (a fill from Redis with less
                // time left, jitter) is told by its deadline on each read, as the local store does.
                .expireAfterWrite(settings.ttl())
                // Within the eviction's own atomic step, so that no put of the same key can fall between the
                // entry's removal and its index's: an entry left out of the index would miss invalidations.
                .evictionListener((Object key, Near held, RemovalCause cause) -> {
                    if (held != null) {
                        byRedisKey.remove(held.redisKey(), key);
                    }
                })
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
    public boolean peekable() {
        return true;
    }

    /** The near tier alone: the hit path's quick look-up, which never waits on Redis. */
    @Override
    public Entry peek(Object key, Accessor accessor) {
        RemoteLink redis = remote.connector();
        if (!redis.readable() || !redis.subscribed() || !redis.leased()) {
            return null;
        }
        Near held = near.getIfPresent(key);
        if (held == null || held.entry().stale(CoarseClock.now())) {
            return null; // get() reads it again on the real clock, and Redis
        }
        accessor.remote().nearHit();
        return held.entry();
    }

    @Override
    public Entry get(Object key, Accessor accessor) {
        RemoteLink redis = remote.connector();
        if (!redis.readable()) {
            return null;
        }
        boolean trusted = redis.subscribed() && redis.leased();
        Entry staleNear = null;
        if (trusted) {
            Near held = near.getIfPresent(key);
            if (held != null) {
                long now = System.nanoTime();
                if (!held.entry().stale(now)) {
                    accessor.remote().nearHit();
                    return held.entry();
                }
                // Past its TTL here; another JVM may have reloaded it since. Kept in case Redis cannot answer,
                // within its stale window (the near tier itself may hold it up to near.ttl).
                if (held.entry().keptNanos(now) > 0) {
                    staleNear = held.entry();
                }
            }
        }
        String redisKey;
        try {
            redisKey = remote.redisKey(key);
        } catch (Unavailable e) {
            accessor.remote().remoteError();
            return null;
        }
        long sequence = sequence(redisKey);
        try {
            Entry entry = remote.readAny(key, redisKey, accessor);
            if (entry == null) {
                // Redis holds nothing: the value was invalidated, or expired there too; never serve it stale.
                return null;
            }
            if (trusted) {
                entry = heldByValue(entry);
                keepNear(key, redisKey, entry, sequence);
            }
            return entry;
        } catch (Unavailable e) {
            accessor.remote().remoteError();
            return staleNear;
        }
    }

    /**
     * A bulk method's look-up: what the near tier holds fresh (when it is trusted), and the rest from Redis in
     * one MGET, kept near as {@link #get} keeps what it reads. When Redis cannot answer, a near entry past its
     * TTL but within its stale window answers, as for {@link #get}.
     */
    @Override
    public Entry[] getAll(List<?> keys, Accessor accessor) {
        Entry[] found = new Entry[keys.size()];
        RemoteLink redis = remote.connector();
        if (!redis.readable()) {
            return found;
        }
        boolean trusted = redis.subscribed();
        Entry[] staleNear = new Entry[found.length];
        List<Object> farKeys = new ArrayList<>();
        List<Integer> at = new ArrayList<>();
        long now = System.nanoTime();
        for (int i = 0; i < found.length; i++) {
            Near held = trusted ? near.getIfPresent(keys.get(i)) : null;
            if (held != null && !held.entry().stale(now)) {
                accessor.remote().nearHit();
                found[i] = held.entry();
                continue;
            }
            if (held != null && held.entry().keptNanos(now) > 0) {
                staleNear[i] = held.entry();
            }
            farKeys.add(keys.get(i));
            at.add(i);
        }
        if (farKeys.isEmpty()) {
            return found;
        }
        try {
            List<String> names = new ArrayList<>(farKeys.size());
            long[] sequences = new long[farKeys.size()];
            for (int j = 0; j < sequences.length; j++) {
                names.add(remote.redisKey(farKeys.get(j)));
                sequences[j] = sequence(names.get(j));
            }
            Entry[] far = new Entry[farKeys.size()];
            remote.readAll(farKeys, names, accessor, far);
            for (int j = 0; j < far.length; j++) {
                Entry entry = far[j];
                if (entry != null && trusted) {
                    entry = heldByValue(entry);
                    keepNear(farKeys.get(j), names.get(j), entry, sequences[j]);
                }
                found[at.get(j)] = entry;
            }
        } catch (Unavailable e) {
            accessor.remote().remoteError();
            for (int j = 0; j < at.size(); j++) {
                found[at.get(j)] = staleNear[at.get(j)];
            }
        }
        return found;
    }

    @Override
    public LoadTurn takeTurn(Object key, Accessor accessor, long bornAfterNanos) {
        String redisKey;
        try {
            redisKey = remote.redisKey(key);
        } catch (Unavailable e) {
            return remote.takeTurn(key, accessor, bornAfterNanos);
        }
        long sequence = sequence(redisKey);
        LoadTurn turn = remote.takeTurn(key, accessor, bornAfterNanos);
        Entry loaded = turn.loaded();
        if (loaded == null) {
            return turn;
        }
        Entry held = heldByValue(loaded);
        keepNear(key, redisKey, held, sequence);
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
    public boolean offer(Object key, Entry entry, Accessor accessor) {
        String redisKey;
        try {
            redisKey = remote.redisKey(key);
        } catch (Unavailable e) {
            accessor.remote().remoteError();
            return true;
        }
        long sequence = sequence(redisKey);
        RedisStore.Fill fill = remote.fill(key, entry, accessor);
        // Kept near only if it is what Redis holds: a fill that lost to another JVM's entry is not the truth.
        if (fill == RedisStore.Fill.LANDED) {
            keepNear(key, redisKey, entry, sequence);
        }
        return fill != RedisStore.Fill.LOST;
    }

    /** This JVM's near entry goes first: the key is about to change, whatever the write's end decides. */
    @Override
    public Object beginWrite(Object key, Accessor accessor) {
        forgetNear(() -> remote.redisKey(key));
        return remote.beginWrite(key, accessor);
    }

    @Override
    public void write(Object key, Entry entry, Accessor accessor, Object mark) {
        writeValue(key, entry, accessor, (byte[]) mark);
    }

    /**
     * Ours is the newest value this JVM knows of: kept near if it landed in Redis (one that lost to an
     * overlapping change, or that Redis refused, is not the truth), unless a newer one from another JVM arrives
     * while we write, which moves the sequence.
     */
    private void writeValue(Object key, Entry entry, Accessor accessor, byte[] marker) {
        String redisKey;
        try {
            redisKey = remote.redisKey(key);
        } catch (Unavailable e) {
            invalidated(null);
            remote.writeValue(key, entry, accessor, marker);
            return;
        }
        advance(redisKey);
        removeNear(redisKey);
        long sequence = sequence(redisKey);
        if (!remote.writeValue(key, entry, accessor, marker) || !keepNear(key, redisKey, entry, sequence)) {
            // A reader of this JVM may have kept the older value near meanwhile (it read Redis before our change
            // landed, and no sequence moved after); our own message never comes back to us.
            advance(redisKey);
            removeNear(redisKey);
        }
    }

    /**
     * A value decoded from Redis is fresh for its one reader; kept near, every reader of this JVM would
     * share it, so a mutable one is marked to be copied for each.
     */
    private static Entry heldByValue(Entry decoded) {
        if (decoded.copyOnRead() || decoded.value() == Bridge.NULL || ValueCopier.isImmutable(decoded.value())) {
            return decoded;
        }
        return decoded.heldByValue();
    }

    /**
     * Keeps {@code entry} near unless an invalidation of its key came after {@code sequence} was taken. The
     * entry and its index change together, in one atomic step on the key ({@code compute}), as every
     * removal does, so an invalidation message always finds what is held.
     */
    private boolean keepNear(Object key, String redisKey, Entry entry, long sequence) {
        RemoteLink redis = remote.connector();
        if (!redis.subscribed() || !redis.leased() || !redis.readable() || sequence(redisKey) != sequence) {
            return false;
        }
        Near held = new Near(heldByValue(entry), redisKey);
        near.asMap().compute(key, (k, old) -> {
            if (old != null && !old.redisKey().equals(redisKey)) {
                byRedisKey.remove(old.redisKey(), k);
            }
            byRedisKey.put(redisKey, k);
            return held;
        });
        if (sequence(redisKey) != sequence) {
            // An invalidation ran between the check and the put; it may have missed what we put.
            near.asMap().computeIfPresent(key, (k, now) -> now == held ? unindexed(k, now) : now);
            return false;
        }
        return true;
    }

    /** Drops {@code held}'s index entry; called inside an atomic step on {@code key} that removes it. */
    private Near unindexed(Object key, Near held) {
        byRedisKey.remove(held.redisKey(), key);
        return null;
    }

    private int stripe(String redisKey) {
        return redisKey.hashCode() & (STRIPES - 1);
    }

    private long sequence(String redisKey) {
        // Both only grow, so their sum moves whenever either does.
        return sequences.get(stripe(redisKey)) + wholeSequence.get();
    }

    private void advance(String redisKey) {
        sequences.incrementAndGet(stripe(redisKey));
    }

    private void removeNear(String redisKey) {
        Object key = byRedisKey.get(redisKey);
        if (key != null) {
            near.asMap().compute(key, (k, held) -> {
                byRedisKey.remove(redisKey, k);
                return held == null ? null : unindexed(k, held);
            });
        }
    }

    private void clearNear() {
        wholeSequence.incrementAndGet();
        for (Object key : near.asMap().keySet()) {
            near.asMap().computeIfPresent(key, this::unindexed);
        }
    }

    /**
     * Before this JVM changes a key in Redis: its near entry goes, and fills of it under way are not kept.
     * While the key's Redis name cannot be known (Redis away), the whole near tier goes.
     */
    private void forgetNear(Supplier<String> redisKey) {
        String name;
        try {
            name = redisKey.get();
        } catch (Unavailable e) {
            clearNear();
            return;
        }
        advance(name);
        removeNear(name);
    }

    @Override
    public void remove(Object key, Entry expected) {
        forgetNear(() -> remote.redisKey(key));
        remote.remove(key, expected);
        forgetNear(() -> remote.redisKey(key)); // what a reader here kept while the change was on its way
    }

    /**
     * Before and after: before, so no fill under way is kept; after, since a reader of this JVM may have read
     * Redis after the first and before the change landed, and kept that near. Other JVMs hear the message.
     */
    @Override
    public void invalidate(Object key) {
        forgetNear(() -> remote.redisKey(key));
        remote.invalidate(key);
        forgetNear(() -> remote.redisKey(key));
    }

    @Override
    public void invalidateAll() {
        clearNear();
        remote.invalidateAll();
        clearNear();
    }

    /** Another JVM changed {@code redisKey} ({@code null}: some key of the region). */
    @Override
    public void invalidated(String redisKey) {
        if (redisKey == null) {
            clearNear();
            return;
        }
        advance(redisKey);
        removeNear(redisKey);
    }

    @Override
    public void invalidatedAll() {
        clearNear();
    }

    @Override
    public void lost() {
        clearNear();
    }

    @Override
    public long size() {
        return near.estimatedSize();
    }
}
