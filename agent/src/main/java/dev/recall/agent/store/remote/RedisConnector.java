package dev.recall.agent.store.remote;

import dev.recall.agent.log.Log;
import dev.recall.agent.config.RedisSettings;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.UnifiedJedis;
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
public final class RedisConnector {

    private static final long FIRST_RETRY_MILLIS = 500;
    private static final long LONGEST_RETRY_MILLIS = 5_000;
    private static final long SUBSCRIPTION_SILENCE_MILLIS = 3_000;
    private static final int PENDING_LIMIT = 10_000;

    /** Compare and delete, so a lock that expired and was taken by another node is left to its holder. */
    private static final String UNLOCK =
            "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

    private final RedisSettings settings;
    private final RemoteKeys keys;
    private final String nodeId = UUID.randomUUID().toString();
    private final Breaker breaker = new Breaker();
    private final PendingInvalidations pending = new PendingInvalidations(PENDING_LIMIT);
    private final ConcurrentHashMap<String, Long> generations = new ConcurrentHashMap<>();
    private final List<InvalidationListener> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "recall-redis"));

    private volatile UnifiedJedis client;
    private volatile boolean subscribed;
    private volatile Subscription subscription;
    private volatile long lastPong;
    private long retryMillis = FIRST_RETRY_MILLIS;
    private long nextProbe;
    private volatile Throwable lastFailure;

    public RedisConnector(RedisSettings settings) {
        this.settings = settings;
        this.keys = new RemoteKeys(settings.keyPrefix());
    }

    /** Connects in the background: the application starts without waiting for Redis. */
    public void start() {
        worker.scheduleWithFixedDelay(this::tick, 0, 250, TimeUnit.MILLISECONDS);
        Thread t = daemon(this::subscribeLoop, "recall-redis-subscriber");
        t.start();
        Log.info("Redis store: " + settings + "; connecting in the background (calls run uncached until it answers)");
    }

    public RedisState state() {
        return breaker.state();
    }

    RemoteKeys keys() {
        return keys;
    }

    RedisSettings settings() {
        return settings;
    }

    /** Whether reads may go to Redis: it is up and owes nothing from an outage. */
    boolean readable() {
        return breaker.up() && pending.isEmpty();
    }

    /** Whether other JVMs' invalidations are reaching this one right now. */
    boolean subscribed() {
        return subscribed && breaker.up();
    }

    void listen(InvalidationListener listener) {
        listeners.add(listener);
    }

    long generation(String region) {
        Long g = generations.get(region);
        if (g != null) {
            return g;
        }
        byte[] raw = read(c -> c.get(bytes(keys.generation(region))));
        long loaded = raw == null ? 0 : Long.parseLong(new String(raw, StandardCharsets.US_ASCII));
        Long raced = generations.putIfAbsent(region, loaded);
        return raced == null ? loaded : raced;
    }

    byte[] get(String redisKey) {
        return read(c -> c.get(bytes(redisKey)));
    }

    /**
     * Stores a loaded result, only where the key holds nothing: a fill follows a miss, so whatever is there
     * now was stored after that miss, by a writer or another fill, and is at least as new. This also keeps
     * a fill that a partition delayed (TCP delivers it when the network heals) from undoing a newer write.
     * Losing a fill costs a later miss, nothing more.
     *
     * @return whether it was stored
     */
    boolean put(String redisKey, byte[] value, long ttlMillis) {
        return "OK".equals(read(c -> c.set(bytes(redisKey), value, SetParams.setParams().nx().px(Math.max(1, ttlMillis)))));
    }

    /** Removes a value that cannot be used (refused, or unreadable), so that the next fill can replace it. */
    void discard(String redisKey) {
        read(c -> c.del(bytes(redisKey)));
    }

    /** @return whether this thread now holds {@code lockKey}, for {@code ttlMillis} at most */
    boolean lock(String lockKey, long ttlMillis) {
        return "OK".equals(read(c -> c.set(lockKey, lockToken(), SetParams.setParams().nx().px(Math.max(1, ttlMillis)))));
    }

    /** Releases {@code lockKey} if this thread still holds it (it may have expired and been taken by another). */
    void unlock(String lockKey) {
        read(c -> c.eval(UNLOCK, List.of(lockKey), List.of(lockToken())));
    }

    /** Names the holder of a lock: this JVM and the thread whose load it guards (exit runs on enter's thread). */
    private String lockToken() {
        return nodeId + ':' + Thread.currentThread().getId();
    }

    /** Stores a written value, and tells other JVMs to drop theirs; if that fails it is remembered. */
    void write(String region, String redisKey, byte[] value, long ttlMillis) {
        deliver(region, redisKey, c -> {
            c.set(bytes(redisKey), value, SetParams.setParams().px(Math.max(1, ttlMillis)));
            publish("K", region, redisKey);
            return null;
        });
    }

    void invalidate(String region, String redisKey) {
        deliver(region, redisKey, c -> {
            c.del(bytes(redisKey));
            publish("K", region, redisKey);
            return null;
        });
    }

    void invalidateAll(String region) {
        deliver(region, null, c -> {
            bump(c, region);
            return null;
        });
    }

    private interface Command<T> {
        T run(UnifiedJedis client);
    }

    /** A read or a cache fill: failures count towards opening the breaker. */
    private <T> T read(Command<T> command) {
        UnifiedJedis c = client;
        if (c == null || !readable()) {
            throw Unavailable.DOWN;
        }
        try {
            T result = command.run(c);
            breaker.succeeded();
            return result;
        } catch (RuntimeException e) {
            if (breaker.failed()) {
                wentDown(e);
            }
            throw new Unavailable("Redis command failed: " + e, e);
        }
    }

    /** An invalidation must arrive: if it cannot now, it is kept and Redis is not read until it has. */
    private void deliver(String region, String redisKey, Command<?> command) {
        UnifiedJedis c = client;
        if (c != null && breaker.up()) {
            try {
                command.run(c);
                breaker.succeeded();
                return;
            } catch (RuntimeException e) {
                remember(region, redisKey);
                if (breaker.open()) {
                    wentDown(e);
                }
                return;
            }
        }
        remember(region, redisKey);
    }

    private void remember(String region, String redisKey) {
        if (redisKey == null) {
            pending.region(region);
        } else {
            pending.key(region, redisKey);
        }
    }

    private void bump(UnifiedJedis c, String region) {
        long g = c.incr(bytes(keys.generation(region)));
        generations.merge(region, g, Math::max);
        publish("G", region, Long.toString(g));
    }

    private void publish(String kind, String region, String what) {
        client.publish(keys.channel(), nodeId + '\n' + kind + '\n' + region + '\n' + what);
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
            if (s != RedisState.UP) {
                synchronized (this) {
                    if (System.currentTimeMillis() < nextProbe) {
                        return;
                    }
                }
                recover();
            } else {
                watchSubscription();
            }
        } catch (Throwable t) {
            Log.once("redis-tick|" + t.getClass().getName(), "Redis store: unexpected failure of its background thread", t);
        }
    }

    private void recover() {
        boolean first = client == null;
        breaker.probing();
        PendingInvalidations.Drained owed = pending.drain();
        try {
            if (client == null) {
                client = connect();
            }
            UnifiedJedis c = client;
            c.ping();
            for (String region : owed.regions()) {
                bump(c, region);
            }
            for (String[] k : owed.keys()) {
                c.del(bytes(k[1]));
                publish("K", k[0], k[1]);
            }
            refreshGenerations(c);
            // Whatever this JVM holds may have been invalidated elsewhere while it could not hear.
            listeners.forEach(InvalidationListener::lost);
            if (!pending.isEmpty()) {
                return; // invalidated again meanwhile: apply those on the next tick before opening
            }
            breaker.close();
            synchronized (this) {
                retryMillis = FIRST_RETRY_MILLIS;
            }
            Log.info(first ? "Redis store: connected" : "Redis store: Redis is back; " + (owed.keys().size() + owed.regions().size())
                    + " invalidation(s) made during the outage were applied first");
        } catch (RuntimeException e) {
            pending.restore(owed);
            breaker.open();
            synchronized (this) {
                nextProbe = System.currentTimeMillis() + retryMillis;
                retryMillis = Math.min(retryMillis * 2, LONGEST_RETRY_MILLIS);
            }
            if (first && lastFailure == null) {
                Log.warn("Redis store: cannot reach Redis (" + e + "); calls run without it, and it is retried in the background");
            }
            lastFailure = e;
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
            subscribed = false;
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
            subscribed = false;
            listeners.forEach(InvalidationListener::lost);
        }
    }

    private void subscribeLoop() {
        while (true) {
            UnifiedJedis c = client;
            if (c != null && breaker.up()) {
                Subscription s = new Subscription();
                subscription = s;
                try {
                    c.subscribe(s, keys.channel());
                } catch (RuntimeException e) {
                    Log.debug("Redis store: subscription ended: " + e);
                }
                subscribed = false;
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
            String[] parts = message.split("\n", 4);
            if (parts.length != 4 || parts[0].equals(nodeId)) {
                return;
            }
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
        // Connecting may take longer than a command; it happens on this thread, or when a pool grows.
        int connectTimeout = Math.max(timeout, 1_000);
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
        if (!settings.cluster().isEmpty()) {
            Set<HostAndPort> seeds = new LinkedHashSet<>();
            for (String seed : settings.cluster()) {
                int colon = seed.lastIndexOf(':');
                seeds.add(new HostAndPort(seed.substring(0, colon), Integer.parseInt(seed.substring(colon + 1))));
            }
            return new JedisCluster(seeds, config.build(), 2, Duration.ofMillis(timeout * 3L), pool);
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

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
