package dev.recall.agent.store.remote;

import dev.recall.agent.codec.CodecException;
import dev.recall.agent.codec.RejectedClassException;
import dev.recall.agent.config.StoreKind;
import dev.recall.agent.log.Log;
import dev.recall.agent.store.Accessor;
import dev.recall.agent.store.Entry;
import dev.recall.agent.store.LoadTurn;
import dev.recall.agent.store.RemoteStore;
import dev.recall.bridge.Bridge;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A region's entries in Redis, shared by every JVM of the application. Every failure is a miss: the
 * method runs, and nothing reaches the caller. Values are sealed ({@link EntrySeal}) and read back only
 * after the seal and the class allowlist ({@link Codecs}) passed.
 *
 * <p>Shared by all threads; holds no mutable state of its own.
 */
final class RedisStore implements RemoteStore {

    private final String region;
    private final RemoteLink redis;
    private final EntrySeal seal;
    private final Codecs codecs;

    private final LoadLock loadLock;
    private final long maxValueSize;
    private final long maxStalenessMillis;

    private final NewestSeen newestSeen;
    /** The secrets after the first while a rotation is under way, newest first; empty otherwise. */
    private final List<OlderSecret> older;

    /** A secret still read during a rotation: the names it gives entries, and the key its values are encrypted with. */
    record OlderSecret(RemoteKeys keys, EntrySeal seal) {
    }

    RedisStore(String region, RemoteLink redis, EntrySeal seal, Codecs codecs, NewestSeen newestSeen) {
        this(region, redis, seal, codecs, newestSeen, List.of());
    }

    RedisStore(String region, RemoteLink redis, EntrySeal seal, Codecs codecs, NewestSeen newestSeen, List<OlderSecret> older) {
        this.newestSeen = newestSeen;
        this.older = older;
        this.region = region;
        this.redis = redis;
        this.seal = seal;
        this.codecs = codecs;
        this.maxValueSize = redis.maxValueSize();
        this.maxStalenessMillis = redis.maxStaleness() == null ? Long.MAX_VALUE
                : Math.max(1, redis.maxStaleness().toMillis());
        this.loadLock = new LoadLock(this, redis);
    }

    @Override
    public StoreKind kind() {
        return redis.kind();
    }

    String region() {
        return region;
    }

    RemoteLink connector() {
        return redis;
    }

    /**
     * @throws Unavailable if Redis cannot be used now
     * @throws dev.recall.agent.key.KeyBytes.Unnameable if the key has no name outside this JVM (the call runs uncached)
     */
    String redisKey(Object key) {
        return redis.keys().entry(region, redis.generation(region), key);
    }

    @Override
    public Entry get(Object key, Accessor accessor) {
        if (!redis.readable()) {
            return null;
        }
        try {
            return readAny(key, redisKey(key), accessor);
        } catch (Unavailable e) {
            accessor.remote().remoteError();
            return null;
        }
    }

    @Override
    public Entry[] getAll(List<?> keys, Accessor accessor) {
        Entry[] found = new Entry[keys.size()];
        if (!redis.readable() || keys.isEmpty()) {
            return found;
        }
        try {
            List<String> names = new ArrayList<>(keys.size());
            for (Object key : keys) {
                names.add(redisKey(key));
            }
            readAll(keys, names, accessor, found);
        } catch (Unavailable e) {
            accessor.remote().remoteError();
        }
        return found;
    }

    /**
     * The entries of {@code keys}, named {@code redisKeys}, into {@code found}: one MGET, each value opened as
     * {@link #readAny} opens one (signature, expiry, replay; what a miss saw is remembered for its fill). A key
     * with nothing there while a secret rotation is under way is read again under the older names, one by one.
     *
     * @throws Unavailable if Redis cannot be used now
     */
    void readAll(List<?> keys, List<String> redisKeys, Accessor accessor, Entry[] found) {
        List<byte[]> raw = redis.getAll(redisKeys);
        for (int i = 0; i < found.length; i++) {
            if (raw == null || raw.get(i) == null && !older.isEmpty()) {
                found[i] = readAny(keys.get(i), redisKeys.get(i), accessor);
            } else {
                found[i] = open(redisKeys.get(i), raw.get(i), seal, accessor, true, false);
            }
        }
    }

    /**
     * A call's look at the entry of {@code key}, named {@code redisKey} under the first secret. While a rotation is
     * under way and nothing is there, the entry's names under the older secrets are read in turn (one GET more per
     * older secret, on a miss only), and a value found there is opened with that secret's key; the fill after a miss
     * still goes to the first secret's name.
     *
     * @throws Unavailable if Redis cannot be used now
     */
    Entry readAny(Object key, String redisKey, Accessor accessor) {
        if (older.isEmpty()) {
            return read(redisKey, accessor, true);
        }
        byte[] raw = redis.get(redisKey);
        if (raw == null) {
            MissesSeen.saw(redisKey, null, redis.knownGeneration(region)); // what the fill under the first secret expects to find: nothing
            List<String> names = olderNames(key);
            for (int i = 0; i < names.size(); i++) {
                byte[] old = redis.get(names.get(i));
                if (old != null && !Tombstones.is(old)) {
                    return open(names.get(i), old, older.get(i).seal(), accessor, true, false);
                }
            }
        }
        return open(redisKey, raw, seal, accessor, true, false);
    }

    /** The entry's names under the older secrets of a rotation. @throws Unavailable if Redis cannot be used now */
    private List<String> olderNames(Object key) {
        if (older.isEmpty()) {
            return List.of();
        }
        long generation = redis.generation(region);
        String[] names = new String[older.size()];
        for (int i = 0; i < names.length; i++) {
            names[i] = older.get(i).keys().entry(region, generation, key);
        }
        return List.of(names);
    }

    /** Removes what the older secrets of a rotation name for the entry, so that no JVM reads it there any more. */
    private void invalidateOlder(Object key) {
        for (String name : olderNames(key)) {
            redis.invalidate(region, name);
        }
    }

    @Override
    public LoadTurn takeTurn(Object key, Accessor accessor, long bornAfterNanos) {
        if (!redis.readable()) {
            return LoadTurn.MINE;
        }
        try {
            return loadLock.take(redisKey(key), accessor, bornAfterNanos);
        } catch (Unavailable e) {
            accessor.remote().remoteError();
            return LoadTurn.MINE;
        }
    }

    /**
     * The entry at {@code redisKey}, or {@code null} if there is none or it cannot be trusted.
     *
     * @param count whether this read answers a call ({@code false}: a second look within the same call,
     *     which the remote counters must not count again)
     */
    Entry read(String redisKey, Accessor accessor, boolean count) {
        return read(redisKey, accessor, count, false);
    }

    /**
     * As {@link #read(String, Accessor, boolean)}; {@code toReplace}: the reading thread is about to load the key
     * even if a value is there (it is stale, or older than the refresh wants), so its fill must replace exactly
     * the value read, unless another JVM changed it meanwhile.
     */
    Entry read(String redisKey, Accessor accessor, boolean count, boolean toReplace) {
        return open(redisKey, redis.get(redisKey), seal, accessor, count, toReplace);
    }

    /** As {@link #read(String, Accessor, boolean, boolean)}, of {@code raw} read at {@code redisKey}, opened with {@code seal}. */
    private Entry open(String redisKey, byte[] raw, EntrySeal seal, Accessor accessor, boolean count, boolean toReplace) {
        if (raw != null && raw.length > redis.readLimit()) {
            // Over maxValueSize: only its first bytes were read. A miss; the fill that follows cannot
            // replace it (it compares with what was seen), so the value stays until a write or its expiry.
            MissesSeen.saw(redisKey, raw, redis.knownGeneration(region));
            accessor.remote().remoteError();
            Log.once("redis-too-large-read|" + accessor.signature(), redis.name() + " store: a value of cache '" + region + "' read for "
                    + accessor.signature() + " is over " + redis.kind().configName() + ".maxValueSize (" + maxValueSize + " bytes) and was not read "
                    + "(not written by this agent's settings: another version, or someone else); it counts as a miss "
                    + "and a remote error, and the method runs", null);
            return null;
        }
        if (raw == null || Tombstones.is(raw)) {
            MissesSeen.saw(redisKey, raw, redis.knownGeneration(region));
            if (count) {
                accessor.remote().remoteMiss();
            }
            return null;
        }
        Object value;
        long loadNanos;
        long remainingMillis;
        long freshMillis;
        long writtenAt;
        try {
            EntrySeal.Opened opened = seal.open(redisKey, raw);
            if (newestSeen.replayElseSee(redisKey, opened.writtenAtMillis())) {
                throw new EntrySeal.Rejected("signed, but older than a value or invalidation this JVM has seen at its "
                        + "key (an old value put back: a replay)");
            }
            loadNanos = opened.loadNanos();
            writtenAt = opened.writtenAtMillis();
            long wallNow = System.currentTimeMillis();
            remainingMillis = opened.expiresAtMillis() - wallNow;
            freshMillis = opened.freshUntilMillis() - wallNow;
            if (remainingMillis <= 0 || freshMillis <= 0 && accessor.staleIfErrorNanos() == 0) {
                // Expired by its writer's clock, a moment before Redis expired it by its own.
                MissesSeen.saw(redisKey, raw, redis.knownGeneration(region));
                if (count) {
                    accessor.remote().remoteMiss();
                }
                return null;
            }
            value = codecs.forMethod(accessor).decode(opened.payload(), accessor.loader());
        } catch (EntrySeal.Rejected | RejectedClassException e) {
            reject(redisKey, raw, accessor, count, e.getMessage());
            return null;
        } catch (CodecException e) {
            // Signed by us but unreadable now: most likely the class changed between versions.
            reject(redisKey, raw, accessor, count, "cannot be read back: " + e.getMessage());
            return null;
        }
        if (toReplace) {
            MissesSeen.saw(redisKey, raw, redis.knownGeneration(region));
        } else {
            MissesSeen.forget(redisKey);
        }
        if (count) {
            accessor.remote().remoteHit();
        }
        // It lives here no longer than in Redis (nor than the method's TTL and stale window, whatever the
        // writer's clock said), and it is fresh no longer than its writer said.
        long now = System.nanoTime();
        long keptNanos = Math.min(TimeUnit.MILLISECONDS.toNanos(remainingMillis), accessor.ttlNanos() + accessor.staleIfErrorNanos());
        long freshNanos = Math.min(Math.min(TimeUnit.MILLISECONDS.toNanos(freshMillis), accessor.ttlNanos()), keptNanos);
        long bornNanos = now - TimeUnit.MILLISECONDS.toNanos(Math.max(0, System.currentTimeMillis() - writtenAt));
        return new Entry(value == null ? Bridge.NULL : value, loadNanos, bornNanos, now + freshNanos, now + keptNanos, false);
    }

    private void reject(String redisKey, byte[] raw, Accessor accessor, boolean count, String why) {
        // The result of the load that follows replaces exactly this value (see RedisConnector.put).
        MissesSeen.saw(redisKey, raw, redis.knownGeneration(region));
        if (count) {
            accessor.remote().rejected();
        }
        Log.once("redis-rejected|" + accessor.signature() + '|' + why.length(), redis.name() + " store: a value of cache '" + region
                + "' read for " + accessor.signature() + " was refused and not deserialized (" + why
                + "); it counts as a miss and the method runs", null);
    }

    @Override
    public boolean offer(Object key, Entry entry, Accessor accessor) {
        return fill(key, entry, accessor) != Fill.LOST;
    }

    /** What became of a fill. */
    enum Fill {
        /** The entry is now in Redis. */
        LANDED,
        /** Redis holds something else than what the miss saw: another JVM's write or load came first. */
        LOST,
        /** Not stored: Redis is away, or the value cannot be stored there. */
        SKIPPED
    }

    Fill fill(Object key, Entry entry, Accessor accessor) {
        if (!redis.readable()) {
            return Fill.SKIPPED;
        }
        try {
            String redisKey = redisKey(key);
            MissesSeen.Seen seen = MissesSeen.take(redisKey);
            if (seen == null && MissesSeen.missedBefore(redisKey, redis.knownGeneration(region))) {
                // This thread's miss named the key under an older generation: another JVM's invalidateAll renamed
                // the region's keys since, and the new name, empty, would take what the load read before it.
                return Fill.LOST;
            }
            // A fill on another thread than its miss (a future's completion): its load began just after the miss.
            long missedAt = seen != null ? seen.atNanos() : entry.bornNanos() - entry.loadNanos();
            if (System.nanoTime() - missedAt > Fence.LONGEST_FILL_NANOS) {
                tooOld(accessor);
                return Fill.LOST;
            }
            byte[] sealed = sealed(redisKey, entry, accessor);
            if (sealed == null) {
                return Fill.SKIPPED;
            }
            byte[] saw = seen == null || seen.raw() == MissesSeen.NOTHING ? null : seen.raw();
            if (!redis.put(redisKey, sealed, ttlMillis(entry), saw)) {
                return Fill.LOST;
            }
            LastFill.was(redisKey, sealed);
            // Only a fill that landed: one that lost to a newer value must not make that value look old.
            newestSeen.saw(redisKey, System.currentTimeMillis());
            return Fill.LANDED;
        } catch (Unavailable e) {
            accessor.remote().remoteError();
            return Fill.SKIPPED;
        }
    }

    /**
     * A bulk method's fills, as {@link #offer} each, in one round trip (a pipeline): each still lands only where its
     * key holds what its miss saw. On a cluster, one fill at a time.
     */
    @Override
    public boolean[] offerAll(List<?> keys, List<Entry> entries, Accessor accessor) {
        boolean[] offered = new boolean[keys.size()];
        Arrays.fill(offered, true);
        if (!redis.readable() || keys.isEmpty()) {
            return offered;
        }
        try {
            List<Integer> at = new ArrayList<>();
            List<String> names = new ArrayList<>();
            List<byte[]> values = new ArrayList<>();
            List<Long> ttls = new ArrayList<>();
            List<byte[]> seens = new ArrayList<>();
            for (int i = 0; i < offered.length; i++) {
                String redisKey = redisKey(keys.get(i));
                MissesSeen.Seen seen = MissesSeen.take(redisKey);
                Entry entry = entries.get(i);
                long missedAt = seen != null ? seen.atNanos() : entry.bornNanos() - entry.loadNanos();
                if (seen == null && MissesSeen.missedBefore(redisKey, redis.knownGeneration(region))
                        || System.nanoTime() - missedAt > Fence.LONGEST_FILL_NANOS) {
                    offered[i] = false;
                    continue;
                }
                byte[] sealed = sealed(redisKey, entry, accessor);
                if (sealed == null) {
                    continue;
                }
                at.add(i);
                names.add(redisKey);
                values.add(sealed);
                ttls.add(ttlMillis(entry));
                seens.add(seen == null || seen.raw() == MissesSeen.NOTHING ? null : seen.raw());
            }
            if (at.isEmpty()) {
                return offered;
            }
            boolean[] stored = redis.putAll(names, values, ttls, seens);
            for (int j = 0; j < at.size(); j++) {
                boolean landed = stored != null ? stored[j] : redis.put(names.get(j), values.get(j), ttls.get(j), seens.get(j));
                if (landed) {
                    LastFill.was(names.get(j), values.get(j));
                    newestSeen.saw(names.get(j), System.currentTimeMillis());
                } else {
                    offered[at.get(j)] = false;
                }
            }
        } catch (Unavailable e) {
            accessor.remote().remoteError();
        }
        return offered;
    }

    private void tooOld(Accessor accessor) {
        Log.warnOnce("redis-fill-too-old|" + accessor.signature(), redis.name() + " store: a result of " + accessor.signature()
                + " was not stored in " + redis.name() + ": its load began over " + TimeUnit.NANOSECONDS.toSeconds(Fence.LONGEST_FILL_NANOS)
                + " s before it ended, longer than a change of its key is remembered there, so it could overwrite a newer "
                + "write with what it read before (docs/consistency-fills.md); such loads are not shared across JVMs");
    }

    /**
     * Marks the key as being written by this write-through ({@link RedisConnector#markWrite}), so that its end
     * sets the value only if no other write, eviction or fill, from any JVM, changed the key meanwhile.
     *
     * @return the marker, or {@code null} if the key could not be marked (the write's end then invalidates it)
     */
    @Override
    public Object beginWrite(Object key, Accessor accessor) {
        try {
            if (redis.readable()) {
                String redisKey = redisKey(key);
                newestSeen.saw(redisKey, System.currentTimeMillis());
                byte[] marker = redis.markWrite(redisKey);
                if (marker != null) {
                    return marker;
                }
            }
        } catch (Unavailable e) {
            // the end invalidates
        }
        return null;
    }

    @Override
    public void write(Object key, Entry entry, Accessor accessor, Object mark) {
        writeValue(key, entry, accessor, (byte[]) mark);
    }

    /**
     * Stores a written value: unconditionally ({@code marker} null: a write-back's value, accepted in order), or
     * only where the key still holds the marker its write-through's beginning put there.
     *
     * @return whether the value is now in Redis
     */
    boolean writeValue(Object key, Entry entry, Accessor accessor, byte[] marker) {
        String redisKey;
        try {
            redisKey = redisKey(key);
        } catch (Unavailable e) {
            // The generation is unknown while Redis is away: the only safe record is the whole region.
            accessor.remote().remoteError();
            redis.invalidateAll(region);
            return false;
        }
        byte[] sealed = sealed(redisKey, entry, accessor);
        if (!older.isEmpty()) {
            // During a rotation the entry may also be under an older secret's name, where it would now be stale.
            try {
                invalidateOlder(key);
            } catch (Unavailable e) {
                redis.invalidateAll(region);
            }
        }
        if (sealed == null) {
            // Not storable (or too large): the old value must still go.
            redis.invalidate(region, redisKey);
            return false;
        }
        newestSeen.saw(redisKey, System.currentTimeMillis());
        return redis.write(region, redisKey, marker, sealed, ttlMillis(entry));
    }

    /** @return the envelope, or {@code null} if the value cannot be stored remotely (said once) */
    byte[] sealed(String redisKey, Entry entry, Accessor accessor) {
        Object value = entry.value() == Bridge.NULL ? null : entry.value();
        try {
            byte[] payload = codecs.forMethod(accessor).encode(value, accessor.valueType());
            if (payload.length > maxValueSize) {
                accessor.remote().remoteError();
                Log.once("redis-too-large|" + accessor.signature(), redis.name() + " store: a result of " + accessor.signature() + " is "
                        + payload.length + " bytes, over " + redis.kind().configName() + ".maxValueSize (" + maxValueSize + "); such results are not "
                        + "stored in " + redis.name() + " (counted in RemoteErrorCount), so one huge value cannot slow every call", null);
                return null;
            }
            long now = System.currentTimeMillis();
            long kept = ttlMillis(entry);
            long fresh = Math.min(kept, entry.remainingNanos(System.nanoTime()) / 1_000_000);
            return seal.seal(redisKey.getBytes(StandardCharsets.UTF_8), entry.loadNanos(), now, now + fresh, now + kept, payload);
        } catch (CodecException e) {
            accessor.remote().remoteError();
            Log.once("redis-encode|" + accessor.signature() + '|' + (value == null ? "" : value.getClass().getName()),
                    redis.name() + " store: a result of " + accessor.signature() + " cannot be stored in " + redis.name() + " (" + e.getMessage()
                            + "); such results are not cached, and the method runs each time", null);
            return null;
        }
    }

    /** The entry's remaining life in the store (its stale window included), and no longer than {@code redis.maxStaleness}. */
    private long ttlMillis(Entry entry) {
        return Math.max(1, Math.min(maxStalenessMillis, entry.keptNanos(System.nanoTime()) / 1_000_000));
    }

    /**
     * Takes back the fill this thread just made ({@link dev.recall.agent.store.Region#putIfUnchanged}), if
     * Redis still holds it byte for byte; a newer value another thread or JVM wrote meanwhile stays. Any
     * other removal invalidates the key.
     */
    @Override
    public void remove(Object key, Entry expected) {
        try {
            String redisKey = redisKey(key);
            byte[] filled = LastFill.take(redisKey);
            if (filled != null) {
                redis.takeBack(region, redisKey, filled);
                return;
            }
        } catch (Unavailable e) {
            // invalidate below remembers it
        }
        invalidate(key);
    }

    @Override
    public void invalidate(Object key) {
        try {
            String redisKey = redisKey(key);
            newestSeen.saw(redisKey, System.currentTimeMillis());
            redis.invalidate(region, redisKey);
            invalidateOlder(key);
        } catch (Unavailable e) {
            redis.invalidateAll(region);
        }
    }

    /**
     * None: a rendered key does not name an entry in Redis (it says neither its values' types nor where one
     * value ends). {@code CachedMethod#invalidateRendered} turns the text into the keys it can stand for and
     * invalidates those.
     */
    @Override
    public int invalidateRendered(String rendered) {
        return 0;
    }

    @Override
    public void invalidateAll() {
        redis.invalidateAll(region);
    }

    @Override
    public long size() {
        return 0;
    }
}
