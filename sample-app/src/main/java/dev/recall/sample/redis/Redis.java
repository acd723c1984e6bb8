package dev.recall.sample.redis;

import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.ScanIteration;
import redis.clients.jedis.UnifiedJedis;

/**
 * The demo's own use of Redis, through Jedis: connect to the server a {@code --redis} URI names, and
 * delete a run's keys. One server, not a cluster.
 *
 * <p>The URI is read as the agent reads its {@code redis.uri}, so the demo checks the very server the
 * instances will use: {@code redis://[user:password@]host[:port][/db]}, {@code rediss://} for TLS with the
 * JVM's default trust store, a user info without {@code ':'} being a password, the port 6379 when none is
 * given. (Jedis's own URI parsing wants a port and a {@code ':'}.)
 */
public final class Redis {

    /** Keys asked for per SCAN step: large enough to be quick, small enough not to block the server. */
    private static final int SCAN_COUNT = 500;
    private static final int DEFAULT_PORT = 6379;

    private Redis() {
    }

    /**
     * A client for the server of {@code uri}; it connects, logs in and selects the database at its first
     * command. Close it.
     *
     * @param timeout for connecting and for each command
     * @throws IllegalArgumentException for a URI that is not redis:// or rediss://
     */
    public static RedisClient connect(URI uri, Duration timeout) {
        return RedisClient.builder().hostAndPort(hostAndPort(uri)).clientConfig(config(uri, timeout)).build();
    }

    static HostAndPort hostAndPort(URI uri) {
        boolean tls = "rediss".equalsIgnoreCase(uri.getScheme());
        if (!tls && !"redis".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("a Redis URI looks like redis://127.0.0.1:6379 (rediss:// for TLS), not " + uri);
        }
        return new HostAndPort(uri.getHost(), uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort());
    }

    static JedisClientConfig config(URI uri, Duration timeout) {
        int millis = Math.toIntExact(timeout.toMillis());
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(millis)
                .socketTimeoutMillis(millis)
                .ssl("rediss".equalsIgnoreCase(uri.getScheme()));
        // Decoded (s%40cret is s@cret); a user name cannot hold ':', so the first one ends it even if the password has more.
        String userInfo = uri.getUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            if (colon > 0) {
                config.user(userInfo.substring(0, colon));
            }
            config.password(colon < 0 ? userInfo : userInfo.substring(colon + 1));
        }
        String path = uri.getPath();
        if (path != null && path.length() > 1) {
            config.database(Integer.parseInt(path.substring(1)));
        }
        return config.build();
    }

    /**
     * Deletes every key that starts with {@code prefix}: SCAN walks the keyspace in steps without blocking
     * the server (unlike KEYS), and each step's keys are deleted before the next.
     *
     * @return how many keys were deleted
     */
    public static long deleteKeysStartingWith(UnifiedJedis redis, String prefix) {
        ScanIteration scan = redis.scanIteration(SCAN_COUNT, globEscape(prefix) + "*");
        long deleted = 0;
        while (!scan.isIterationCompleted()) {
            Collection<String> keys = scan.nextBatchList();
            if (!keys.isEmpty()) {
                deleted += redis.del(keys.toArray(String[]::new));
            }
        }
        return deleted;
    }

    /** {@code prefix} as a SCAN MATCH pattern that matches it literally. */
    static String globEscape(String prefix) {
        StringBuilder b = new StringBuilder(prefix.length() + 8);
        for (char c : prefix.toCharArray()) {
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }
}
