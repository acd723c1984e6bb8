package dev.recall.agent.store.remote;

import dev.recall.agent.log.Log;
import dev.recall.agent.config.RedisSettings;
import dev.recall.agent.config.StoreKind;
import dev.recall.agent.config.SentinelSettings;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.JedisSentineled;
import redis.clients.jedis.providers.ClusterConnectionProvider;
import redis.clients.jedis.providers.SentineledConnectionProvider;
import redis.clients.jedis.exceptions.JedisRedirectionException;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SetParams;

/**
 * The agent's one link to Redis (one server or a cluster), shared by every Redis-backed region.
 *
 * <p>It owns the failure handling, so that no application thread ever waits on a Redis that is known to
 * be down: commands run only while the {@link Breaker} is UP; failures open it; the connector's own
 * thread ({@code recall-redis}) probes, applies the invalidations that could not be delivered meanwhile,
 * re-reads the region generations, and only then lets reads through again. A second thread holds the
 * subscription on which JVMs tell each other what they invalidated; while it is not known to be live,
 * listeners are told that they may have missed messages.
 *
 * <p>Thread safety: Jedis' pooled clients are thread-safe; the breaker, the pending set and the
 * generation map are concurrent; the client reference is volatile and set only by the connector thread.
 */
public final class RedisConnector implements RemoteLink {

    private static final long FIRST_RETRY_MILLIS = 500;
    private static final long LONGEST_RETRY_MILLIS = 5_000;
    private static final long SUBSCRIPTION_SILENCE_MILLIS = 3_000;
    private static final int PENDING_LIMIT = 10_000;
    private static final long MIN_CONNECT_TIMEOUT_MILLIS = 1_000;
    private static final long FIRST_RETRY_PAUSE_MILLIS = 20;

    /** Compare and delete, so a lock that expired and was taken by another node is left to its holder. */
    private static final String UNLOCK =
            "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
    /**
     * A fill lands only where the key still holds what its miss saw: nothing ({@code ARGV[2] == '0'}), or
     * exactly the bytes {@code ARGV[3]} (a tombstone, an entry expired by its writer's clock, a refused
     * value). Any write or invalidation in between changed the key, so a load that read the database
     * before them can never land after them. A fill that replaces something keeps the key at least as long
     * as that had left, up to the {@link Fence}: so the key is not empty again before a change's fence ends.
     */
    private static final byte[] FILL = bytes(
            "local cur = redis.call('get', KEYS[1]) "
            + "if cur == false and ARGV[2] == '0' then redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[4]) return 1 end "
            + "if cur ~= false and ARGV[2] == '1' and cur == ARGV[3] then "
            + "local ttl = tonumber(ARGV[4]) local left = redis.call('pttl', KEYS[1]) "
            + "if left > ttl then ttl = math.min(left, " + Fence.MILLIS + ") end "
            + "redis.call('set', KEYS[1], ARGV[1], 'PX', ttl) return 1 end return 0");
    /** Takes back this JVM's own fill: a tombstone replaces it only if it is still there, byte for byte. */
    private static final byte[] TAKE_BACK = bytes(
            "if redis.call('get', KEYS[1]) ~= ARGV[1] then return 0 end "
            + "local set = redis.pcall('set', KEYS[1], ARGV[2], 'PX', ARGV[3]) "
            // A full Redis refuses the tombstone, not the removal.
            + "if type(set) == 'table' and set.err then redis.call('del', KEYS[1]) end return 1");

    /**
     * Announces an invalidation and names the JVMs holding near-cache leases now (Redis' clock), in one atomic
     * step: each of them either receives the message before its next lease begins, or is named here.
     */
    private static final String ANNOUNCE =
            "redis.replicate_commands() "
            + "redis.call('publish', ARGV[1], ARGV[2]) "
            + "local t = redis.call('time') "
            + "local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) "
            + "return redis.call('zrangebyscore', KEYS[1], '(' .. now, '+inf')";
    /**
     * Renews this JVM's lease registration and publishes its fence in the same atomic step ({@link Lease}); drops
     * the registrations that have run out.
     */
    private static final String RENEW =
            "redis.replicate_commands() "
            + "local t = redis.call('time') "
            + "local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) "
            + "redis.call('zremrangebyscore', KEYS[1], '-inf', now) "
            + "redis.call('zadd', KEYS[1], now + tonumber(ARGV[2]), ARGV[1]) "
            + "redis.call('pexpire', KEYS[1], tonumber(ARGV[2]) * 2) "
            + "redis.call('publish', ARGV[3], ARGV[4]) return 1";

    private final RedisSettings settings;
    /** Room for the envelope around a payload ({@link EntrySeal}: 3 + 32 + 24 bytes), rounded up. */
    private static final long ENVELOPE_ROOM = 64;
    private final long readLimit;
    private final RemoteKeys keys;
    private final String nodeId = UUID.randomUUID().toString();
    private final Breaker breaker = new Breaker();
    private final PendingInvalidations pending = new PendingInvalidations(PENDING_LIMIT);
    private final ConcurrentHashMap<String, Long> generations = new ConcurrentHashMap<>();
    private final List<InvalidationListener> listeners = new CopyOnWriteArrayList<>();
    /** The connector's own thread, which must never wait for the first connection: it makes it. */
    private volatile Thread workerThread;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> workerThread = daemon(r, "recall-redis"));
    /** Open once the first attempt to connect has ended, whichever way: calls made before wait for it ({@link #readable}). */
    private final CountDownLatch firstAttempt = new CountDownLatch(1);
    /** How long making a connection may take; also the longest a call waits for the first one. */
    private final long connectTimeoutMillis;

    private final Tombstones tombstones = new Tombstones(nodeId);
    private final LongAdder undelivered = new LongAdder();
    private final Lease lease = new Lease();
    private final Acks acks = new Acks();
    /** Set when the first near tier listens: only JVMs with one hold leases and acknowledge invalidations. */
    private volatile AckSender ackSender;
    private final LongAdder topologyChanges = new LongAdder();
    private volatile UnifiedJedis client;
    /** Set with {@link #client}: what a failover must not lose, and the topology it is watched by. */
    private volatile Replication replication = Replication.NONE;
    /**
     * Set by the connector thread once a probe has reached Redis and until the breaker is closed: writes
     * and invalidations made meanwhile go straight to Redis instead of the pending set, so that applying
     * the pending set finishes however steadily the application writes.
     */
    private volatile boolean recovering;
    private volatile boolean subscribed;
    private volatile Subscription subscription;
    private volatile long lastPong;
    private long retryMillis = FIRST_RETRY_MILLIS;
    private long nextProbe;
    private volatile Throwable lastFailure;

    public RedisConnector(RedisSettings settings) {
        this.settings = settings;
        this.readLimit = settings.maxValueSize() + ENVELOPE_ROOM;
        this.keys = new RemoteKeys(settings.keyPrefix(), settings.secret());
        // Connecting may take longer than a command (a TCP and perhaps a TLS handshake, AUTH, a cluster's slots).
        this.connectTimeoutMillis = Math.max(settings.timeout().toMillis(), MIN_CONNECT_TIMEOUT_MILLIS);
    }

    /**
     * Connects in the background: the application starts without waiting for Redis. A call that needs Redis
     * before the first attempt has ended waits for it, at most the connect timeout ({@link #readable}).
     */
    public void start() {
        worker.scheduleWithFixedDelay(this::tick, 0, 250, TimeUnit.MILLISECONDS);
        Runtime.getRuntime().addShutdownHook(daemon(this::flushAtShutdown, "recall-redis-shutdown"));
        Thread t = daemon(this::subscribeLoop, "recall-redis-subscriber");
        t.start();
        Log.info("Redis store: " + settings + "; connecting in the background (calls made before it is up wait for it, at "
                + "most " + connectTimeoutMillis + " ms, then run uncached until it answers)");
    }

    public RedisState state() {
        return breaker.state();
    }

    @Override
    public StoreKind kind() {
        return StoreKind.REDIS;
    }

    @Override
    public String name() {
        return "Redis";
    }

    @Override
    public RemoteKeys keys() {
        return keys;
    }

    @Override
    public long maxValueSize() {
        return settings.maxValueSize();
    }

    @Override
    public Duration maxStaleness() {
        return settings.maxStaleness();
    }

    @Override
    public Duration lockTimeout() {
        return settings.lockTimeout();
    }

    RedisSettings settings() {
        return settings;
    }

    /**
     * Whether reads may go to Redis: it is up and owes nothing from an outage. Before the first attempt to
     * connect has ended, the caller waits for it, at most the connect timeout, so that a JVM's first calls
     * share the cache rather than load what other JVMs stored. Once Redis is up this is two volatile reads.
     */
    @Override
    public boolean readable() {
        if (breaker.up()) {
            return pending.isEmpty();
        }
        return firstAttempt.getCount() != 0 && awaitFirstAttempt() && breaker.up() && pending.isEmpty();
    }

    /** @return whether the first attempt to connect has ended (at once if it had; else within the connect timeout) */
    private boolean awaitFirstAttempt() {
        if (firstAttempt.getCount() == 0) {
            return true;
        }
        if (Thread.currentThread() == workerThread) {
            return false;
        }
        try {
            return firstAttempt.await(connectTimeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the application's: kept, and this call runs uncached
            return false;
        }
    }

    /** Whether other JVMs' invalidations are reaching this one right now. */
    @Override
    public boolean subscribed() {
        return subscribed && breaker.up();
    }

    @Override
    public synchronized void listen(InvalidationListener listener) {
        listeners.add(listener);
        holdLeases();
    }

    /**
     * This JVM has (or will have, a two-level method being matched) near tiers: it takes leases and acknowledges
     * invalidations from now on, so a near tier made at its method's first call can serve from that call on.
     */
    synchronized void holdLeases() {
        if (ackSender == null) {
            ackSender = new AckSender(nodeId, (writer, message) -> client.publish(keys.ackChannel(writer), message));
        }
    }

    /** Whether this JVM's near tiers may serve hits now ({@link Lease}): a volatile read and a compare. */
    @Override
    public boolean leased() {
        return lease.valid();
    }

    /** Writes that waited a whole lease for a JVM that never acknowledged their invalidation, since start. */
    public long unacknowledged() {
        return acks.timedOut();
    }

    @Override
    public long generation(String region) {
        Long g = generations.get(region);
        if (g != null) {
            return g;
        }
        byte[] raw = read(c -> c.get(bytes(keys.generation(region))));
        long loaded = raw == null ? 0 : Long.parseLong(new String(raw, StandardCharsets.US_ASCII));
        Long raced = generations.putIfAbsent(region, loaded);
        return raced == null ? loaded : raced;
    }

    /** The region's generation as this JVM knows it now, without asking Redis; {@code -1} if not known yet. */
    @Override
    public long knownGeneration(String region) {
        Long g = generations.get(region);
        return g == null ? -1 : g;
    }

    /**
     * The value at {@code redisKey}, or {@code null}; read with GETRANGE, so that at most
     * {@link #readLimit} bytes come over the wire however large the value is (a value of 50 MB put there by
     * someone else must not make a call wait for it). A value longer than the limit comes back cut, one
     * byte longer than the limit, which is how {@link RedisStore} knows to skip it. Every value the agent
     * writes is at least a few dozen bytes, so the empty answer GETRANGE gives for a missing key is
     * never a value.
     */
    @Override
    public byte[] get(String redisKey) {
        byte[] raw = read(c -> c.getrange(bytes(redisKey), 0, readLimit));
        return raw == null || raw.length == 0 ? null : raw;
    }

    /**
     * The values at {@code redisKeys}, aligned with them ({@code null}: nothing there), in one MGET: a bulk
     * method's look-up. Unlike {@link #get}, MGET cannot cut a value at {@link #readLimit}; a longer one is
     * still skipped by {@link RedisStore} (it counts as a miss), it only costs its bytes on the wire. On a
     * cluster the keys of one MGET must share a hash slot, which an entry's name does not promise: there the
     * values are read one GET each ({@code null} returned, and the caller does so).
     */
    @Override
    public List<byte[]> getAll(List<String> redisKeys) {
        if (!settings.cluster().isEmpty()) {
            return null;
        }
        byte[][] names = new byte[redisKeys.size()][];
        for (int i = 0; i < names.length; i++) {
            names[i] = bytes(redisKeys.get(i));
        }
        List<byte[]> raw = read(c -> c.mget(names));
        List<byte[]> values = new ArrayList<>(raw.size());
        for (byte[] v : raw) {
            values.add(v == null || v.length == 0 ? null : v);
        }
        return values;
    }

    /** Values longer than this are not read: the largest payload allowed and room for the envelope. */
    @Override
    public long readLimit() {
        return readLimit;
    }

    /**
     * Stores a loaded result where the key still holds what the miss before the load saw ({@code seen}:
     * {@code null} for nothing): whatever else is there now was stored after that miss, by a writer, an
     * invalidation or another fill, and is at least as new. This also keeps a fill that a partition
     * delayed (TCP delivers it when the network heals) from undoing a newer write. Losing a fill costs a
     * later miss, nothing more.
     *
     * @return whether it was stored
     */
    @Override
    public boolean put(String redisKey, byte[] value, long ttlMillis, byte[] seen) {
        byte[] ttl = bytes(Long.toString(Math.max(1, ttlMillis)));
        Object stored = read(c -> c.eval(FILL, List.of(bytes(redisKey)),
                List.of(value, seen == null ? ZERO : ONE, seen == null ? EMPTY : seen, ttl)));
        return Long.valueOf(1).equals(stored);
    }

    /**
     * As {@link #put}, for several keys in one round trip (a pipeline): a bulk method's fills. {@code null} on a
     * cluster, whose keys may live on several nodes: there the caller fills one key at a time.
     *
     * @return whether each was stored, aligned with {@code redisKeys}
     */
    @Override
    public boolean[] putAll(List<String> redisKeys, List<byte[]> values, List<Long> ttlMillis, List<byte[]> seen) {
        if (!settings.cluster().isEmpty()) {
            return null;
        }
        List<Object> answers = read(c -> {
            try (redis.clients.jedis.AbstractPipeline p = c.pipelined()) {
                List<redis.clients.jedis.Response<Object>> responses = new ArrayList<>(redisKeys.size());
                for (int i = 0; i < redisKeys.size(); i++) {
                    byte[] ttl = bytes(Long.toString(Math.max(1, ttlMillis.get(i))));
                    byte[] saw = seen.get(i);
                    responses.add(p.eval(FILL, List.of(bytes(redisKeys.get(i))),
                            List.of(values.get(i), saw == null ? ZERO : ONE, saw == null ? EMPTY : saw, ttl)));
                }
                p.sync();
                List<Object> out = new ArrayList<>(responses.size());
                for (redis.clients.jedis.Response<Object> r : responses) {
                    out.add(r.get());
                }
                return out;
            }
        });
        boolean[] stored = new boolean[answers.size()];
        for (int i = 0; i < stored.length; i++) {
            stored[i] = Long.valueOf(1).equals(answers.get(i));
        }
        return stored;
    }

    /**
     * Takes back a fill of this JVM that must not stay (a write or invalidation raced with it here): if
     * the key still holds {@code filled}, a tombstone replaces it, so neither it nor an older fill is read.
     */
    @Override
    public void takeBack(String region, String redisKey, byte[] filled) {
        byte[] tombstone = tombstones.next();
        Object replaced = read(c -> replication.write(c, bytes(redisKey), replication.commands().eval(TAKE_BACK, List.of(bytes(redisKey)),
                List.of(filled, tombstone, bytes(Long.toString(Tombstones.LIFETIME_MILLIS))))));
        if (Long.valueOf(1).equals(replaced)) {
            acks.await(announce(client, null, "K", region, redisKey));
        }
    }

    /**
     * A write-through's end: sets the value only if the key still holds the marker its beginning put there
     * ({@link #markWrite}); anything else there (another writer's marker or value, a tombstone, a fill) came
     * from a change that overlapped this write, and a tombstone replaces it. A full Redis refuses the
     * value and the tombstone, not the removal.
     */
    private static final byte[] WRITE_IF_MARKED = bytes(
            "local landed = 0 "
            + "local put = ARGV[4] local ttl = ARGV[5] "
            + "if redis.call('get', KEYS[1]) == ARGV[1] then put = ARGV[2] ttl = ARGV[3] landed = 1 end "
            + "local set = redis.pcall('set', KEYS[1], put, 'PX', ttl) "
            + "if type(set) == 'table' and set.err then redis.call('del', KEYS[1]) return 0 end return landed");

    /**
     * Marks {@code redisKey} as being written: a marker unique to this write replaces what is there (readers
     * take it for a miss, as a tombstone), so that {@link #write} at the write's end can tell whether
     * anything else changed the key meanwhile.
     *
     * @return the marker, or {@code null} if Redis could not be told (the write's end then invalidates)
     */
    @Override
    public byte[] markWrite(String redisKey) {
        byte[] marker = tombstones.next();
        try {
            read(c -> c.set(bytes(redisKey), marker, SetParams.setParams().px(Tombstones.LIFETIME_MILLIS)));
            return marker;
        } catch (Unavailable e) {
            return null;
        }
    }

    /** @return whether this thread now holds {@code lockKey}, for {@code ttlMillis} at most */
    @Override
    public boolean lock(String lockKey, long ttlMillis) {
        return "OK".equals(read(c -> c.set(lockKey, lockToken(), SetParams.setParams().nx().px(Math.max(1, ttlMillis)))));
    }

    /** Who holds {@code lockKey} now (a JVM and thread), or {@code null}. */
    @Override
    public String lockHolder(String lockKey) {
        return read(c -> c.get(lockKey));
    }

    /** How long {@code lockKey} has left to live, in ms (negative: it is gone, or has no expiry). */
    @Override
    public long lockRemainingMillis(String lockKey) {
        return read(c -> c.pttl(lockKey));
    }

    /** Releases {@code lockKey} if this thread still holds it (it may have expired and been taken by another). */
    @Override
    public void unlock(String lockKey) {
        read(c -> c.eval(UNLOCK, List.of(lockKey), List.of(lockToken())));
    }

    /** Names the holder of a lock: this JVM and the thread whose load it guards (exit runs on enter's thread). */
    private String lockToken() {
        return nodeId + ':' + Thread.currentThread().getId();
    }

    /**
     * Stores a written value and tells other JVMs to drop theirs: unconditionally ({@code marker} null), or, at
     * a write-through's end, only if the key still holds the marker its beginning put there ({@link #markWrite});
     * anything else there came from a change that overlapped the write, and a tombstone replaces it. A full
     * Redis (OOM under noeviction) refuses the value, not the removal of the old one. Delivered as an
     * invalidation is ({@link #deliver}): if Redis cannot be reached the key is remembered and invalidated later.
     *
     * @return whether the value is now in Redis
     */
    @Override
    public boolean write(String region, String redisKey, byte[] marker, byte[] value, long ttlMillis) {
        // In Redis for the Fence at least, even when its TTL (signed inside it, which readers go by) is shorter.
        long keptMillis = Math.max(Math.max(1, ttlMillis), Fence.MILLIS);
        Acks.Waiting[] announced = {null};
        Boolean landed = deliver(region, redisKey, c -> {
            boolean set;
            if (marker == null) {
                try {
                    replication.write(c, bytes(redisKey), replication.commands().set(bytes(redisKey), value, SetParams.setParams().px(keptMillis)));
                    set = true;
                } catch (JedisRedirectionException moved) {
                    throw moved;
                } catch (JedisDataException full) {
                    replication.write(c, bytes(redisKey), replication.commands().del(bytes(redisKey)));
                    set = false;
                }
            } else {
                set = Long.valueOf(1).equals(replication.write(c, bytes(redisKey), replication.commands().eval(WRITE_IF_MARKED,
                        List.of(bytes(redisKey)), List.of(marker, value, bytes(Long.toString(keptMillis)), tombstones.next(),
                        bytes(Long.toString(Tombstones.LIFETIME_MILLIS))))));
            }
            announced[0] = announce(c, announced[0], "K", region, redisKey);
            return set;
        });
        acks.await(announced[0]);
        return Boolean.TRUE.equals(landed);
    }

    /**
     * Invalidates one entry: a tombstone takes its place for {@link Tombstones#LIFETIME_MILLIS}, so that a
     * load which read the database before this invalidation cannot fill the key after it (see
     * {@link #put}); a plain DEL would reopen the key to such a fill.
     */
    @Override
    public void invalidate(String region, String redisKey) {
        Acks.Waiting[] announced = {null};
        deliver(region, redisKey, c -> {
            entomb(c, redisKey);
            announced[0] = announce(c, announced[0], "K", region, redisKey);
            return null;
        });
        acks.await(announced[0]);
    }

    private void entomb(UnifiedJedis c, String redisKey) {
        try {
            replication.write(c, bytes(redisKey), replication.commands().set(bytes(redisKey), tombstones.next(),
                    SetParams.setParams().px(Tombstones.LIFETIME_MILLIS)));
        } catch (JedisRedirectionException moved) {
            throw moved;
        } catch (JedisDataException full) {
            // allowed when Redis is full; a slower, older fill could then land
            replication.write(c, bytes(redisKey), replication.commands().del(bytes(redisKey)));
        }
    }

    @Override
    public void invalidateAll(String region) {
        Acks.Waiting[] announced = {null};
        deliver(region, null, c -> {
            long g = c.incr(bytes(keys.generation(region)));
            generations.merge(region, g, Math::max);
            announced[0] = announce(c, announced[0], "G", region, Long.toString(g));
            return null;
        });
        acks.await(announced[0]);
    }

    private interface Command<T> {
        T run(UnifiedJedis client);
    }

    /** A read or a cache fill: failures count towards opening the breaker. */
    private <T> T read(Command<T> command) {
        if (!readable()) {
            throw Unavailable.DOWN;
        }
        UnifiedJedis c = client;
        if (c == null) {
            throw Unavailable.DOWN;
        }
        try {
            T result = command.run(c);
            breaker.succeeded();
            return result;
        } catch (JedisDataException e) {
            // Redis answered, with an error (full, or a script refused): this command fails, Redis is up.
            breaker.succeeded();
            throw new Unavailable("Redis refused the command: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (breaker.failed()) {
                wentDown(e);
            }
            throw new Unavailable("Redis command failed: " + e, e);
        }
    }

    /**
     * An invalidation must arrive: if it cannot now, it is kept, this JVM reads nothing from Redis until it
     * has (see {@link #readable}), and the connector thread delivers it on its next tick. A delivery is
     * tried twice before it is kept; one that failed twice counts like one failed read: a single command
     * slowed by CPU load does not open the breaker.
     */
    private <T> T deliver(String region, String redisKey, Command<T> command) {
        if (!breaker.up()) {
            awaitFirstAttempt(); // a write before the first connection waits for it, as a read does
        }
        UnifiedJedis c = client;
        if (c != null && (breaker.up() || recovering)) {
            RuntimeException failure;
            try {
                T result = command.run(c);
                breaker.succeeded();
                return result;
            } catch (RuntimeException e) {
                failure = e;
            }
            // Once more at once: a write that does not reach Redis lets other JVMs serve the value it
            // replaced until it is delivered, and a timeout under CPU load rarely repeats. Every command
            // delivered here is safe to repeat: the same value set twice, a second tombstone, a second
            // message, or a conditional write that, finding its own value instead of its marker, leaves a
            // tombstone.
            try {
                T result = command.run(c);
                breaker.succeeded();
                return result;
            } catch (RuntimeException e) {
                failure = e;
            }
            remember(region, redisKey);
            undelivered.increment();
            if (breaker.failed()) {
                wentDown(failure);
            }
            return null;
        }
        remember(region, redisKey);
        undelivered.increment();
        return null;
    }

    /**
     * Writes and invalidations that could not reach Redis when they were made, since start: each is kept and
     * delivered later, and until then other JVMs may serve the value it replaced.
     */
    public long undelivered() {
        return undelivered.sum();
    }

    private void remember(String region, String redisKey) {
        if (redisKey == null) {
            pending.region(region);
        } else {
            pending.key(region, redisKey);
        }
    }

    private void bump(UnifiedJedis c, String region) {
        long g = replication.write(c, bytes(keys.generation(region)), replication.commands().incr(bytes(keys.generation(region))));
        generations.merge(region, g, Math::max);
        publish("G", region, Long.toString(g));
    }

    /** Tells other JVMs, without waiting for them: for what the connector thread delivers late. */
    private void publish(String kind, String region, String what) {
        client.publish(keys.channel(), nodeId + '\n' + kind + '\n' + region + '\n' + what);
    }

    /**
     * Tells other JVMs, on an application thread whose write then waits ({@link Acks#await}) for the lease
     * holders named by Redis. {@code previous}: this write's earlier announcement, if a first try failed.
     */
    @SuppressWarnings("unchecked")
    private Acks.Waiting announce(UnifiedJedis c, Acks.Waiting previous, String kind, String region, String what) {
        acks.forget(previous);
        Acks.Waiting w = acks.begin();
        try {
            Object holders = c.eval(ANNOUNCE, List.of(keys.leases()),
                    List.of(keys.channel(), nodeId + ' ' + w.id + '\n' + kind + '\n' + region + '\n' + what));
            acks.holders(w, holders instanceof List<?> l ? (List<String>) l : List.of(), nodeId);
            return w;
        } catch (RuntimeException e) {
            acks.forget(w);
            throw e;
        }
    }

    /** On the connector thread, while this JVM has a near tier and hears the channel ({@link Lease}). */
    private void renewLease(UnifiedJedis c) {
        if (ackSender == null || !subscribed || c == null) {
            return;
        }
        long sent = System.nanoTime();
        try {
            c.eval(RENEW, List.of(keys.leases()), List.of(nodeId, Long.toString(Lease.MILLIS), keys.channel(),
                    nodeId + "\nL\n-\n" + sent));
        } catch (RuntimeException e) {
            Log.debug("Redis store: the near-cache lease could not be renewed: " + e); // it runs out by itself
        }
    }

    /** The subscription is not known to be live: near tiers stop serving now, not when the lease runs out. */
    private void unsubscribed() {
        subscribed = false;
        lease.revoke();
    }

    private void wentDown(Throwable cause) {
        lastFailure = cause;
        synchronized (this) {
            nextProbe = System.currentTimeMillis() + retryMillis;
        }
        listeners.forEach(InvalidationListener::lost);
        Log.warn("Redis store: Redis is not answering (" + cause + "); calls run without it, and it is probed until it is back");
    }

    /** The connector thread's heartbeat: connect, probe, recover, and watch the subscription. */
    private void tick() {
        try {
            RedisState s = breaker.state();
            if (firstAttempt.getCount() != 0) {
                connectFirst();
            } else if (s != RedisState.UP) {
                synchronized (this) {
                    if (System.currentTimeMillis() < nextProbe) {
                        return;
                    }
                }
                recover();
            } else {
                if (!pending.isEmpty()) {
                    applyPending(client);
                }
                watchSubscription();
                renewLease(client);
                watchTopology();
            }
        } catch (Throwable t) {
            Log.once("redis-tick|" + t.getClass().getName(), "Redis store: unexpected failure of its background thread", t);
        }
    }

    /**
     * The first connection, which calls made meanwhile wait for ({@link #readable}): tried again at once while
     * it fails by a timeout and the connect timeout has not passed (a JVM starting on a busy machine can miss
     * the 50 ms of a first PING), so that one slow answer does not send the first calls past a Redis that is
     * there. A refused connection ends it at once: Redis is not there.
     */
    private void connectFirst() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(connectTimeoutMillis);
        try {
            while (true) {
                recover();
                if (breaker.up() || !timedOut(lastFailure) || System.nanoTime() - deadline >= 0) {
                    return;
                }
                Thread.sleep(FIRST_RETRY_PAUSE_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            firstAttempt.countDown();
            synchronized (this) {
                retryMillis = FIRST_RETRY_MILLIS; // the quick retries above do not count towards the backoff
            }
        }
    }

    private static boolean timedOut(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.net.SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private void recover() {
        boolean first = client == null;
        breaker.probing();
        try {
            if (client == null) {
                client = connect();
            }
            UnifiedJedis c = client;
            if (c instanceof JedisCluster) {
                // Jedis sends a cluster's PING to every node it knows, so one node dead for good (a master
                // replaced by its replica) would fail every probe: ask the owner of one slot instead.
                c.exists(bytes(keys.channel()));
            } else {
                c.ping();
            }
            // Before the owed writes go out: which master has a replica to wait for may have changed meanwhile
            // (a failover leaves the new master without one until the old comes back as its replica).
            if (topologyChanged() != null) {
                Log.warn("Redis store: Redis has a new master (a failover)");
            }
            recovering = true;
            int applied = applyOwed(c);
            refreshGenerations(c);
            // The subscription from before the outage is not trusted: it may have missed messages, or be
            // a connection that will never speak again. A new one refreshes the generations and empties
            // the near caches when it starts (onSubscribe); until then they are bypassed.
            unsubscribed();
            Subscription old = subscription;
            if (old != null) {
                try {
                    old.unsubscribe();
                } catch (RuntimeException ignored) {
                    // a dead connection: the subscriber loop ends it and subscribes anew either way
                }
            }
            // Whatever this JVM holds may have been invalidated elsewhere while it could not hear.
            listeners.forEach(InvalidationListener::lost);
            // Invalidations that slipped into the pending set meanwhile keep reads off Redis (see readable)
            // until the next tick delivers them; writes from now on go straight to Redis.
            breaker.close();
            synchronized (this) {
                retryMillis = FIRST_RETRY_MILLIS;
            }
            Log.info(first ? "Redis store: connected" : "Redis store: Redis is back; " + applied
                    + " invalidation(s) made during the outage were applied first");
            if (!pending.isEmpty()) {
                applyPending(c);
            }
        } catch (RuntimeException e) {
            Log.debug("Redis store: probe failed: " + e);
            breaker.open();
            followMaster();
            synchronized (this) {
                nextProbe = System.currentTimeMillis() + retryMillis;
                retryMillis = Math.min(retryMillis * 2, LONGEST_RETRY_MILLIS);
            }
            if (first && lastFailure == null) {
                Log.warn("Redis store: cannot reach Redis (" + e + "); calls run without it, and it is retried in the background");
            }
            lastFailure = e;
        } finally {
            recovering = false;
        }
    }

    /**
     * Sentinel: if the sentinels name another master than the client's while it does not answer, the client is
     * made anew (on this thread), so that a promotion whose message Jedis missed is not waited out.
     */
    private void followMaster() {
        UnifiedJedis old = client;
        Replication r = replication;
        try {
            if (old == null || !r.masterMoved()) {
                return;
            }
        } catch (RuntimeException e) {
            return;
        }
        client = null;
        replication = Replication.NONE;
        old.close();
        synchronized (this) {
            retryMillis = FIRST_RETRY_MILLIS;
            nextProbe = 0; // the new master is known: go there at the next tick
        }
        Log.info("Redis store: the sentinels name a new master; connecting to it");
    }

    /**
     * Delivers what the pending set holds now, in rounds while it keeps filling (a write that failed
     * meanwhile), at most a few: what is left waits for the next tick. Whatever fails is put back.
     *
     * @return how many invalidations were applied
     * @throws RuntimeException if Redis failed; the undelivered ones are back in the set
     */
    private int applyOwed(UnifiedJedis c) {
        int applied = 0;
        for (int round = 0; round < 4 && !pending.isEmpty(); round++) {
            PendingInvalidations.Drained owed = pending.drain();
            try {
                for (String region : owed.regions()) {
                    bump(c, region);
                }
                for (String[] k : owed.keys()) {
                    entomb(c, k[1]);
                    publish("K", k[0], k[1]);
                }
            } catch (RuntimeException e) {
                pending.restore(owed);
                throw e;
            }
            applied += owed.keys().size() + owed.regions().size();
        }
        return applied;
    }

    /** On the connector thread while the breaker is up: a delivery that failed once is retried. */
    private void applyPending(UnifiedJedis c) {
        if (c == null) {
            return;
        }
        try {
            applyOwed(c);
            breaker.succeeded();
        } catch (RuntimeException e) {
            if (breaker.failed()) {
                wentDown(e);
            }
        }
    }

    /**
     * At shutdown: what is still pending is delivered if Redis answers within about two seconds, so that
     * other JVMs do not keep serving what this one invalidated last. Whatever cannot be delivered in that
     * time is said, with its count.
     */
    private void flushAtShutdown() {
        UnifiedJedis c = client;
        leaveLeases(c);
        if (pending.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        PendingInvalidations.Drained owed = pending.drain();
        int left = owed.keys().size() + owed.regions().size();
        try {
            if (c != null) {
                for (String region : owed.regions()) {
                    if (System.nanoTime() > deadline) {
                        break;
                    }
                    bump(c, region);
                    left--;
                }
                for (String[] k : owed.keys()) {
                    if (System.nanoTime() > deadline) {
                        break;
                    }
                    entomb(c, k[1]);
                    publish("K", k[0], k[1]);
                    left--;
                }
            }
        } catch (RuntimeException e) {
            // said below, with what is left
        }
        if (left > 0) {
            Log.warn("Redis store: " + left + " invalidation(s) could not reach Redis before the JVM stopped; other JVMs may "
                    + "serve those entries until they expire");
        }
    }

    /** At shutdown: this JVM stops serving near hits, then leaves the lease set, so no writer waits for it. */
    private void leaveLeases(UnifiedJedis c) {
        lease.revoke();
        if (c == null || ackSender == null) {
            return;
        }
        try {
            c.zrem(keys.leases(), nodeId);
        } catch (RuntimeException e) {
            // its registration runs out within a lease
        }
    }

    private void refreshGenerations(UnifiedJedis c) {
        for (String region : generations.keySet()) {
            byte[] raw = c.get(bytes(keys.generation(region)));
            generations.put(region, raw == null ? 0 : Long.parseLong(new String(raw, StandardCharsets.US_ASCII)));
        }
    }

    private void watchSubscription() {
        Subscription s = subscription;
        if (s == null || !subscribed) {
            return;
        }
        if (System.currentTimeMillis() - lastPong > SUBSCRIPTION_SILENCE_MILLIS) {
            // A connection that silently died (no reset) never errors by itself: give up on it.
            unsubscribed();
            listeners.forEach(InvalidationListener::lost);
            try {
                s.unsubscribe();
            } catch (RuntimeException ignored) {
                // the loop reconnects either way
            }
            return;
        }
        try {
            s.ping();
        } catch (RuntimeException e) {
            unsubscribed();
            listeners.forEach(InvalidationListener::lost);
        }
    }

    /**
     * A new master (a failover by Sentinel or the cluster): invalidation messages published on the master that
     * died may never have been delivered, so every near cache is emptied, and the subscription is made anew
     * (it may be on the demoted node); near caches are bypassed until it is.
     */
    private void watchTopology() {
        String change = topologyChanged();
        if (change == null) {
            return;
        }
        Log.warn("Redis store: the Redis topology changed (" + change + "); near caches emptied, as invalidations "
                + "sent just before may be lost");
        subscribed = false;
        listeners.forEach(InvalidationListener::lost);
        Subscription s = subscription;
        if (s != null) {
            try {
                s.unsubscribe();
            } catch (RuntimeException ignored) {
                // the loop subscribes anew either way
            }
        }
    }

    /** Looks at the topology again; a description of the change of masters, counted, or {@code null}. */
    private String topologyChanged() {
        String change;
        try {
            change = replication.refresh();
        } catch (RuntimeException e) {
            Log.debug("Redis store: could not look at the topology: " + e);
            return null;
        }
        if (change != null) {
            topologyChanges.increment();
        }
        return change;
    }

    /** Writes not acknowledged by a replica within the wait, since start ({@link Replication}). */
    public long unreplicated() {
        return replication.unreplicated();
    }

    /** Changes of master seen since start (failovers). */
    public long topologyChanges() {
        return topologyChanges.sum();
    }

    private void subscribeLoop() {
        while (true) {
            UnifiedJedis c = client;
            if (c != null && breaker.up()) {
                Subscription s = new Subscription();
                subscription = s;
                try {
                    c.subscribe(s, keys.channel(), keys.ackChannel(nodeId));
                } catch (RuntimeException e) {
                    Log.debug("Redis store: subscription ended: " + e);
                }
                unsubscribed();
                subscription = null;
                listeners.forEach(InvalidationListener::lost);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Other JVMs' invalidations. Runs on the subscriber thread. */
    private final class Subscription extends JedisPubSub {

        @Override
        public void onSubscribe(String channel, int count) {
            if (count < 2) {
                return; // live once both channels are: invalidations and acknowledgements of this JVM's own
            }
            lastPong = System.currentTimeMillis();
            try {
                UnifiedJedis c = client;
                if (c != null) {
                    refreshGenerations(c);
                }
            } catch (RuntimeException e) {
                return; // stays unsubscribed-in-effect; the watcher will notice the silence
            }
            // Anything held from before the subscription may have missed an invalidation.
            listeners.forEach(InvalidationListener::lost);
            subscribed = true;
        }

        @Override
        public void onPong(String pattern) {
            lastPong = System.currentTimeMillis();
        }

        @Override
        public void onMessage(String channel, String message) {
            lastPong = System.currentTimeMillis();
            if (!channel.equals(keys.channel())) {
                acknowledged(message);
                return;
            }
            String[] parts = message.split("\n", 4);
            if (parts.length != 4) {
                return;
            }
            // "node" or "node id": an id asks the lease holders to acknowledge once they applied it.
            int space = parts[0].indexOf(' ');
            String sender = space < 0 ? parts[0] : parts[0].substring(0, space);
            if (sender.equals(nodeId)) {
                if (parts[1].equals("L")) {
                    try {
                        lease.granted(Long.parseLong(parts[3]), () -> listeners.forEach(InvalidationListener::lost));
                    } catch (NumberFormatException ignored) {
                        // not ours after all
                    }
                }
                return;
            }
            applied(parts);
            AckSender acker = ackSender;
            if (space >= 0 && acker != null) {
                acker.acknowledge(sender, parts[0].substring(space + 1));
            }
        }

        /** "node\nid\nid...": that node applied these invalidations of this JVM. */
        private void acknowledged(String message) {
            String[] lines = message.split("\n");
            for (int i = 1; i < lines.length; i++) {
                acks.acknowledged(lines[i], lines[0]);
            }
        }

        private void applied(String[] parts) {
            String region = parts[2];
            if (parts[1].equals("G")) {
                try {
                    generations.merge(region, Long.parseLong(parts[3]), Math::max);
                } catch (NumberFormatException ignored) {
                    return;
                }
                for (InvalidationListener l : listeners) {
                    if (l.region().equals(region)) {
                        l.invalidatedAll();
                    }
                }
            } else if (parts[1].equals("K")) {
                for (InvalidationListener l : listeners) {
                    if (l.region().equals(region)) {
                        l.invalidated(parts[3]);
                    }
                }
            }
        }
    }

    private UnifiedJedis connect() {
        int timeout = (int) Math.max(1, settings.timeout().toMillis());
        // It happens on this thread, or when a pool grows.
        int connectTimeout = (int) connectTimeoutMillis;
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .socketTimeoutMillis(timeout)
                .connectionTimeoutMillis(connectTimeout)
                .clientName("recall");
        GenericObjectPoolConfig<Connection> pool = new GenericObjectPoolConfig<>();
        pool.setMaxTotal(32);
        pool.setMaxIdle(32);
        pool.setMinIdle(0);
        // An exhausted pool must not queue the application behind a slow Redis.
        pool.setMaxWait(settings.timeout());
        pool.setJmxEnabled(false);
        // A replica's acknowledgement is waited for at most this, well within the command's own timeout.
        long waitMillis = Math.max(1, timeout / 2);
        if (!settings.cluster().isEmpty()) {
            ClusterConnectionProvider provider = new ClusterConnectionProvider(hostsAndPorts(settings.cluster()), config.build(), pool);
            Replication r = Replication.cluster(provider, waitMillis);
            refreshQuietly(r);
            replication = r;
            return new JedisCluster(provider, 2, Duration.ofMillis(timeout * 3L));
        }
        SentinelSettings sentinel = settings.sentinel();
        if (sentinel != null) {
            config.user(sentinel.user()).password(sentinel.password()).database(sentinel.database());
            // Jedis' listener holds a subscription to each sentinel's +switch-master, silent for days: no read
            // timeout on it (one would end it every few seconds and leave gaps in which a promotion is missed).
            DefaultJedisClientConfig listening = DefaultJedisClientConfig.builder()
                    .socketTimeoutMillis(0)
                    .connectionTimeoutMillis(connectTimeout)
                    .clientName("recall-sentinel")
                    .password(sentinel.sentinelPassword())
                    .build();
            DefaultJedisClientConfig asking = DefaultJedisClientConfig.builder()
                    .socketTimeoutMillis(connectTimeout)
                    .connectionTimeoutMillis(connectTimeout)
                    .clientName("recall-sentinel")
                    .password(sentinel.sentinelPassword())
                    .build();
            Set<HostAndPort> sentinels = hostsAndPorts(sentinel.nodes());
            SentineledConnectionProvider provider = new SentineledConnectionProvider(sentinel.master(), config.build(), pool,
                    sentinels, listening);
            Replication r = Replication.sentinel(provider, waitMillis, sentinel.master(), sentinels, asking);
            refreshQuietly(r);
            replication = r;
            return new JedisSentineled(provider);
        }
        URI uri = URI.create(settings.uri());
        if (uri.getScheme().equals("rediss")) {
            config.ssl(true);
        }
        String userInfo = uri.getUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            if (colon < 0) {
                config.password(userInfo);
            } else {
                if (colon > 0) {
                    config.user(userInfo.substring(0, colon));
                }
                config.password(userInfo.substring(colon + 1));
            }
        }
        String path = uri.getPath();
        if (path != null && path.length() > 1) {
            config.database(Integer.parseInt(path.substring(1)));
        }
        return new JedisPooled(new HostAndPort(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort()), config.build(), pool);
    }

    private static Set<HostAndPort> hostsAndPorts(List<String> nodes) {
        Set<HostAndPort> set = new LinkedHashSet<>();
        for (String node : nodes) {
            int colon = node.lastIndexOf(':');
            set.add(new HostAndPort(node.substring(0, colon), Integer.parseInt(node.substring(colon + 1))));
        }
        return set;
    }

    /** The first look at the topology, so that the first writes already wait for a replica if there is one. */
    private static void refreshQuietly(Replication r) {
        try {
            r.refresh();
        } catch (RuntimeException e) {
            Log.debug("Redis store: could not look at the topology yet: " + e);
        }
    }

    private static final byte[] ZERO = {'0'};
    private static final byte[] ONE = {'1'};
    private static final byte[] EMPTY = {};

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
