package dev.recall.agent.store.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.agent.config.RedisSettings;
import dev.recall.agent.config.RemoteSettings;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;

/**
 * The {@link Fence} as Redis holds it, and the first connection, against a real Redis ({@code REDIS_URL},
 * default {@code redis://127.0.0.1:6379}; skipped if none answers). The whole race, two JVMs and a paused load,
 * is {@code RedisStoreIT.aLoadPausedPastANewerWritesTtlDoesNotStoreItsOlderValue}; here, the commands that make it.
 */
class FenceTest {

    private static final String PREFIX = "recall-unit-fence-" + UUID.randomUUID().toString().substring(0, 8) + ":";
    private static JedisPooled jedis;
    private static RedisConnector redis;

    @BeforeAll
    static void connect() {
        URI uri = URI.create(System.getenv().getOrDefault("REDIS_URL", "redis://127.0.0.1:6379"));
        try {
            jedis = new JedisPooled(new HostAndPort(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort()));
            jedis.ping();
        } catch (RuntimeException e) {
            Assumptions.abort("no Redis at " + uri + ": " + e);
        }
        redis = new RedisConnector(new RedisSettings(uri.toString(), List.of(), null, new RemoteSettings(Duration.ofMillis(200),
                Duration.ofSeconds(2), PREFIX, List.of("fence-test-secret"), List.of(), false, RedisSettings.DEFAULT_MAX_VALUE_SIZE, null), "test"));
        redis.start();
    }

    @AfterAll
    static void clean() {
        if (jedis != null) {
            jedis.keys(PREFIX + "*").forEach(jedis::del);
            jedis.close();
        }
    }

    /** Issue 26: the very first use, made as the connector starts, waits for the connection instead of skipping Redis. */
    @Test
    void theFirstCallWaitsForTheFirstConnection() {
        RedisConnector fresh = new RedisConnector(redis.settings());
        fresh.start();
        long start = System.nanoTime();
        assertTrue(fresh.readable(), "a call made as the connector started found Redis usable");
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(1).toNanos(), "within the connect timeout");
        assertEquals(RedisState.UP, fresh.outage().state());
    }

    @Test
    void aWriteWithAShortTtlKeepsItsKeyForTheFence() {
        String key = PREFIX + "products:short-write";
        assertTrue(redis.readable());
        byte[] marker = redis.markWrite(key);
        assertNotNull(marker);
        assertTrue(redis.write("products", key, marker, bytes("written"), 3_000));
        assertTrue(jedis.pttl(key) > Fence.MILLIS - 2_000, "kept for the fence, not the 3 s TTL: " + jedis.pttl(key));
        assertFalse(redis.put(key, bytes("loaded-before-the-write"), 300_000, null),
                "a fill whose miss saw the key empty, before the write, does not land on it");
        assertEquals("written", new String(jedis.get(bytes(key)), StandardCharsets.UTF_8));
    }

    @Test
    void aFillReplacingAFencedValueKeepsTheRestOfTheFence() {
        String key = PREFIX + "products:refill";
        redis.write("products", key, null, bytes("written"), 1_000);
        assertTrue(redis.put(key, bytes("reloaded"), 2_000, bytes("written")), "a fill whose miss saw the written value lands");
        assertTrue(jedis.pttl(key) > Fence.MILLIS - 2_000, "and the key is not empty before the fence ends: " + jedis.pttl(key));
        assertFalse(redis.put(key, bytes("loaded-before-the-write"), 300_000, null));
    }

    @Test
    void aFillOnAnEmptyKeyLivesItsOwnTtl() {
        String key = PREFIX + "products:plain";
        assertTrue(redis.put(key, bytes("loaded"), 2_000, null));
        long left = jedis.pttl(key);
        assertTrue(left > 0 && left <= 2_000, "no fence where nothing changed: " + left);
        assertTrue(redis.put(key, bytes("reloaded"), 5_000, bytes("loaded")));
        left = jedis.pttl(key);
        assertTrue(left > 2_000 && left <= 5_000, "a longer TTL of its own wins: " + left);
    }

    @Test
    void aMissRemembersWhenItWasSeen() {
        long before = System.nanoTime();
        MissesSeen.saw(PREFIX + "k", null, 3);
        MissesSeen.Seen seen = MissesSeen.take(PREFIX + "k");
        assertNotNull(seen);
        assertTrue(seen.raw() == MissesSeen.NOTHING);
        assertTrue(seen.atNanos() - before >= 0 && System.nanoTime() - seen.atNanos() >= 0);
        assertEquals(null, MissesSeen.take(PREFIX + "k"), "taken once");
    }

    /** A fill that finds no miss of its own, where this thread missed in the region before a whole-region invalidation. */
    @Test
    void aMissUnderAnOlderGenerationOfTheRegionIsFound() {
        String region = PREFIX + "a:region:";
        MissesSeen.saw(region + "oldName", null, 3);
        MissesSeen.saw(PREFIX + "a:other:" + "x", null, 1);
        assertFalse(MissesSeen.missedBefore(region + "newName", 3), "same generation: a miss of another key says nothing");
        assertFalse(MissesSeen.missedBefore(PREFIX + "a:" + "newName", 4), "another region (a prefix of this one's name)");
        assertTrue(MissesSeen.missedBefore(region + "newName", 4), "the region's generation moved since the miss");
        assertFalse(MissesSeen.missedBefore(region + "newName", 4), "and it is forgotten once found");
        assertNotNull(MissesSeen.take(PREFIX + "a:other:" + "x"), "other regions' misses stay");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
