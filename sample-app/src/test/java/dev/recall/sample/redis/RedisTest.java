package dev.recall.sample.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * What the demo adds to Jedis: reading a {@code --redis} URI as the agent does, and deleting a run's keys
 * (against the Redis server of {@code REDIS_URL}).
 */
class RedisTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Test
    void readsTheUriAsTheAgentDoes() {
        URI full = URI.create("rediss://demo:s%40cret:x@cache.example:6380/2");
        JedisClientConfig c = Redis.config(full, TIMEOUT);
        assertEquals("demo", c.getUser());
        assertEquals("s@cret:x", c.getPassword(), "decoded, and only the first ':' ends the user");
        assertEquals(2, c.getDatabase());
        assertTrue(c.isSsl());
        assertEquals(5000, c.getSocketTimeoutMillis());
        assertEquals(5000, c.getConnectionTimeoutMillis());
        assertEquals("cache.example", Redis.hostAndPort(full).getHost());
        assertEquals(6380, Redis.hostAndPort(full).getPort());

        JedisClientConfig passwordOnly = Redis.config(URI.create("redis://hunter2@127.0.0.1"), TIMEOUT);
        assertNull(passwordOnly.getUser());
        assertEquals("hunter2", passwordOnly.getPassword());
        assertEquals(0, passwordOnly.getDatabase());
        assertFalse(passwordOnly.isSsl());
        assertEquals(6379, Redis.hostAndPort(URI.create("redis://hunter2@127.0.0.1")).getPort());
        assertEquals("pw", Redis.config(URI.create("redis://:pw@127.0.0.1:6379"), TIMEOUT).getPassword());

        assertThrows(IllegalArgumentException.class, () -> Redis.connect(URI.create("http://127.0.0.1:6379"), TIMEOUT));
        assertThrows(IllegalArgumentException.class, () -> Redis.connect(URI.create("redis:127.0.0.1"), TIMEOUT));
    }

    @Test
    void prefixesMatchLiterally() {
        assertEquals("recall-demo-1f:", Redis.globEscape("recall-demo-1f:"));
        assertEquals("a\\*b\\?c\\[d\\]e\\\\", Redis.globEscape("a*b?c[d]e\\"));
    }

    @Test
    void deletesEveryKeyUnderThePrefixAndNoOther() {
        // Glob characters in the prefix: a pattern that did not escape them would match the neighbours too.
        String prefix = "recall-test-" + UUID.randomUUID().toString().substring(0, 8) + "-[a]*:";
        String neighbour = prefix.replace("-[a]*:", "-a:");
        try (RedisClient redis = Redis.connect(redisUri(), TIMEOUT)) {
            List<String> keys = new ArrayList<>();
            // More than one SCAN step's worth, so the walk goes on past its first batch.
            for (int i = 0; i < 1_200; i++) {
                keys.add(prefix + i);
            }
            try {
                for (String key : keys) {
                    redis.set(key, "v");
                }
                redis.set(neighbour + "1", "keep");
                assertEquals(1_200, Redis.deleteKeysStartingWith(redis, prefix));
                assertEquals(0, redis.exists(keys.toArray(String[]::new)));
                assertEquals("keep", redis.get(neighbour + "1"), "a key outside the prefix stays");
                assertEquals(0, Redis.deleteKeysStartingWith(redis, prefix), "nothing left to delete");
            } finally {
                redis.del(keys.toArray(String[]::new));
                redis.del(neighbour + "1");
            }
        }
    }

    @Test
    void aServerThatIsNotThereFailsTheFirstCommand() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        try (RedisClient redis = Redis.connect(URI.create("redis://127.0.0.1:" + port), Duration.ofSeconds(1))) {
            assertThrows(JedisConnectionException.class, redis::ping);
        }
    }

    /** {@code REDIS_URL}; without it the test is skipped, or fails under {@code RECALL_REQUIRE_SERVICES=true} (as in CI). */
    private static URI redisUri() {
        String url = System.getenv("REDIS_URL");
        if (url == null || url.isBlank()) {
            String why = "RedisTest needs a Redis server: set REDIS_URL (for example REDIS_URL=redis://127.0.0.1:6379)";
            if ("true".equals(System.getenv("RECALL_REQUIRE_SERVICES"))) {
                fail(why);
            }
            Assumptions.abort(why);
        }
        return URI.create(url.trim());
    }
}
