package dev.recall.agent.store.remote;

import dev.recall.agent.config.RedisSettings;
import dev.recall.agent.config.SentinelSettings;
import dev.recall.agent.log.Log;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.JedisSentineled;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.providers.ClusterConnectionProvider;
import redis.clients.jedis.providers.SentineledConnectionProvider;

/**
 * Makes {@link RedisConnector}'s Jedis client from the settings: a pooled client for one server, a cluster client, or a
 * sentinel-watched one, each with the {@link Replication} that watches its topology. Stateless; called on the
 * connector's thread (the clients it makes are thread-safe).
 */
final class RedisClients {

    /** A client and what watches its replicas ({@link Replication#NONE} for one server). */
    record Made(UnifiedJedis client, Replication replication) {
    }

    private RedisClients() {
    }

    /**
     * A client for {@code settings}: one server ({@code uri}), a cluster, or a master behind sentinels, with a pool
     * that never queues the application behind a slow Redis. Run on the connector's thread.
     *
     * @param connectTimeoutMillis how long making a connection may take
     */
    static Made connect(RedisSettings settings, long connectTimeoutMillis) {
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
            return new Made(new JedisCluster(provider, 2, Duration.ofMillis(timeout * 3L)), r);
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
            return new Made(new JedisSentineled(provider), r);
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
        return new Made(new JedisPooled(new HostAndPort(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort()), config.build(), pool),
                Replication.NONE);
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
}
