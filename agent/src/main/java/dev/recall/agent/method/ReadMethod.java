package dev.recall.agent.method;

import dev.recall.agent.codec.CodecException;
import dev.recall.agent.codec.ValueCopier;
import dev.recall.agent.config.Durations;
import dev.recall.agent.key.Keys;
import dev.recall.agent.log.Log;
import dev.recall.agent.metrics.Jfr;
import dev.recall.agent.store.CoarseClock;
import dev.recall.agent.store.Entry;
import dev.recall.agent.store.Headroom;
import dev.recall.agent.store.Loading;
import dev.recall.agent.store.Region;
import dev.recall.bridge.Bridge;
import dev.recall.bridge.Call;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A method that returns a value, cached as {@code CACHE_ASIDE} (this class) or {@code READ_THROUGH}
 * ({@link ReadThroughMethod}, whose misses coalesce).
 *
 * <p>This is where a cache hit happens: {@link #lookup} (the woven code's first call) or {@link #enter}
 * finds the entry, and the body never runs ({@link #hit}, the one routine both use). A miss goes to {@link Load},
 * which owns the rest; reloads of entries (refresh-ahead, {@code staleIfError}) to the {@link Refresher}.
 */
public class ReadMethod extends CachedMethod {

    private final boolean singleArgumentKey;
    /**
     * Whether the quick look-up can answer without the network (a local store, or a near cache): reads that may
     * cross the network skip it, or a miss would pay two round trips.
     */
    private final boolean peekable;
    /** READ_THROUGH: one load per key; CACHE_ASIDE: every caller that misses loads. */
    final boolean coalesce;
    final boolean cacheNulls;
    final long loadWaitNanos;
    /** Returns a {@code CompletableFuture} or {@code CompletionStage}: entries hold its value, hits get a fresh future. */
    final boolean async;
    private static final int CHECKED_FIRST_LOADS = 8;
    /** The number of parameters, read on each load: a field of its own rather than through the spec. */
    final int arity;
    private final AtomicLong loadsSeen = new AtomicLong();
    /** The age past which a hit reloads its entry in the background; 0: never. */
    private final long refreshNanos;
    /** Whether entries may be reloaded on the agent's threads: refresh-ahead, or stale values served on failure. */
    private final boolean reloads;
    /**
     * Whether a hit compares its entry's own deadline (jitter, a null's TTL, a stale window) or its age (refresh)
     * with the {@link CoarseClock}: the store expires entries only at the longest life they can have.
     */
    private final boolean timed;
    /** The reloads of the method's entries: refresh-ahead and stale entries'; only when {@link #reloads}, else {@code null}. */
    final Refresher refresher;
    /** {@code verify:} a share of hits also runs the method; {@code null} when none does, so a hit pays one field read. */
    private final Verifier verifier;
    /** Whether a call of this method on some thread may be the agent's own (a reload, a verification): looked for only then. */
    private final boolean bypassable;

    public ReadMethod(MethodSpec spec, Region region) {
        this(spec, region, false);
    }

    ReadMethod(MethodSpec spec, Region region, boolean coalesce) {
        super(spec, region);
        this.arity = spec.arity();
        this.singleArgumentKey = arity == 1 && spec.key().isSingleArgument();
        this.peekable = region.peekable();
        this.coalesce = coalesce;
        MethodSettings.Read settings = (MethodSettings.Read) spec.settings();
        this.cacheNulls = settings.entries().cacheNulls();
        this.loadWaitNanos = settings.loadWait().toNanos();
        this.async = spec.returnType().kind() == ReturnType.Kind.FUTURE;
        long refresh = settings.refresh() == null ? 0 : settings.refresh().toNanos();
        boolean wanted = refresh > 0 || !settings.entries().freshness().staleIfError().isZero();
        this.reloads = wanted && !async;
        // A method returning a future has no refresher (said once below): its hits never ask for a reload.
        this.refreshNanos = reloads ? refresh : 0;
        this.timed = settings.entries().timed() || refreshNanos > 0;
        if (timed) {
            CoarseClock.start();
        }
        this.verifier = settings.verify() > 0 && !async ? new Verifier(this, settings.verify()) : null;
        this.bypassable = reloads || verifier != null;
        Duration wait = settings.loadTimeout() != null ? settings.loadTimeout() : settings.loadWait();
        this.refresher = reloads ? new Refresher(this, refreshNanos, wait.toNanos()) : null;
        if (wanted && async) {
            Log.warnOnce(spec.signature().display() + "|async-refresh", spec.signature() + " returns a future: refresh and "
                    + "staleIfError are not applied to it (its entries expire at their ttl); cache a method that returns "
                    + "the value itself to have them");
        }
    }

    /**
     * Whether the load starting now checks that the body leaves its arguments as they were: the first
     * loads, then one in 64. Only loads, so hits cost nothing for it.
     */
    boolean checksArguments() {
        if (arity == 0) {
            return false;
        }
        long n = loadsSeen.incrementAndGet();
        return n <= CHECKED_FIRST_LOADS || (n & 63) == 0;
    }

    /**
     * What the woven code returns for an entry: its value (the caller's own copy when it is held by value),
     * or for an asynchronous method a fresh completed future of it.
     *
     * @throws CodecException if the caller's copy cannot be made (then the call runs uncached)
     */
    Object answer(Entry entry) throws CodecException {
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
                : "a call of " + spec.signature() + " waited " + Durations.format(Duration.ofNanos(loadWaitNanos))
                + " (loadWait) for another thread's load of the same key and then ran the method itself; raise loadWait if "
                + "loads take longer. Further such calls are not logged");
    }

    /** Whether this call is the agent's own (a reload, a verification), which must not be answered from the cache. */
    private boolean bypassed() {
        return reloads && Reloads.reloading(this) || Verifier.running(this);
    }

    /** {@code verify:}: on its share of hits, runs the method and compares; out of line, so the hit path stays small. */
    private void verifyMaybe(Object key, Entry entry, Object self, Object a0, Object a1, Object[] args) {
        if (verifier.due()) {
            verifier.verify(key, entry, self, a0, a1, args);
        }
    }

    /** {@link #hit}: the entry is past its deadline; {@code enter} reloads it, serves it stale, or loads. */
    private static final Object STALE = new Object();
    /** {@link #hit}: the entry lacks lazy parts this caller's session could load; the method runs. */
    private static final Object UNLOADED = new Object();

    /**
     * The hit routine, the one {@link #lookup} and {@link #enter} share: what {@code entry} answers this call
     * with, counted as a hit; or {@link #STALE} or {@link #UNLOADED} when it does not answer.
     *
     * @throws CodecException if the caller's copy cannot be made (then the call runs uncached)
     */
    private Object hit(Region region, Object key, Entry entry, Object self, Object a0, Object a1, Object[] args)
            throws CodecException {
        if (unloadedInSession(entry)) {
            return UNLOADED;
        }
        if (timed || region.holdsStale()) {
            long now = CoarseClock.now();
            if (entry.stale(now)) {
                return STALE;
            }
            if (refreshNanos != 0 && now - entry.bornNanos() >= refreshNanos) {
                refreshAhead(region, key, entry, self, a0, a1, args, now);
            }
        }
        Object answer = answer(entry);
        stats.hit(entry.loadNanos());
        if (verifier != null) {
            verifyMaybe(key, entry, self, a0, a1, args);
        }
        return answer;
    }

    /**
     * The key of a call; the common one, the single argument itself, without a call through the shared (and
     * therefore megamorphic) key function. A method's site overrides this with a direct call of its key function,
     * its class a constant ({@link CompiledSites}); this one serves where that class could not be made.
     */
    Object keyOf(Object self, Object a0, Object a1, Object[] args) {
        return singleArgumentKey ? Keys.of(a0) : keys.key(self, a0, a1, args);
    }

    /**
     * The hit path: no miss handling, no failure handling. What it learnt on a miss (the key, and on a store in
     * the JVM the entry or its absence) it leaves to the {@link #enter} that follows ({@link Looked}); on a
     * failure it leaves nothing, and enter repeats the work and reports it.
     */
    @Override
    public final Object lookup(Object self, Object a0, Object a1, Object[] args) {
        if (!peekable || !enabled() || bypassable && bypassed() || inWriteTransaction()) {
            return null;
        }
        try {
            Region region = regionFor(self);
            if (region == null) {
                return null;
            }
            Object key = keyOf(self, a0, a1, args);
            Entry entry = region.peek(key, this);
            if (entry != null) {
                Object answer = hit(region, key, entry, self, a0, a1, args);
                if (answer != STALE && answer != UNLOADED) {
                    return answer;
                }
            }
            Looked.leave(this, self, a0, a1, args, region, key, entry, !region.remote());
        } catch (Throwable t) {
            // enter() meets the same failure, and counts and reports it
        }
        return null;
    }

    @Override
    public final Object enter(Object self, Object a0, Object a1, Object[] args) {
        Looked looked = peekable ? Looked.take(this, self, a0, a1, args) : null;
        if (!enabled() || verifier != null && Verifier.claim(this)) {
            return null;
        }
        if (!Headroom.enough()) {
            nearStackEnd();
            return null;
        }
        if (reloads) {
            Reload reload = Reloads.claim(this);
            if (reload != null) {
                return refresher.call(reload, self, a0, a1, args);
            }
        }
        if (inWriteTransaction()) {
            // What the application would get without the agent: its own uncommitted writes, entities its persistence
            // context manages. Nor is the result stored: it may hold what the transaction has not committed.
            return null;
        }
        Object key;
        Entry entry;
        Region region;
        try {
            if (looked != null) {
                region = looked.region;
                key = looked.key;
                entry = looked.read ? looked.entry : region.get(key, this);
            } else {
                region = regionFor(self);
                if (region == null) {
                    return null;
                }
                key = keyOf(self, a0, a1, args);
                entry = region.get(key, this);
            }
        } catch (Throwable t) {
            failed("computing the key or reading the cache", t);
            return null;
        }
        try {
            if (entry != null) {
                Object answer = hit(region, key, entry, self, a0, a1, args);
                if (answer == UNLOADED) {
                    stats.miss();
                    return null; // the method runs, as it would without the agent
                }
                if (answer == STALE) {
                    return reloads ? staleMiss(region, key, entry, self, a0, a1, args) : miss(region, key, self, a0, a1, args);
                }
                return answer;
            }
            return miss(region, key, self, a0, a1, args);
        } catch (Throwable t) {
            failed("answering a call", t);
            return null;
        }
    }

    /**
     * A call that found no fresh entry: a write-back's pending value, a cached exception (JSR-107's exception cache,
     * read after the results as the specification orders), another thread's load, or a load of its own.
     */
    private Object miss(Region region, Object key, Object self, Object a0, Object a1, Object[] args) throws CodecException {
        Object pending = region.pendingValue(key);
        if (pending != null) {
            // A write-back of the key not yet made: the system of record still holds the old value.
            stats.hit(0);
            return async(pending == Bridge.NULL || ValueCopier.isImmutable(pending) ? pending : ValueCopier.copy(pending));
        }
        if (exceptions != null) {
            Object thrown = exceptions.find(key);
            if (thrown != null) {
                return thrown;
            }
        }
        stats.miss();
        return loadHere(region, key, self, a0, a1, args);
    }

    /**
     * A call that found its entry past its TTL but within {@code staleIfError}: the key is reloaded on an agent
     * thread (one reload per key, however many callers), and the caller waits for it at most {@code loadTimeout}.
     * A fresh value answers; a reload that throws or takes longer leaves the caller the stale value, and its
     * exception is counted and logged, never thrown to this caller. Without a reload thread the caller loads as
     * on any miss.
     */
    private Object staleMiss(Region region, Object key, Entry stale, Object self, Object a0, Object a1, Object[] args)
            throws CodecException {
        Reload reload = refresher.reloadOf(region, key, stale, self, a0, a1, args, System.nanoTime(), false);
        if (reload == null) {
            return miss(region, key, self, a0, a1, args);
        }
        stats.miss();
        Object outcome = reload.await(refresher.staleWaitNanos);
        if (outcome instanceof Entry fresh) {
            return answer(fresh);
        }
        long now = System.nanoTime();
        if (outcome == Reload.FAILED && now - stale.keepNanos() < 0) {
            stats.servedStale(now - stale.deadlineNanos());
            Jfr.staleServed(spec.signature().display(), key, now - stale.deadlineNanos());
            return answer(stale);
        }
        return loadHere(region, key, self, a0, a1, args);
    }

    /** A load on the caller's thread, after its miss was counted. */
    private Object loadHere(Region region, Object key, Object self, Object a0, Object a1, Object[] args) throws CodecException {
        Object r = Load.begin(this, region, key, coalesce, self, a0, a1, args, Entry.ANY_AGE);
        if (r instanceof Load) {
            return r;
        }
        // Another thread's load: its future while it runs (a dependent one, so no caller can complete it for
        // the others, and with a value of this caller's own), else its value.
        if (r instanceof Entry loaded && unloadedInSession(loaded)) {
            return null; // another thread's load, which this caller's session could have loaded more of
        }
        return r instanceof Loading.InFlight shared ? shared.future().thenApply(this::ownValue) : answer((Entry) r);
    }

    /**
     * A value an in-flight future completed with, for one of the callers that share it: as it is if it is
     * immutable (or the method shares its results), else a copy of its own, so that callers never share a
     * mutable result. A value that cannot be copied is handed on as it is: its load's end refuses the method.
     */
    private Object ownValue(Object v) {
        if (v == null || spec.entries().copy() == dev.recall.agent.config.CopyKind.REFERENCE || ValueCopier.isImmutable(v)) {
            return v;
        }
        try {
            return ValueCopier.copy(v);
        } catch (CodecException e) {
            return v;
        }
    }

    /** Refresh-ahead: a hit on an old entry schedules its reload and returns at once. */
    private void refreshAhead(Region region, Object key, Entry old, Object self, Object a0, Object a1, Object[] args, long now) {
        try {
            refresher.reloadOf(region, key, old, self, a0, a1, args, now, true);
        } catch (Throwable t) {
            failed("scheduling a refresh", t);
        }
    }

    @Override
    public final void exit(Call call, Object returned, Throwable thrown) {
        ((Load) call).end(returned, thrown);
    }

    /**
     * What a {@link ReadMethod}'s quick look-up learnt on a miss, for the {@code enter} that the woven code calls
     * next on the same thread with the same receiver and arguments (nothing runs in between): the region and the key,
     * so that a miss computes its key once, and, where the look-up read the store itself (a store in the JVM, whose
     * quick look-up is its read), the entry found or its absence, so that the miss does not read it again before it
     * loads.
     *
     * <p>One instance per thread, in a thread-local, confined to it; every {@code enter} of a method that may look up
     * empties it, so a finding serves one call at most and holds the call's objects no longer than that.
     */
    private static final class Looked {

        private static final ThreadLocal<Looked> OF_THREAD = ThreadLocal.withInitial(Looked::new);

        private ReadMethod method;
        private Object self;
        private Object a0;
        private Object a1;
        private Object[] args;
        Region region;
        Object key;
        /** The entry found, which is past its deadline or unloaded; {@code null}: none. Meaningful only when {@link #read}. */
        Entry entry;
        /** Whether {@link #entry} is what a read of the store would return (the quick look-up read the store itself). */
        boolean read;

        private Looked() {
        }

        /** Called by the quick look-up of {@code method} after a miss, for the enter that follows. */
        static void leave(ReadMethod method, Object self, Object a0, Object a1, Object[] args, Region region, Object key,
                          Entry entry, boolean read) {
            Looked l = OF_THREAD.get();
            l.method = method;
            l.self = self;
            l.a0 = a0;
            l.a1 = a1;
            l.args = args;
            l.region = region;
            l.key = key;
            l.entry = entry;
            l.read = read;
        }

        /**
         * Called first by every enter of a method that may look up: what its quick look-up left for this very call, or
         * {@code null} (none left, or left by another call); empties the thread's finding either way.
         */
        static Looked take(ReadMethod method, Object self, Object a0, Object a1, Object[] args) {
            Looked l = OF_THREAD.get();
            if (l.method == null) {
                return null;
            }
            boolean mine = l.method == method && l.self == self && l.a0 == a0 && l.a1 == a1 && l.args == args;
            Looked found = mine ? copy(l) : null;
            l.method = null;
            l.self = null;
            l.a0 = null;
            l.a1 = null;
            l.args = null;
            l.region = null;
            l.key = null;
            l.entry = null;
            return found;
        }

        private static Looked copy(Looked l) {
            Looked c = new Looked();
            c.region = l.region;
            c.key = l.key;
            c.entry = l.entry;
            c.read = l.read;
            return c;
        }
    }
}
