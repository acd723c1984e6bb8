package dev.recall.agent.advise;

import dev.recall.agent.key.Fingerprint;
import dev.recall.agent.method.ArgumentWrites;
import dev.recall.agent.metrics.LatencySnapshot;
import dev.recall.agent.metrics.LatencyWindow;
import java.lang.ref.WeakReference;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * Everything the advisor saw of one method: calls and their time (every call), and from the analysed ones
 * the arguments and results ({@link KeyHistory}), writes into arguments, changes callers made to results,
 * allocation, and how much of its time went to the observed methods it called.
 *
 * <p>Shared by every thread that calls the method. Counters are {@link LongAdder}s; the call times go to a
 * {@link LatencyWindow} (its own lock, one increment); the key history, the callee times and the result kept
 * for a later check are guarded by this object's lock, taken on analysed or followed calls only. Memory: the
 * latency window as for a cached method, and about 7 KB of key history, made on the first analysed call.
 */
final class Evidence {

    /** The share of a method's own time its analysis may cost, which sets the sampling rate. */
    static final double ANALYSIS_BUDGET = 0.01;
    /** Percentiles come from a sample of the calls: the histogram's lock is taken by one call in this many. */
    private static final int TIMED_EVERY = 8;
    private static final int MAX_CHILDREN = 16;
    /**
     * The objects one fingerprint visits at most: an argument such as a JDBC connection reaches tens of
     * thousands, and walking them on every sampled call would cost more than the calls.
     */
    static final int MAX_NODES = 256;

    private final int arity;
    private final long createdNanos = System.nanoTime();
    private final LongAdder calls = new LongAdder();
    private final LongAdder nanos = new LongAdder();
    private final LatencyWindow times = new LatencyWindow();
    private final LongAdder failures = new LongAdder();
    private final LongAdder threw = new LongAdder();
    private final LongAdder analysed = new LongAdder();
    private final LongAdder analysisNanos = new LongAdder();
    private final LongAdder allocationSamples = new LongAdder();
    private final LongAdder allocatedBytes = new LongAdder();
    private final LongAdder callerChecks = new LongAdder();
    private final LongAdder callerChanges = new LongAdder();
    private final LongAdder followedNanos = new LongAdder();
    private volatile int writtenArgument = -1;
    private volatile String writtenType;
    private volatile String changedType;
    private volatile String mutableType;
    /** Guarded by {@code this}. */
    private KeyHistory keys;
    private final Map<Observer, Long> childNanos = new LinkedHashMap<>();
    /** Changes of this method's results traced to the method that wrote them. */
    private final Map<RecentResults.Writer, Long> writers = new LinkedHashMap<>();
    /** The observed methods that ran between an unchanged result and its change, with how many changes each: its evictors. */
    private final Map<Observer, Long> ranBeforeChanges = new LinkedHashMap<>();
    private WeakReference<Object> later;
    private long laterPrint;

    Evidence(int arity) {
        this.arity = arity;
    }

    /** Every call: counted and its time summed; one in {@link #TIMED_EVERY} (and every analysed one) into the histogram. */
    void called(long took, boolean analysed) {
        calls.increment();
        nanos.add(took);
        if (analysed || ThreadLocalRandom.current().nextInt(TIMED_EVERY) == 0) {
            times.record(took);
        }
    }

    void failed() {
        failures.increment();
    }

    void threw() {
        threw.increment();
    }

    void analysisTook(long took) {
        analysisNanos.add(took);
    }

    void allocated(long bytes) {
        allocationSamples.increment();
        allocatedBytes.add(bytes);
    }

    void argumentWritten(int index, String type) {
        if (writtenArgument < 0) {
            writtenType = type;
            writtenArgument = index;
        }
    }

    void mutableResult(String type) {
        mutableType = type;
    }

    /**
     * An analysed call returned {@code result}. For a method of one argument, the methods that lately wrote that very
     * value under that argument are looked for among the recent results: a read that returns what a writer has just
     * returned (and whose argument is the written object's key) is a read of what that writer writes.
     */
    void result(Observer observer, long args, long receiver, ArgumentWrites arguments, long result, long now, boolean entity) {
        analysed.increment();
        synchronized (this) {
            if (keys == null) {
                keys = new KeyHistory(arity);
            }
            if (keys.record(args, receiver, arguments, result, now)) {
                for (Observer w : WriteTrace.SHARED.calledBetween(observer, keys.changedAfter, now)) {
                    if (ranBeforeChanges.size() < 4 * MAX_CHILDREN || ranBeforeChanges.containsKey(w)) {
                        ranBeforeChanges.merge(w, 1L, Long::sum);
                    }
                }
            }
        }
        // A writer writes an object (an entity, a record); strings and numbers equal by chance say nothing.
        if (arity == 1 && entity && RecentResults.SHARED.any()) {
            for (RecentResults.Writer w : RecentResults.SHARED.writersOf(observer, result, arguments.before(0))) {
                synchronized (this) {
                    if (writers.size() < MAX_CHILDREN || writers.containsKey(w)) {
                        writers.merge(w, 1L, Long::sum);
                    }
                }
            }
        }
    }

    /** A result of this method was checked after its caller had it: {@code changed} if the caller changed it. */
    void callerChecked(boolean changed, String type) {
        callerChecks.increment();
        if (changed) {
            changedType = type;
            callerChanges.increment();
        }
    }

    /** A result to check again later (the background pass), held weakly: it may be kept and changed later. */
    synchronized void watchLater(Object result, long print) {
        later = new WeakReference<>(result);
        laterPrint = print;
    }

    /** The background pass: checks the result kept for later, if it is still reachable. */
    void checkLater() {
        Object result;
        long print;
        synchronized (this) {
            result = later == null ? null : later.get();
            print = laterPrint;
            later = null;
        }
        if (result != null) {
            callerChecked(Fingerprint.of(result, MAX_NODES) != print, result.getClass().getName());
        }
    }

    /** A followed call ended after {@code took}, of which {@code childNanos[i]} went to {@code children[i]}. */
    void followed(long took, Observer[] children, long[] nanosOfChildren) {
        followedNanos.add(took);
        if (children == null) {
            return;
        }
        synchronized (this) {
            for (int i = 0; i < children.length && children[i] != null; i++) {
                Long known = childNanos.get(children[i]);
                if (known != null || childNanos.size() < MAX_CHILDREN) {
                    childNanos.put(children[i], (known == null ? 0 : known) + nanosOfChildren[i]);
                }
            }
        }
    }

    void drain(long now) {
        times.drain(now);
    }

    /** The mean time of a call so far, in nanoseconds; NaN before the first. */
    double meanNanos() {
        long n = calls.sum();
        return n == 0 ? Double.NaN : (double) nanos.sum() / n;
    }

    /** Whether some analysed calls were seen and none repeated an earlier one's arguments: a writer, if it ran before a change. */
    synchronized boolean notRepeated() {
        return keys != null && keys.lookups >= 1 && keys.repeats + keys.crossRepeats == 0;
    }

    /** Whether ten analysed calls or more were seen and none repeated an earlier one's arguments: the mark of a writer. */
    synchronized boolean neverRepeated() {
        return keys != null && keys.lookups >= 10 && keys.repeats + keys.crossRepeats == 0;
    }

    long calls() {
        return calls.sum();
    }

    /** The mean cost of analysing one call, in nanoseconds; NaN before the first. */
    double analysisNanosPerCall() {
        long n = analysed.sum();
        return n == 0 ? Double.NaN : (double) analysisNanos.sum() / n;
    }

    long analysisNanos() {
        return analysisNanos.sum();
    }

    /** What was seen so far, as plain figures. */
    synchronized Figures figures(long now) {
        LatencySnapshot t = times.lifetime(now);
        KeyHistory k = keys;
        long samples = allocationSamples.sum();
        return new Figures(
                new Figures.Timing(calls.sum(), nanos.sum(), now - createdNanos, t.p50(), t.p90(), t.p99(), failures.sum(),
                        threw.sum()),
                new Figures.Analysis(analysed.sum(), analysisNanos.sum(), samples == 0 ? -1 : allocatedBytes.sum() / samples),
                new Figures.Writes(writtenArgument, writtenType, callerChecks.sum(), callerChanges.sum(), changedType,
                        mutableType),
                k == null ? new Figures.Recurrence(0, 0, 0, 0, 0, 0, 0, new boolean[arity])
                        : new Figures.Recurrence(k.lookups, k.repeats, k.crossRepeats, k.unchanged, k.changed,
                                k.agreeAcross, k.disagreeAcross, k.undecisive(3)),
                k == null ? new Figures.Lifetimes(-1, 0)
                        : new Figures.Lifetimes(k.medianLifeMillis(), k.longestUnchangedNanos / 1_000_000),
                new Figures.CallGraph(followedNanos.sum(), Map.copyOf(childNanos), Map.copyOf(writers),
                        Map.copyOf(ranBeforeChanges)));
    }
}
