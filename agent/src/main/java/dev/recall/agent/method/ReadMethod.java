package dev.recall.agent.method;

import dev.recall.agent.codec.CodecException;
import dev.recall.agent.codec.ValueCopier;
import dev.recall.agent.config.Durations;
import dev.recall.agent.key.Keys;
import dev.recall.agent.log.Log;
import dev.recall.agent.store.Entry;
import dev.recall.agent.store.Loading;
import dev.recall.agent.store.Region;
import dev.recall.bridge.Bridge;
import dev.recall.bridge.Call;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A method that returns a value, cached as {@code CACHE_ASIDE} (this class) or {@code READ_THROUGH}
 * ({@link ReadThroughMethod}, whose misses coalesce).
 *
 * <p>This is where a cache hit happens: {@link #lookup} (the woven code's first call) or {@link #enter}
 * finds the entry, and the body never runs. A miss goes to {@link Load}, which owns the rest.
 */
public class ReadMethod extends CachedMethod {

    private final boolean singleArgumentKey;
    /** Reads that may cross the network skip the quick look-up, or a miss would pay two round trips. */
    /** Whether the quick look-up can answer without the network (a local store, or a near cache). */
    private final boolean peekable;
    /** READ_THROUGH: one load per key; CACHE_ASIDE: every caller that misses loads. */
    private final boolean coalesce;
    final boolean cacheNulls;
    final long loadWaitNanos;
    /** Returns a {@code CompletableFuture} or {@code CompletionStage}: entries hold its value, hits get a fresh future. */
    final boolean async;
    private static final int CHECKED_FIRST_LOADS = 8;
    private final AtomicLong loadsSeen = new AtomicLong();

    public ReadMethod(MethodSpec spec, Region region) {
        this(spec, region, false);
    }

    ReadMethod(MethodSpec spec, Region region, boolean coalesce) {
        super(spec, region);
        this.singleArgumentKey = spec.arity() == 1 && spec.key().isSingleArgument();
        this.peekable = region.peekable();
        this.coalesce = coalesce;
        MethodSettings.Read settings = (MethodSettings.Read) spec.settings();
        this.cacheNulls = settings.entries().cacheNulls();
        this.loadWaitNanos = settings.loadWait().toNanos();
        this.async = isAsync(spec.returnType());
    }

    /**
     * Whether the load starting now checks that the body leaves its arguments as they were: the first
     * loads, then one in 64. Only loads, so hits cost nothing for it.
     */
    boolean checksArguments() {
        if (spec.arity() == 0) {
            return false;
        }
        long n = loadsSeen.incrementAndGet();
        return n <= CHECKED_FIRST_LOADS || (n & 63) == 0;
    }

    /** The declared return types whose values, not the objects themselves, are cached. */
    static boolean isAsync(String returnType) {
        return "java.util.concurrent.CompletableFuture".equals(returnType) || "java.util.concurrent.CompletionStage".equals(returnType);
    }

    /**
     * What the woven code returns for an entry: its value (the caller's own copy when it is held by value),
     * or for an asynchronous method a fresh completed future of it.
     *
     * @throws CodecException if the caller's copy cannot be made (then the call runs uncached)
     */
    private Object answer(Entry entry) throws CodecException {
        return async(valueFor(entry));
    }

    private Object async(Object cached) {
        return async ? CompletableFuture.completedFuture(Bridge.unwrap(cached)) : cached;
    }

    /** A waiter that runs the method itself rather than wait for another thread's load of its key. */
    void stoppedWaiting(boolean cycle) {
        Log.warnOnce(spec.signature().display() + "|stopped-waiting|" + cycle, cycle
                ? "a call of " + spec.signature() + " ran the method itself instead of waiting for another thread's load of "
                + "the same key, because that load waits (maybe through other threads) for a load of this thread; "
                + "waiting would never end. Further such calls are not logged"
                : "a call of " + spec.signature() + " waited " + Durations.format(java.time.Duration.ofNanos(loadWaitNanos))
                + " (loadWait) for another thread's load of the same key and then ran the method itself; raise loadWait if "
                + "loads take longer. Further such calls are not logged");
    }

    /** The hit path: no miss handling, no failure handling (enter repeats the work and does both). */
    @Override
    public final Object lookup(Object self, Object a0, Object a1, Object[] args) {
        if (!peekable || !enabled()) {
            return null;
        }
        try {
            Region region = regionFor(self);
            if (region == null) {
                return null;
            }
            Entry entry = region.peek(singleArgumentKey ? Keys.of(a0) : keys.key(self, a0, a1, args), this);
            if (entry != null) {
                Object answer = answer(entry);
                stats.hit(entry.loadNanos());
                return answer;
            }
        } catch (Throwable t) {
            // enter() meets the same failure, and counts and reports it
        }
        return null;
    }

    @Override
    public final Object enter(Object self, Object a0, Object a1, Object[] args) {
        if (!enabled()) {
            return null;
        }
        Object key;
        Entry entry;
        Region region;
        try {
            region = regionFor(self);
            if (region == null) {
                return null;
            }
            // The common key, the single argument itself, without a call through the shared (and
            // therefore megamorphic) key function.
            key = singleArgumentKey ? Keys.of(a0) : keys.key(self, a0, a1, args);
            entry = region.get(key, this);
        } catch (Throwable t) {
            failed("computing the key or reading the cache", t);
            return null;
        }
        try {
            if (entry != null) {
                Object answer = answer(entry);
                stats.hit(entry.loadNanos());
                return answer;
            }
            Object pending = region.pendingValue(key);
            if (pending != null) {
                // A write-back of the key not yet made: the system of record still holds the old value.
                stats.hit(0);
                return async(pending == Bridge.NULL || ValueCopier.isImmutable(pending) ? pending : ValueCopier.copy(pending));
            }
            stats.miss();
            Object r = Load.begin(this, region, key, coalesce, a0, a1, args);
            if (r instanceof Load) {
                return r;
            }
            // Another thread's load: its future while it runs (a copy, so no caller can complete it for the
            // others), else its value.
            return r instanceof Loading.InFlight shared ? shared.future().copy() : answer((Entry) r);
        } catch (Throwable t) {
            failed("answering a call", t);
            return null;
        }
    }

    @Override
    public final void exit(Call call, Object returned, Throwable thrown) {
        ((Load) call).end(returned, thrown);
    }
}
