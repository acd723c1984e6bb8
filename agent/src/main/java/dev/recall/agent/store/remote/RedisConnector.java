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
import java.util.concurrent.CopyOnWriteArrayList;
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
 * <p>Its failure handling is a {@link RemoteOutage}, so that no application thread ever waits on a Redis that is
 * known to be down: commands run only while the {@link Breaker} is UP; failures open it; the connector's own
 * thread ({@code recall-redis}) probes, applies the invalidations that could not be delivered meanwhile,
 * re-reads the region generations, and only then lets reads through again. A second thread holds the
 * subscription on which JVMs tell each other what they invalidated; while it is not known to be live,
 * listeners are told that they may have missed messages.
 *
 * <p>Thread safety: Jedis' pooled clients are thread-safe; the outage handling ({@link RemoteOutage}) and the
 * generation map are concurrent; the client reference is volatile and set only by the connector thread.
 */
public final class RedisConnector implements RemoteLink {

    private static final long SUBSCRIPTION_SILENCE_MILLIS = 3_000;
    private static final long MIN_CONNECT_TIMEOUT_MILLIS = 1_000;

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
    private final RemoteKeys keys;
    private final long readLimit;
    private final String nodeId = UUID.randomUUID().toString();
    private final RemoteOutage<UnifiedJedis> outage;
    private final Generations generations = new Generations();
    private final List<InvalidationListener> listeners = new CopyOnWriteArrayList<>();
    /** How long making a connection may take; also the longest a call waits for the first one. */
    private final long connectTimeoutMillis;

    private final Tombstones tombstones = new Tombstones(nodeId);
    private final Lease lease = new Lease();
    private final Acks acks = new Acks();
    /** Set when the first near tier listens: only JVMs with one hold leases and acknowledge invalidations. */
    private volatile AckSender ackSender;
    private final LongAdder topologyChanges = new LongAdder();
    private volatile UnifiedJedis client;
    /** Set with {@link #client}: what a failover must not lose, and the topology it is watched by. */
    private volatile Replication replication = Replication.NONE;
    private volatile boolean subscribed;
    private volatile Subscription subscription;
    private volatile long lastPong;

    public RedisConnector(RedisSettings settings) {
        this.settings = settings;
        this.keys = new RemoteKeys(settings.keyPrefix(), settings.secret());
        LinkFacts facts = new LinkFacts(StoreKind.REDIS, "Redis", keys, settings.maxValueSize(), settings.maxStaleness(),
                settings.lockTimeout());
        this.readLimit = facts.readLimit();
        // Connecting may take longer than a command (a TCP and perhaps a TLS handshake, AUTH, a cluster's slots).
        this.connectTimeoutMillis = Math.max(settings.timeout().toMillis(), MIN_CONNECT_TIMEOUT_MILLIS);
        this.outage = new RemoteOutage<>(facts, connectTimeoutMillis, new Outage());
    }

    /**
     * Connects in the background: the application starts without waiting for Redis. A call that needs Redis
     * before the first attempt has ended waits for it, at most the connect timeout ({@link #readable}).
     */
    public void start() {
        outage.start(250);
        Runtime.getRuntime().addShutdownHook(RemoteOutage.daemon(this::flushAtShutdown, "recall-redis-shutdown"));
        Thread t = RemoteOutage.daemon(this::subscribeLoop, "recall-redis-subscriber");
        t.start();
        Log.info("Redis store: " + settings + "; connecting in the background (calls made before it is up wait for it, at "
                + "most " + connectTimeoutMillis + " ms, then run uncached until it answers)");
    }

    @Override
    public RemoteOutage<?> outage() {
        return outage;
    }

    RedisSettings settings() {
        return settings;
    }


    /** Whether other JVMs' invalidations are reaching this one right now. */
    @Override
    public boolean subscribed() {
        return subscribed && outage.up();
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
        return generations.get(region, () -> {
            byte[] raw = read(c -> c.get(bytes(keys.generation(region))));
            return raw == null ? 0 : Long.parseLong(new String(raw, StandardCharsets.US_ASCII));
        });
    }

    /** The region's generation as this JVM knows it now, without asking Redis; {@code -1} if not known yet. */
    @Override
    public long knownGeneration(String region) {
        return generations.known(region);
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
            generations.heard(region, g);
            announced[0] = announce(c, announced[0], "G", region, Long.toString(g));
            return null;
        });
        acks.await(announced[0]);
    }

    private <T> T read(RemoteOutage.Command<UnifiedJedis, T> command) {
        return outage.read(command);
    }

    /** An invalidation must arrive: if it cannot now, it is kept and delivered later ({@link RemoteOutage#deliver}). */
    private <T> T deliver(String region, String redisKey, RemoteOutage.Command<UnifiedJedis, T> command) {
        return outage.deliver(region, redisKey, command);
    }


    private void bump(UnifiedJedis c, String region) {
        long g = replication.write(c, bytes(keys.generation(region)), replication.commands().incr(bytes(keys.generation(region))));
        generations.heard(region, g);
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

    /** What {@link RemoteOutage} does in Redis' commands; on the connector thread unless said. */
    private final class Outage implements RemoteOutage.Server<UnifiedJedis> {

        @Override
        public UnifiedJedis client() {
            return client;
        }

        @Override
        public UnifiedJedis connect() {
            if (client == null) {
                client = RedisConnector.this.connect();
            }
            return client;
        }

        /** No client yet, or a new one for a new master ({@link #followMaster}). */
        @Override
        public boolean firstConnection() {
            return client == null;
        }

        @Override
        public void probe(UnifiedJedis c) {
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
        }

        @Override
        public int catchUp(UnifiedJedis c) throws Exception {
            int applied = outage.applyOwed(c);
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
            return applied;
        }

        @Override
        public void owedRegion(UnifiedJedis c, String region) {
            bump(c, region);
        }

        @Override
        public void owedKey(UnifiedJedis c, String region, String redisKey) {
            entomb(c, redisKey);
            publish("K", region, redisKey);
        }

        @Override
        public void whileUp(UnifiedJedis c) {
            watchSubscription();
            renewLease(c);
            watchTopology();
        }

        /** Only a timeout: a refused connection says at once that Redis is not there. */
        @Override
        public boolean retryFirst(Throwable failure) {
            for (Throwable t = failure; t != null; t = t.getCause()) {
                if (t instanceof java.net.SocketTimeoutException) {
                    return true;
                }
            }
            return false;
        }

        /** Redis answered, with an error (full, or a script refused). */
        @Override
        public String refusal(Exception e) {
            return e instanceof JedisDataException ? e.getMessage() : null;
        }

        /** Near tiers stop serving: they may miss invalidations from now on. */
        @Override
        public void wentDown() {
            listeners.forEach(InvalidationListener::lost);
        }

        @Override
        public void probeFailed() {
            followMaster();
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
        outage.probeSoon(); // the new master is known: go there at the next tick
        Log.info("Redis store: the sentinels name a new master; connecting to it");
    }

    /** At shutdown: leaves the lease set, then delivers what is still pending ({@link RemoteOutage#flush}). */
    private void flushAtShutdown() {
        UnifiedJedis c = client;
        leaveLeases(c);
        outage.flush(c);
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
        for (String region : generations.regions()) {
            byte[] raw = c.get(bytes(keys.generation(region)));
            generations.read(region, raw == null ? 0 : Long.parseLong(new String(raw, StandardCharsets.US_ASCII)));
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
            if (c != null && outage.up()) {
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
                    generations.heard(region, Long.parseLong(parts[3]));
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

}
