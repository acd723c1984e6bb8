package dev.recall.agent.method;

import dev.recall.agent.key.Keys;
import dev.recall.agent.store.Entry;
import dev.recall.agent.store.LoadTurn;
import dev.recall.agent.store.Region;
import dev.recall.bridge.Bridge;
import dev.recall.bridge.Call;

/**
 * A method that returns a value, cached as {@code CACHE_ASIDE}: look up; on a miss the caller runs the
 * method and stores the result. {@link ReadThroughMethod} adds per-key coalescing of misses.
 *
 * <p>This is where a cache hit happens: {@link #enter} finds the entry and the body never runs.
 */
public class ReadMethod extends CachedMethod {

    private final boolean singleArgumentKey;
    /** Reads that may cross the network skip the quick look-up, or a miss would pay two round trips. */
    private final boolean remote;

    public ReadMethod(MethodSpec spec, Region region) {
        super(spec, region);
        this.singleArgumentKey = spec.arity() == 1 && spec.key().isSingleArgument();
        this.remote = region.remote();
    }

    /** The hit path: no miss handling, no failure handling (enter repeats the work and does both). */
    @Override
    public final Object lookup(Object a0, Object a1, Object[] args) {
        if (remote || !enabled()) {
            return null;
        }
        try {
            Entry entry = region.get(singleArgumentKey ? Keys.of(a0) : keys.key(a0, a1, args), this);
            if (entry != null) {
                stats.hit(entry.loadNanos());
                return entry.value();
            }
        } catch (Throwable t) {
            // enter() meets the same failure, and counts and reports it
        }
        return null;
    }

    @Override
    public final Object enter(Object a0, Object a1, Object[] args) {
        if (!enabled()) {
            return null;
        }
        Object key;
        Entry entry;
        try {
            // The common key, the single argument itself, without a call through the shared (and
            // therefore megamorphic) key function.
            key = singleArgumentKey ? Keys.of(a0) : keys.key(a0, a1, args);
            entry = region.get(key, this);
        } catch (Throwable t) {
            failed("computing the key or reading the cache", t);
            return null;
        }
        if (entry != null) {
            stats.hit(entry.loadNanos());
            return entry.value();
        }
        try {
            Object pending = region.pendingValue(key);
            if (pending != null) {
                // A write-back of the key not yet made: the system of record still holds the old value.
                stats.hit(0);
                return pending;
            }
            return miss(key);
        } catch (Throwable t) {
            failed("handling a miss", t);
            return null;
        }
    }

    /** @return a {@link ReadCall} to run the body, or a value (another thread's load) to return */
    protected Object miss(Object key) {
        stats.miss();
        return new ReadCall(key, region.stamp(key), null, LoadTurn.MINE);
    }

    @Override
    public final void exit(Call call, Object returned, Throwable thrown) {
        ReadCall c = (ReadCall) call;
        long now = System.nanoTime();
        long took = now - c.startNanos;
        Entry entry = null;
        try {
            if (thrown != null) {
                stats.loadFailure(took);
                return;
            }
            stats.load(took);
            entry = new Entry(returned == null ? Bridge.NULL : returned, took, now + ttlNanos);
            if (returned != null || spec.cacheNulls()) {
                region.putIfUnchanged(c.key, entry, c.stamp, this);
            }
        } catch (Throwable t) {
            failed("storing a result", t);
        } finally {
            // Other JVMs' waiters find the stored entry the moment the turn is released, so release after storing.
            try {
                c.turn.release();
            } catch (Throwable t) {
                failed("releasing the load of a key", t);
            }
            if (c.loading != null) {
                region.finishLoad(c.key, c.loading, entry);
            }
        }
    }
}
