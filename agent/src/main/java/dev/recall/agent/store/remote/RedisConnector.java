package dev.recall.agent.store.remote;

import static dev.recall.agent.store.remote.RedisScripts.bytes;

import dev.recall.agent.config.RedisSettings;
import dev.recall.agent.config.StoreKind;
import dev.recall.agent.log.Log;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisRedirectionException;
import redis.clients.jedis.params.SetParams;

/**
 * The agent's one link to Redis (one server or a cluster), shared by every Redis-backed region: the {@link RemoteLink}
 * commands in Redis' terms (fills, write-throughs, tombstones, generations), each run through the failure handling.
 *
 * <p>Its parts live beside it, one job each: the failure handling is a {@link RemoteOutage}, so that no application
 * thread ever waits on a Redis that is known to be down (commands run only while the {@link Breaker} is UP; failures
 * open it; the connector's own thread, {@code recall-redis}, probes, applies the invalidations that could not be
 * delivered meanwhile, re-reads the region generations, and only then lets reads through again); the channel on which
 * JVMs tell each other what they invalidated is a {@link RedisChannel}; the client is made by {@link RedisClients};
 * the Lua scripts are {@link RedisScripts}; the load lock's commands are {@link LoadLock.OnRedis}. What stays here is
 * the topology watch (a failover empties near caches; a sentinel's new master gets a new client).
 *
 * <p>Thread safety: Jedis' pooled clients are thread-safe; the outage handling ({@link RemoteOutage}), the channel and
 * the generations are concurrent; the client and replication references are volatile and set only by the connector
 * thread.
 */
final class RedisConnector implements RemoteLink {

    private static final long MIN_CONNECT_TIMEOUT_MILLIS = 1_000;

    private final RedisSettings settings;
    private final RemoteKeys keys;
    private final long readLimit;
    private final String nodeId = UUID.randomUUID().toString();
    private final RemoteOutage<UnifiedJedis> outage;
    private final Generations generations = new Generations();
    /** How long making a connection may take; also the longest a call waits for the first one. */
    private final long connectTimeoutMillis;

    private final Tombstones tombstones = new Tombstones(nodeId);
    private final RedisChannel channel;
    private final LoadLock.Commands locks;
    private final LongAdder topologyChanges = new LongAdder();
    private volatile UnifiedJedis client;
    /** Set with {@link #client}: what a failover must not lose, and the topology it is watched by. */
    private volatile Replication replication = Replication.NONE;

    RedisConnector(RedisSettings settings) {
        this.settings = settings;
        this.keys = new RemoteKeys(settings.keyPrefix(), settings.secret());
        LinkFacts facts = new LinkFacts(StoreKind.REDIS, "Redis", keys, settings.maxValueSize(), settings.maxStaleness(),
                settings.lockTimeout());
        this.readLimit = facts.readLimit();
        // Connecting may take longer than a command (a TCP and perhaps a TLS handshake, AUTH, a cluster's slots).
        this.connectTimeoutMillis = Math.max(settings.timeout().toMillis(), MIN_CONNECT_TIMEOUT_MILLIS);
        this.outage = new RemoteOutage<>(facts, connectTimeoutMillis, new Outage());
        this.channel = new RedisChannel(nodeId, keys, generations, () -> client, outage::up, this::refreshGenerations);
        this.locks = new LoadLock.OnRedis(outage, nodeId);
    }

    /**
     * Connects in the background: the application starts without waiting for Redis. A call that needs Redis
     * before the first attempt has ended waits for it, at most the connect timeout ({@link #readable}).
     */
    void start() {
        outage.start(250, settings, this::flushAtShutdown);
        channel.start();
    }

    @Override
    public RemoteOutage<?> outage() {
        return outage;
    }

    @Override
    public LoadLock.Commands locks() {
        return locks;
    }

    /** Whether other JVMs' invalidations are reaching this one right now. */
    @Override
    public boolean subscribed() {
        return channel.subscribed();
    }

    @Override
    public void listen(InvalidationListener listener) {
        channel.listen(listener);
    }

    /** This JVM has (or will have) near tiers: it takes leases and acknowledges invalidations from now on. */
    void holdLeases() {
        channel.holdLeases();
    }

    /** Whether this JVM's near tiers may serve hits now ({@link Lease}): a volatile read and a compare. */
    @Override
    public boolean leased() {
        return channel.leased();
    }

    /** Writes that waited a whole lease for a JVM that never acknowledged their invalidation, since start. */
    long unacknowledged() {
        return channel.unacknowledged();
    }

    RedisSettings settings() {
        return settings;
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
        Object stored = read(c -> c.eval(RedisScripts.FILL, List.of(bytes(redisKey)),
                List.of(value, seen == null ? RedisScripts.ZERO : RedisScripts.ONE, seen == null ? RedisScripts.EMPTY : seen, ttl)));
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
                    responses.add(p.eval(RedisScripts.FILL, List.of(bytes(redisKeys.get(i))),
                            List.of(values.get(i), saw == null ? RedisScripts.ZERO : RedisScripts.ONE, saw == null ? RedisScripts.EMPTY : saw, ttl)));
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
        Object replaced = read(c -> replication.write(c, bytes(redisKey), replication.commands().eval(RedisScripts.TAKE_BACK, List.of(bytes(redisKey)),
                List.of(filled, tombstone, bytes(Long.toString(Tombstones.LIFETIME_MILLIS))))));
        if (Long.valueOf(1).equals(replaced)) {
            channel.await(channel.announce(client, null, "K", region, redisKey));
        }
    }

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
                set = Long.valueOf(1).equals(replication.write(c, bytes(redisKey), replication.commands().eval(RedisScripts.WRITE_IF_MARKED,
                        List.of(bytes(redisKey)), List.of(marker, value, bytes(Long.toString(keptMillis)), tombstones.next(),
                        bytes(Long.toString(Tombstones.LIFETIME_MILLIS))))));
            }
            announced[0] = channel.announce(c, announced[0], "K", region, redisKey);
            return set;
        });
        channel.await(announced[0]);
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
            announced[0] = channel.announce(c, announced[0], "K", region, redisKey);
            return null;
        });
        channel.await(announced[0]);
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
            announced[0] = channel.announce(c, announced[0], "G", region, Long.toString(g));
            return null;
        });
        channel.await(announced[0]);
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
        channel.publish("G", region, Long.toString(g));
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
                RedisClients.Made made = RedisClients.connect(settings, connectTimeoutMillis);
                replication = made.replication();
                client = made.client();
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
            channel.resubscribe();
            return applied;
        }

        @Override
        public void owedRegion(UnifiedJedis c, String region) {
            bump(c, region);
        }

        @Override
        public void owedKey(UnifiedJedis c, String region, String redisKey) {
            entomb(c, redisKey);
            channel.publish("K", region, redisKey);
        }

        @Override
        public void whileUp(UnifiedJedis c) {
            channel.whileUp(c);
            watchTopology();
        }

        /** Only a timeout: a refused connection says at once that Redis is not there. */
        @Override
        public boolean retryFirst(Throwable failure) {
            for (Throwable t = failure; t != null; t = t.getCause()) {
                if (t instanceof SocketTimeoutException) {
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
            channel.lost();
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
        channel.leaveLeases(c);
        outage.flush(c);
    }

    /** Every known region's generation as Redis has it now: after an outage, or when a subscription starts. */
    private void refreshGenerations(UnifiedJedis c) {
        for (String region : generations.regions()) {
            byte[] raw = c.get(bytes(keys.generation(region)));
            generations.read(region, raw == null ? 0 : Long.parseLong(new String(raw, StandardCharsets.US_ASCII)));
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
        channel.newMaster();
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
    long unreplicated() {
        return replication.unreplicated();
    }

    /** Changes of master seen since start (failovers). */
    long topologyChanges() {
        return topologyChanges.sum();
    }
}
