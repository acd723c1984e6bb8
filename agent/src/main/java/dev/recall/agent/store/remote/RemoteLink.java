package dev.recall.agent.store.remote;

import dev.recall.agent.config.StoreKind;
import java.time.Duration;
import java.util.List;

/**
 * The commands a shared store ({@link RedisStore}) needs from the server its entries live on: Redis
 * ({@link RedisConnector}) or Memcached ({@link MemcachedConnector}). Everything above this line (sealing, the
 * fences, tombstones, misses seen, single flight, rotation) is the same for both; each link keeps its own
 * breaker, first-connection wait and owed invalidations: its own {@link RemoteOutage}, the same code for both. Every command may throw {@link Unavailable}, which
 * the store turns into a miss. Implementations are shared by all threads and thread-safe.
 */
interface RemoteLink {

    /** Its kind, name, key names and limits. */
    default LinkFacts facts() {
        return outage().facts();
    }

    /** Its failure handling: the breaker, the first-connection wait, the owed invalidations. */
    RemoteOutage<?> outage();

    /** What the configuration calls this store, for {@link dev.recall.agent.store.RemoteStore#kind()}. */
    default StoreKind kind() {
        return facts().kind();
    }

    /** "Redis" or "Memcached", for messages. */
    default String name() {
        return facts().name();
    }

    default RemoteKeys keys() {
        return facts().keys();
    }

    default long maxValueSize() {
        return facts().maxValueSize();
    }

    /** The longest any entry lives there whatever its ttl; {@code null}: no bound. */
    default Duration maxStaleness() {
        return facts().maxStaleness();
    }

    default Duration lockTimeout() {
        return facts().lockTimeout();
    }

    /** Whether reads may go there now ({@link RemoteOutage#readable}). */
    default boolean readable() {
        return outage().readable();
    }

    /** Whether other JVMs' invalidations reach this one right now (never, without pub/sub). */
    boolean subscribed();

    /**
     * Whether this JVM's near tiers may serve hits now: it holds a read lease that writers wait for ({@link Lease},
     * Redis only). A store with no leases never lets a near tier serve.
     */
    default boolean leased() {
        return false;
    }

    void listen(InvalidationListener listener);

    long generation(String region);

    long knownGeneration(String region);

    /** The value at {@code key}, or {@code null}; a value over {@link #readLimit()} may come back cut. */
    byte[] get(String key);

    default long readLimit() {
        return facts().readLimit();
    }

    /** The values at {@code keys}, aligned with them, in one round trip; {@code null}: read them one by one. */
    List<byte[]> getAll(List<String> keys);

    /** As {@link #put} for several keys in one round trip; {@code null}: the caller fills them one by one. */
    boolean[] putAll(List<String> keys, List<byte[]> values, List<Long> ttlMillis,
                     List<byte[]> seen);

    /** A fill, only where the key still holds what its miss saw ({@code seen}; {@code null}: nothing). */
    boolean put(String key, byte[] value, long ttlMillis, byte[] seen);

    void takeBack(String region, String key, byte[] filled);

    byte[] markWrite(String key);

    boolean write(String region, String key, byte[] marker, byte[] value, long ttlMillis);

    void invalidate(String region, String key);

    void invalidateAll(String region);

    /** The commands of the cross-JVM load lock there ({@link LoadLock}). */
    LoadLock.Commands locks();
}
