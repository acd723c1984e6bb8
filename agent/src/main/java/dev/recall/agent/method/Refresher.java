package dev.recall.agent.method;

import dev.recall.agent.codec.CodecException;
import dev.recall.agent.log.Log;
import dev.recall.agent.store.Entry;
import dev.recall.agent.store.Region;
import java.lang.reflect.Method;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The reloads of one {@link ReadMethod}'s entries on the agent's threads ({@link Reloads}): refresh-ahead (a hit
 * on an entry older than {@code refresh} schedules its reload and returns at once) and the reload of an entry past
 * its TTL within {@code staleIfError} (its callers wait for it, and get the stale value if it fails). One reload
 * per key at a time, however many callers ask; a failed one is retried no sooner than a second later.
 *
 * <p>Shared by every thread that calls the method: the reloads under way are a concurrent map, the method the
 * agent calls is resolved racily (every thread resolves the same) into a volatile field.
 */
final class Refresher {

    private static final int MAX_RELOADS = 4096;
    private static final long RETRY_PAUSE_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long ERROR_LOG_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final ReadMethod method;
    /** The age past which a hit reloads its entry in the background; 0: never. */
    private final long refreshNanos;
    /** How long a caller that has a stale value waits for its reload. */
    final long staleWaitNanos;
    /** The reloads under way or failed lately, one per key (and receiver region). */
    private final ConcurrentHashMap<ReloadKey, Reload> reloading = new ConcurrentHashMap<>();
    private final AtomicLong nextErrorLog = new AtomicLong(Long.MIN_VALUE);
    private volatile Method reloadTarget;
    /** Set once the method proved impossible to call from the agent: refresh and stale values are off. */
    private volatile boolean unreloadable;

    private record ReloadKey(Region region, Object key) {
    }

    Refresher(ReadMethod method, long refreshNanos, long staleWaitNanos) {
        this.method = method;
        this.refreshNanos = refreshNanos;
        this.staleWaitNanos = staleWaitNanos;
    }

    /**
     * The reload of {@code key} under way, or a new one started for this call's receiver and arguments;
     * {@code null} when none can run (the method cannot be called from the agent, too many reloads, the queue
     * is full). A failed reload is retried no sooner than a second later.
     */
    Reload reloadOf(Region region, Object key, Entry old, Object self, Object a0, Object a1, Object[] args, long now,
                            boolean ahead) {
        if (unreloadable) {
            return null;
        }
        ReloadKey k = new ReloadKey(region, key);
        Reload running = reloading.get(k);
        if (running != null && !running.replaceable(now, RETRY_PAUSE_NANOS)) {
            // Under way: join it. Failed a moment ago: its outcome stands (a stale caller is served at once).
            return running;
        }
        if (running == null && reloading.size() >= MAX_RELOADS) {
            // Failed reloads of keys nobody read again: they hold a receiver and arguments each.
            reloading.values().removeIf(r -> r.replaceable(now, RETRY_PAUSE_NANOS));
            if (reloading.size() >= MAX_RELOADS) {
                return null;
            }
        }
        if (reloadTarget() == null) {
            return null;
        }
        Object heldKey;
        try {
            heldKey = HeldKeys.held(key);
        } catch (CodecException e) {
            return null;
        }
        // What counts as newer than the entry being reloaded: for a refresh, one born half a period after it
        // (another JVM's refresh of the same entry; the entry itself read back from Redis has a birth rebuilt
        // from a wall-clock millisecond, a hair off); for a stale entry, any fresh one.
        long newer = ahead ? Math.max(1, refreshNanos / 2) : 1;
        Reload mine = new Reload(method, region, heldKey, self, MethodTarget.arguments(method.spec.arity(), a0, a1, args),
                old.bornNanos() + newer, ahead);
        if (running == null ? reloading.putIfAbsent(k, mine) != null : !reloading.replace(k, running, mine)) {
            Reload other = reloading.get(k);
            return other == null || other.done() ? null : other;
        }
        if (!Reloads.SHARED.submit(mine)) {
            reloading.remove(k, mine);
            mine.refused();
            if (ahead) {
                method.stats.refreshFailed();
            }
            Log.warnOnce(method.spec.signature().display() + "|reload-queue", "the agent's reload queue is full (" + Reloads.QUEUE
                    + " reloads waiting for " + Reloads.THREADS + " threads); a refresh of " + method.spec.signature()
                    + " was skipped, or a caller with a stale value loaded for itself. Slow loads are piling up");
            return null;
        }
        return mine;
    }

    /**
     * The woven call a reload thread makes: it loads (another thread's or JVM's load of a newer value answers it
     * instead) and stores as any load does, so a write or eviction made meanwhile wins.
     */
    Object call(Reload reload, Object self, Object a0, Object a1, Object[] args) {
        try {
            Region region = method.regionFor(self);
            if (region == null) {
                return null;
            }
            Object key = method.keyOf(self, a0, a1, args);
            Object pending = region.pendingValue(key);
            if (pending != null) {
                // A write-back of the key not yet made: the system of record is behind the entry, so a reload
                // would put the old value back. Nothing is reloaded; its waiters find the pending value.
                return pending;
            }
            Object r = Load.begin(method, region, key, method.coalesce, self, a0, a1, args, reload.bornAfterNanos);
            if (r instanceof Load load) {
                reload.load = load;
                return load;
            }
            if (r instanceof Entry entry) {
                reload.answer = entry;
                return method.answer(entry);
            }
            return null;
        } catch (Throwable t) {
            method.failed("reloading an entry", t);
            return null;
        }
    }

    /** Called by the reload thread once a reload has ended: counts it, and lets the key be reloaded again. */
    void reloaded(Reload reload, Entry made, Throwable thrown) {
        ReloadKey k = new ReloadKey(reload.region, reload.key);
        if (thrown == null) {
            reloading.remove(k, reload);
        }
        if (reload.ahead) {
            if (thrown == null && made != null) {
                method.stats.refreshed();
            } else if (thrown != null) {
                method.stats.refreshFailed();
            }
        }
        if (thrown != null) {
            loadFailedBehindCache(reload.ahead, thrown);
        }
    }

    /** A reload's exception, which no caller sees: said at most once a minute per method. */
    private void loadFailedBehindCache(boolean ahead, Throwable thrown) {
        long now = System.nanoTime();
        long next = nextErrorLog.get();
        if ((next == Long.MIN_VALUE || now - next >= 0) && nextErrorLog.compareAndSet(next, now + ERROR_LOG_NANOS)) {
            Log.warn((ahead ? "a refresh-ahead reload of " : "a reload of a stale entry of ") + method.spec.signature() + " threw "
                    + thrown + "; callers " + (ahead ? "keep the current value until it expires" : "get the last value "
                    + "while it is within staleIfError") + " (counted in " + (ahead ? "RefreshFailureCount" : "StaleServedCount")
                    + "; said at most once a minute)");
        }
    }

    /** The method itself, for reloads; {@code null} (said once, reloads off) if the agent cannot call it. */
    Method reloadTarget() {
        Method m = reloadTarget;
        if (m == null && !unreloadable) {
            try {
                Class<?> type = Class.forName(method.spec.signature().className(), false, method.loader());
                m = MethodTarget.resolve(type, method.spec.signature());
                reloadTarget = m;
            } catch (Throwable t) {
                unreloadable = true;
                Log.warnOnce(method.spec.signature().display() + "|unreloadable", method.spec.signature() + ": refresh and staleIfError need "
                        + "the agent to call the method itself, which it cannot (" + t + "); its entries expire at their ttl");
            }
        }
        return m;
    }
}
