package dev.recall.agent.store.remote;

import java.nio.charset.StandardCharsets;

/**
 * The Lua scripts {@link RedisConnector} and {@link RedisChannel} run: each is one atomic step in Redis where the agent's
 * guarantees need a compare and a change together (a fill only over what its miss saw, a write's end only over its
 * marker, an announcement together with the lease holders it must wait for). Kept apart from the Java that runs them so
 * the server-side half of each protocol reads in one place; the load lock's compare-and-delete stays with the rest of
 * the lock, in {@link LoadLock.OnRedis}. Constants only: shared freely.
 */
final class RedisScripts {

    /**
     * A fill lands only where the key still holds what its miss saw: nothing ({@code ARGV[2] == '0'}), or
     * exactly the bytes {@code ARGV[3]} (a tombstone, an entry expired by its writer's clock, a refused
     * value). Any write or invalidation in between changed the key, so a load that read the database
     * before them can never land after them. A fill that replaces something keeps the key at least as long
     * as that had left, up to the {@link Fence}: so the key is not empty again before a change's fence ends.
     */
    static final byte[] FILL = bytes(
            "local cur = redis.call('get', KEYS[1]) "
            + "if cur == false and ARGV[2] == '0' then redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[4]) return 1 end "
            + "if cur ~= false and ARGV[2] == '1' and cur == ARGV[3] then "
            + "local ttl = tonumber(ARGV[4]) local left = redis.call('pttl', KEYS[1]) "
            + "if left > ttl then ttl = math.min(left, " + Fence.MILLIS + ") end "
            + "redis.call('set', KEYS[1], ARGV[1], 'PX', ttl) return 1 end return 0");
    /** Takes back this JVM's own fill: a tombstone replaces it only if it is still there, byte for byte. */
    static final byte[] TAKE_BACK = bytes(
            "if redis.call('get', KEYS[1]) ~= ARGV[1] then return 0 end "
            + "local set = redis.pcall('set', KEYS[1], ARGV[2], 'PX', ARGV[3]) "
            // A full Redis refuses the tombstone, not the removal.
            + "if type(set) == 'table' and set.err then redis.call('del', KEYS[1]) end return 1");

    /**
     * Announces an invalidation and names the JVMs holding near-cache leases now (Redis' clock), in one atomic
     * step: each of them either receives the message before its next lease begins, or is named here.
     */
    static final String ANNOUNCE =
            "redis.replicate_commands() "
            + "redis.call('publish', ARGV[1], ARGV[2]) "
            + "local t = redis.call('time') "
            + "local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) "
            + "return redis.call('zrangebyscore', KEYS[1], '(' .. now, '+inf')";
    /**
     * Renews this JVM's lease registration and publishes its fence in the same atomic step ({@link Lease}); drops
     * the registrations that have run out.
     */
    static final String RENEW =
            "redis.replicate_commands() "
            + "local t = redis.call('time') "
            + "local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) "
            + "redis.call('zremrangebyscore', KEYS[1], '-inf', now) "
            + "redis.call('zadd', KEYS[1], now + tonumber(ARGV[2]), ARGV[1]) "
            + "redis.call('pexpire', KEYS[1], tonumber(ARGV[2]) * 2) "
            + "redis.call('publish', ARGV[3], ARGV[4]) return 1";

    /**
     * A write-through's end: sets the value only if the key still holds the marker its beginning put there
     * ({@link #markWrite}); anything else there (another writer's marker or value, a tombstone, a fill) came
     * from a change that overlapped this write, and a tombstone replaces it. A full Redis refuses the
     * value and the tombstone, not the removal.
     */
    static final byte[] WRITE_IF_MARKED = bytes(
            "local landed = 0 "
            + "local put = ARGV[4] local ttl = ARGV[5] "
            + "if redis.call('get', KEYS[1]) == ARGV[1] then put = ARGV[2] ttl = ARGV[3] landed = 1 end "
            + "local set = redis.pcall('set', KEYS[1], put, 'PX', ttl) "
            + "if type(set) == 'table' and set.err then redis.call('del', KEYS[1]) return 0 end return landed");

    static final byte[] ZERO = {'0'};
    static final byte[] ONE = {'1'};
    static final byte[] EMPTY = {};

    private RedisScripts() {
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
