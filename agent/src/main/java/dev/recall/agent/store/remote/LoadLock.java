package dev.recall.agent.store.remote;

import dev.recall.agent.log.Log;
import dev.recall.agent.store.Accessor;
import dev.recall.agent.store.Entry;
import dev.recall.agent.store.LoadTurn;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.rubyeye.xmemcached.MemcachedClient;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * {@code READ_THROUGH} across JVMs: one load per key at a time, however many JVMs miss it together.
 *
 * <p>The JVM that takes a short lock in Redis ({@code SET NX PX}, next to the entry's key) loads; the
 * others poll the entry, with a growing pause, until it appears, until the lock is free again (the load
 * failed, or its JVM died and the lock expired: the next JVM takes the turn, and the rest wait for that
 * one), or until one loader has held the lock for {@code lockTimeout} (it is slow: they load for
 * themselves). Redis failing at any
 * point gives the turn to this JVM at once: the lock is an optimisation, never a reason to wait.
 *
 * <p>The whole protocol is here: the waiting above, and the lock's commands on each server ({@link Commands}: {@link
 * OnRedis}, {@link OnMemcached}), which name the holder by a token of its JVM and thread ({@link #token}).
 *
 * <p>Shared by all threads of the store; stateless apart from its settings (so are the commands).
 */
final class LoadLock {

    private static final long FIRST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final long LONGEST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** A lock taken within this of the moment the one before would expire is taken as expired. */
    private static final long EXPIRY_SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final RedisStore store;
    private final RemoteLink redis;
    private final Commands locks;
    private final long timeoutNanos;

    LoadLock(RedisStore store, RemoteLink redis) {
        this.store = store;
        this.redis = redis;
        this.locks = redis.locks();
        this.timeoutNanos = redis.lockTimeout().toNanos();
    }

    /** @param bornAfterNanos only an entry born at or after this ends the wait ({@link Entry#ANY_AGE}: any fresh one) */
    LoadTurn take(String redisKey, Accessor accessor, long bornAfterNanos) {
        String lockKey = redis.keys().lock(redisKey);
        long timeoutMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
        long deadline = System.nanoTime() + timeoutNanos;
        long pause = FIRST_PAUSE_NANOS;
        String holder = null;
        long holderLockEnds = 0;
        try {
            while (true) {
                if (locks.lock(lockKey, timeoutMillis)) {
                    // Another JVM may have stored the entry and let go between our miss and our lock.
                    Entry late = store.read(redisKey, accessor, false, true);
                    if (late != null && late.answers(System.nanoTime(), bornAfterNanos)) {
                        release(lockKey);
                        return LoadTurn.found(late);
                    }
                    if (holder != null && System.nanoTime() - holderLockEnds >= -EXPIRY_SLACK_NANOS) {
                        // The lock we waited on expired rather than being let go: its load outlived it.
                        waitedInVain(accessor);
                    }
                    // Otherwise nothing to say: the load before ours failed, or its fill lost to a write
                    // made meanwhile (which then left no entry); either way this JVM loads now.
                    return new Held(lockKey);
                }
                String now = locks.holder(lockKey);
                if (now != null && !now.equals(holder)) {
                    // A new loader: the one we waited for died (its lock expired) or failed, and another
                    // JVM took the turn. Wait for that one as long as for the first, rather than all load.
                    holder = now;
                    deadline = System.nanoTime() + timeoutNanos;
                    holderLockEnds = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, locks.remainingMillis(lockKey)));
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    waitedInVain(accessor);
                    return LoadTurn.MINE;
                }
                TimeUnit.NANOSECONDS.sleep(Math.min(pause, left));
                pause = Math.min(pause * 2, LONGEST_PAUSE_NANOS);
                Entry loaded = store.read(redisKey, accessor, false, true);
                if (loaded != null && loaded.answers(System.nanoTime(), bornAfterNanos)) {
                    return LoadTurn.found(loaded);
                }
            }
        } catch (Unavailable e) {
            accessor.remote().remoteError();
            return LoadTurn.MINE;
        } catch (InterruptedException e) {
            // Keep the interrupt for the application, and load rather than fail its call.
            Thread.currentThread().interrupt();
            return LoadTurn.MINE;
        }
    }

    private void waitedInVain(Accessor accessor) {
        Log.warnOnce("redis-lock-timeout|" + accessor.signature(), redis.name() + " store: a call of " + accessor.signature() + " waited for "
                + "another JVM's load of the same key, which stored nothing within " + redis.kind().configName() + ".lockTimeout ("
                + redis.lockTimeout().toMillis() + " ms), and loads it itself; if loads of this method take longer, "
                + "raise " + redis.kind().configName() + ".lockTimeout");
    }

    private void release(String lockKey) {
        try {
            locks.unlock(lockKey);
        } catch (Unavailable e) {
            // It expires by itself; meanwhile other JVMs only wait for the entry a little longer.
        }
    }

    /** The lock this thread holds while it loads. */
    private final class Held implements LoadTurn {
        private final String lockKey;

        Held(String lockKey) {
            this.lockKey = lockKey;
        }

        @Override
        public Entry loaded() {
            return null;
        }

        @Override
        public void release() {
            LoadLock.this.release(lockKey);
        }
    }

    /** The lock's commands on one kind of server; each may throw {@link Unavailable}. Thread-safe. */
    interface Commands {

        /** @return whether this thread now holds {@code lockKey}, for {@code ttlMillis} at most */
        boolean lock(String lockKey, long ttlMillis);

        /** Who holds {@code lockKey} now (a JVM and thread), or {@code null}. */
        String holder(String lockKey);

        /** How long {@code lockKey} has left to live, in ms (negative: it is gone, or has no expiry). */
        long remainingMillis(String lockKey);

        /** Releases {@code lockKey} if this thread still holds it (it may have expired and been taken by another). */
        void unlock(String lockKey);
    }

    /** Names the holder of a lock: this JVM and the thread whose load it guards (exit runs on enter's thread). */
    static String token(String nodeId) {
        return nodeId + ':' + Thread.currentThread().getId();
    }

    /** The lock in Redis: {@code SET NX PX}, and a compare-and-delete to release it. */
    static final class OnRedis implements Commands {

        /** Compare and delete, so a lock that expired and was taken by another node is left to its holder. */
        private static final String UNLOCK =
                "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

        private final RemoteOutage<UnifiedJedis> redis;
        private final String nodeId;

        OnRedis(RemoteOutage<UnifiedJedis> redis, String nodeId) {
            this.redis = redis;
            this.nodeId = nodeId;
        }

        @Override
        public boolean lock(String lockKey, long ttlMillis) {
            return "OK".equals(redis.read(c -> c.set(lockKey, token(nodeId), SetParams.setParams().nx().px(Math.max(1, ttlMillis)))));
        }

        @Override
        public String holder(String lockKey) {
            return redis.read(c -> c.get(lockKey));
        }

        @Override
        public long remainingMillis(String lockKey) {
            return redis.read(c -> c.pttl(lockKey));
        }

        @Override
        public void unlock(String lockKey) {
            redis.read(c -> c.eval(UNLOCK, List.of(lockKey), List.of(token(nodeId))));
        }
    }

    /**
     * The lock in Memcached: an {@code add} with an expiry, the expiry also written into the token (Memcached does not
     * say how long a key has left).
     */
    static final class OnMemcached implements Commands {

        private final RemoteOutage<MemcachedClient> memcached;
        private final String nodeId;
        private final long timeoutMillis;

        OnMemcached(RemoteOutage<MemcachedClient> memcached, String nodeId, long timeoutMillis) {
            this.memcached = memcached;
            this.nodeId = nodeId;
            this.timeoutMillis = timeoutMillis;
        }

        @Override
        public boolean lock(String lockKey, long ttlMillis) {
            long ttl = Math.max(1, ttlMillis);
            String token = token(nodeId) + ':' + (System.currentTimeMillis() + ttl);
            return memcached.read(c -> c.add(MemcachedConnector.wire(lockKey), MemcachedConnector.seconds(ttl),
                    token.getBytes(StandardCharsets.UTF_8), MemcachedClients.Bytes.INSTANCE, timeoutMillis));
        }

        @Override
        public String holder(String lockKey) {
            byte[] raw = memcached.read(c -> c.get(MemcachedConnector.wire(lockKey), timeoutMillis, MemcachedClients.Bytes.INSTANCE));
            return raw == null || raw.length == 0 ? null : new String(raw, StandardCharsets.UTF_8);
        }

        /** From the expiry the holder wrote into its token. */
        @Override
        public long remainingMillis(String lockKey) {
            String holder = holder(lockKey);
            if (holder == null) {
                return -1;
            }
            try {
                return Long.parseLong(holder.substring(holder.lastIndexOf(':') + 1)) - System.currentTimeMillis();
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        /**
         * Releases the lock if this thread still holds it. Memcached has no compare-and-delete, so the check and the
         * delete are two commands: the lock could expire and be taken by another JVM between them only if this load
         * outlived {@code lockTimeout} by less than one round trip, and then that JVM's load merely runs beside a third.
         */
        @Override
        public void unlock(String lockKey) {
            String k = MemcachedConnector.wire(lockKey);
            String mine = token(nodeId) + ':';
            memcached.read(c -> {
                byte[] raw = c.get(k, timeoutMillis, MemcachedClients.Bytes.INSTANCE);
                return raw != null && new String(raw, StandardCharsets.UTF_8).startsWith(mine) && c.delete(k, timeoutMillis);
            });
        }
    }
}
