package dev.recall.agent.store.remote;

import dev.recall.agent.log.Log;
import dev.recall.agent.store.Accessor;
import dev.recall.agent.store.Entry;
import dev.recall.agent.store.LoadTurn;
import java.util.concurrent.TimeUnit;

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
 * <p>Shared by all threads of the store; stateless apart from its settings.
 */
final class LoadLock {

    private static final long FIRST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    private static final long LONGEST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** A lock taken within this of the moment the one before would expire is taken as expired. */
    private static final long EXPIRY_SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final RedisStore store;
    private final RemoteLink redis;
    private final long timeoutNanos;

    LoadLock(RedisStore store, RemoteLink redis) {
        this.store = store;
        this.redis = redis;
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
                if (redis.lock(lockKey, timeoutMillis)) {
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
                String now = redis.lockHolder(lockKey);
                if (now != null && !now.equals(holder)) {
                    // A new loader: the one we waited for died (its lock expired) or failed, and another
                    // JVM took the turn. Wait for that one as long as for the first, rather than all load.
                    holder = now;
                    deadline = System.nanoTime() + timeoutNanos;
                    holderLockEnds = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, redis.lockRemainingMillis(lockKey)));
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
            redis.unlock(lockKey);
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
}
