package dev.recall.agent.metrics;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * The figures of one cached method: the single source of truth that JMX and the Micrometer meters both
 * read.
 *
 * <p>Shared by every thread calling the method. The hit path makes one atomic add ({@link HitCounter}:
 * striped, no lock, no allocation) and reads no clock; windows over time come from {@link #sample} taking
 * periodic readings on the agent's background thread. The rarer events use {@link LongAdder}s. {@link #reset()} is not atomic with respect to calls in
 * flight: a call that straddles it may be counted on either side.
 */
public final class MethodStats {

    private final HitCounter hits = new HitCounter();
    private final SavedTime saved;
    private final LongAdder misses = new LongAdder();
    private final LongAdder loads = new LongAdder();
    private final LongAdder puts = new LongAdder();
    private final LongAdder loadNanos = new LongAdder();
    /**
     * Failures, refreshes, stale serves and verified hits: most methods never have one, so their counters (about
     * 300 bytes) are made at the first (issue 28). {@code null} until then; set once, by CAS.
     */
    private volatile Rare rare;
    private static final VarHandle RARE;

    static {
        try {
            RARE = MethodHandles.lookup().findVarHandle(MethodStats.class, "rare", Rare.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The counters of rare events. Shared like the rest: adders and an atomic. */
    private static final class Rare {
        final LongAdder loadFailures = new LongAdder();
        final LongAdder loadFailureNanos = new LongAdder();
        final LongAdder errors = new LongAdder();
        final LongAdder refreshes = new LongAdder();
        final LongAdder refreshFailures = new LongAdder();
        final LongAdder staleServed = new LongAdder();
        final LongAdder verifiedHits = new LongAdder();
        final LongAdder staleHits = new LongAdder();
        final AtomicLong maxStaleNanos = new AtomicLong();

        void reset() {
            loadFailures.reset();
            loadFailureNanos.reset();
            errors.reset();
            refreshes.reset();
            refreshFailures.reset();
            staleServed.reset();
            verifiedHits.reset();
            staleHits.reset();
            maxStaleNanos.set(0);
        }
    }

    /** The rare counters, made by the first event that needs them. */
    private Rare rare() {
        Rare r = rare;
        if (r == null) {
            Rare made = new Rare();
            Rare witness = (Rare) RARE.compareAndExchange(this, null, made);
            r = witness == null ? made : witness;
        }
        return r;
    }

    /** A rare counter's sum; 0 while none was made. */
    private long sum(Function<Rare, LongAdder> counter) {
        Rare r = rare;
        return r == null ? 0 : counter.apply(r).sum();
    }
    private final LatencyWindow latency = new LatencyWindow();
    private final CounterHistory history = new CounterHistory();
    private final RemoteCounters remote = new RemoteCounters();

    public MethodStats() {
        this(System.nanoTime());
    }

    /** @param createdNanos when the method was registered: the saved time is bounded by wall time from then */
    MethodStats(long createdNanos) {
        this.saved = new SavedTime(hits, misses::sum, createdNanos);
        // The reading windows start from: a method is made at its first call, between two of the sampler's
        // readings, and without this one its first calls would fall before any window's start.
        history.add(new CounterHistory.Sample(createdNanos, 0, 0, 0, 0, 0));
    }

    /** Redis and near-cache counters; all zero for a method of the local store. */
    public RemoteCounters remote() {
        return remote;
    }

    /**
     * The most a hit is credited with: the 90th percentile of the loads of the last two minutes, set by the
     * sampler. A hit saves what its entry's load cost, but an entry loaded cold (the first call, before the
     * JIT and the connection pool warmed up) would credit every hit with that one slow load; a call run
     * today costs what today's loads cost. Until the sampler has seen {@link #CREDIT_MIN_LOADS} loads, the
     * entry's own load time counts. Written by the sampler only, read on the hit path (one volatile read).
     */
    private volatile long creditCapNanos = Long.MAX_VALUE;
    private static final long CREDIT_WINDOW_NANOS = TimeUnit.MINUTES.toNanos(2);
    static final int CREDIT_MIN_LOADS = 3;
    /** {@link #loads} when the cap was last worked out; the sampler's own (sample is called by one thread at a time). */
    private long loadsAtCredit = -1;

    /** A call answered from the cache by an entry whose load took {@code entryLoadNanos}. */
    public void hit(long entryLoadNanos) {
        hits.hit(Math.min(entryLoadNanos, creditCapNanos));
    }

    /** A call that did not find its key (it then loads, or waits for another thread's load). */
    public void miss() {
        misses.increment();
    }

    /** A load (the method's body on a miss) that returned normally after {@code nanos}. */
    public void load(long nanos) {
        loads.increment();
        loadNanos.add(nanos);
        latency.record(nanos);
    }

    /** A load that threw: never cached, counted apart from the latencies of loads that produced entries. */
    public void loadFailure(long nanos) {
        Rare r = rare();
        r.loadFailures.increment();
        r.loadFailureNanos.add(nanos);
    }

    /** An entry this method stored: a load's result, or a written value. */
    public void put() {
        puts.increment();
    }

    public long puts() {
        return puts.sum();
    }

    /** Time spent in loads that threw. */
    public long totalLoadFailureNanos() {
        return sum(r -> r.loadFailureNanos);
    }

    /** A failure inside the agent; the call ran uncached. */
    public void error() {
        rare().errors.increment();
    }

    /** A refresh-ahead reload that stored a fresh value in the background. */
    public void refreshed() {
        rare().refreshes.increment();
    }

    /** A refresh-ahead reload that threw, or could not be run; the entry stayed as it was. */
    public void refreshFailed() {
        rare().refreshFailures.increment();
    }

    /**
     * A call answered with a value past its TTL, because its reload failed or took longer than loadTimeout.
     *
     * @param pastTtlNanos how long ago the value's TTL ended
     */
    public void servedStale(long pastTtlNanos) {
        Rare r = rare();
        r.staleServed.increment();
        if (pastTtlNanos > r.maxStaleNanos.get()) {
            r.maxStaleNanos.accumulateAndGet(pastTtlNanos, Math::max);
        }
    }

    /** The longest past its TTL of any stale value served: never more than {@code staleIfError}. */
    public long maxStaleNanos() {
        Rare r = rare;
        return r == null ? 0 : r.maxStaleNanos.get();
    }

    public long refreshes() {
        return sum(r -> r.refreshes);
    }

    public long refreshFailures() {
        return sum(r -> r.refreshFailures);
    }

    public long staleServed() {
        return sum(r -> r.staleServed);
    }

    /** A hit checked by running the method too ({@code verify:}); {@code stale} if its result differed from the entry's. */
    public void verified(boolean stale) {
        Rare r = rare();
        r.verifiedHits.increment();
        if (stale) {
            r.staleHits.increment();
        }
    }

    public long verifiedHits() {
        return sum(r -> r.verifiedHits);
    }

    public long staleHits() {
        return sum(r -> r.staleHits);
    }

    public long hits() {
        return hits.hits();
    }

    public long misses() {
        return misses.sum();
    }

    public long loads() {
        return loads.sum();
    }

    public long loadFailures() {
        return sum(r -> r.loadFailures);
    }

    /** Time the hits saved: their credits, within wall time multiplied by the callers ({@link SavedTime}). */
    public long savedNanos() {
        return savedNanos(System.nanoTime());
    }

    long savedNanos(long nowNanos) {
        return saved.read(nowNanos);
    }

    public long totalLoadNanos() {
        return loadNanos.sum();
    }

    public long errors() {
        return sum(r -> r.errors);
    }

    /** Hits over calls since start (or the last reset); {@code NaN} before any call. */
    public double hitRatio() {
        return ratio(hits(), misses());
    }

    static double ratio(long hits, long misses) {
        long calls = hits + misses;
        return calls == 0 ? Double.NaN : (double) hits / calls;
    }

    public LatencySnapshot recentLoads(long windowNanos, long nowNanos) {
        return latency.recent(windowNanos, nowNanos);
    }

    public LatencySnapshot lifetimeLoads(long nowNanos) {
        return latency.lifetime(nowNanos);
    }

    /** Takes a reading for the windows; called periodically by the sampler. */
    public void sample(long nowNanos) {
        latency.drain(nowNanos);
        // Only when the method loaded since the last reading: with thousands of called methods, most of them
        // idle, reading every window every few seconds was most of the sampler's work. Loads that age out of
        // the window without new ones leave the cap where it was.
        long loadsNow = loads.sum();
        if (loadsNow != loadsAtCredit) {
            loadsAtCredit = loadsNow;
            LatencySnapshot recent = latency.recent(CREDIT_WINDOW_NANOS, nowNanos);
            if (recent.count() >= CREDIT_MIN_LOADS && !Double.isNaN(recent.p90())) {
                creditCapNanos = Math.max(1, (long) (recent.p90() * 1e6));
            }
        }
        history.add(new CounterHistory.Sample(nowNanos, hits(), misses(), savedNanos(nowNanos), loadFailures(), errors()));
    }

    /** What happened in the last {@code windowNanos}, from the readings taken so far and the live counters. */
    public Window window(long windowNanos, long nowNanos) {
        CounterHistory.Sample start = history.since(windowNanos, nowNanos);
        if (start == null) {
            return new Window(0, 0, 0, 0, 0, 0);
        }
        return new Window(nowNanos - start.nanos(), hits() - start.hits(), misses() - start.misses(),
                savedNanos(nowNanos) - start.savedNanos(), loadFailures() - start.loadFailures(), errors() - start.errors());
    }

    /** Counter deltas over a span of time. */
    public record Window(long nanos, long hits, long misses, long savedNanos, long loadFailures, long errors) {

        public double hitRatio() {
            return ratio(hits, misses);
        }

        public long calls() {
            return hits + misses;
        }

        /** Milliseconds saved per second of wall time; 0 for an empty window. */
        public double savedMillisPerSecond() {
            return nanos <= 0 ? 0 : (savedNanos / 1e6) / (nanos / 1e9);
        }
    }

    public void reset() {
        hits.reset();
        misses.reset();
        loads.reset();
        puts.reset();
        loadNanos.reset();
        Rare r = rare;
        if (r != null) {
            r.reset();
        }
        latency.reset();
        loadsAtCredit = -1;
        history.clear();
        remote.reset();
        saved.reset(System.nanoTime());
    }
}
