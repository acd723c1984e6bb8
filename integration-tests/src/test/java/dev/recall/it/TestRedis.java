package dev.recall.it;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * The test's own line to Redis, apart from the agent's: Jedis, a test dependency that never reaches the
 * application JVMs (their class path is {@code app.classpath}, see the pom). On a Redis Cluster a key
 * command goes to the node that holds its slot, and {@link #keys} scans every node.
 *
 * <p>Values are bytes as stored. Keys are text: the agent's are its prefix, a region and a base64url
 * hash. Not for concurrent use: one per test.
 */
final class TestRedis implements AutoCloseable {

    private static final int TIMEOUT_MILLIS = 5000;
    private static final int SCAN_COUNT = 1000;

    private final JedisClientConfig config;
    private final UnifiedJedis redis;

    TestRedis(List<HostAndPort> nodes, boolean cluster, String user, String password) {
        this.config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(TIMEOUT_MILLIS)
                .socketTimeoutMillis(TIMEOUT_MILLIS)
                .user(user)
                .password(password)
                .build();
        this.redis = cluster
                ? RedisClusterClient.builder().nodes(new LinkedHashSet<>(nodes)).clientConfig(config).build()
                : RedisClient.builder().hostAndPort(nodes.get(0)).clientConfig(config).build();
    }

    /** The raw value of {@code key}, or {@code null}. */
    byte[] get(String key) {
        return redis.get(bytes(key));
    }

    /** Overwrites the value of {@code key} and keeps its time to live, as a tampering neighbour would. */
    void setKeepTtl(String key, byte[] value) {
        redis.set(bytes(key), value, SetParams.setParams().keepTtl());
    }

    /** Copies the value of {@code from} over {@code to} (Redis's COPY ... REPLACE), as someone with access to Redis can. */
    boolean copy(String from, String to) {
        return redis.copy(bytes(from), bytes(to), true);
    }

    /** Every key matching the glob {@code pattern}, on every node of a cluster. */
    List<String> keys(String pattern) {
        // A set: a key may be met twice while the keyspace changes under the walk.
        return new ArrayList<>(redis.scanIteration(SCAN_COUNT, pattern).collect(new LinkedHashSet<>()));
    }

    /** Every key starting with {@code prefix}. */
    List<String> keysWithPrefix(String prefix) {
        return keys(globEscape(prefix) + "*");
    }

    /** Deletes every key starting with {@code prefix}; returns how many. */
    int deletePrefix(String prefix) {
        int n = 0;
        // One DEL per key: on a cluster the keys of one call must share a slot.
        for (String key : keysWithPrefix(prefix)) {
            n += (int) redis.del(key);
        }
        return n;
    }

    /** Whether every node answers PING. */
    boolean ping() {
        return "PONG".equals(redis.ping());
    }

    /** {@code CLUSTER INFO} of one node. */
    String clusterInfo(HostAndPort node) {
        try (Jedis one = new Jedis(node, config)) {
            return one.clusterInfo();
        }
    }

    static String globEscape(String literal) {
        StringBuilder b = new StringBuilder();
        for (char c : literal.toCharArray()) {
            if ("*?[]\\".indexOf(c) >= 0) {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    private static byte[] bytes(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        redis.close();
    }
}
