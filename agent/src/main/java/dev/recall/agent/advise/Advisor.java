package dev.recall.agent.advise;

import dev.recall.agent.config.MethodSignature;
import dev.recall.agent.log.Log;
import dev.recall.bridge.Bridge;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The advise mode of one agent: every observed method, and what they add up to. Observers are registered by
 * class-loading threads ({@link #observe}, synchronized so the limit holds), read by the background thread
 * ({@link #tick}) and by whoever asks for {@link #proposal} (JMX); the list is copy-on-write.
 *
 * <p>The background pass, once a second, is where the sampling adapts: each method's share of analysed calls
 * is set so that the analysis costs about {@link Evidence#ANALYSIS_BUDGET} of the method's own time, a method
 * found too cheap to cache is retired (its calls then run as if unobserved), and one refused for a reason
 * more calls cannot undo (it writes its arguments, its callers change its results, its result differs for
 * equal arguments) is no longer analysed.
 *
 * <p>Observers are never released: advise mode is a diagnosis run for a while, not left on for good.
 */
public final class Advisor {

    /** At most this many methods are observed; the rest are left as they are, and that is said once. */
    static final int MAX_OBSERVED = 10_000;
    private static final int MAX_EVERY = 1 << 12;
    /** The management beans are left alone while the application starts, as the agent's MBeans are. */
    private static final long ALLOCATION_DELAY_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final List<Observer> observers = new CopyOnWriteArrayList<>();
    /**
     * The bridge id of each observed signature: one method may be woven in several classes (JDK proxies of one
     * repository interface, each observed as the interface's method), and its calls are one method's. Guarded by this.
     */
    private final Map<MethodSignature, Integer> ids = new HashMap<>();
    private final long startedNanos = System.nanoTime();
    private boolean limitReported;
    private volatile long perCallNanos = -1;

    /**
     * Registers an observer for a method and returns its bridge id, or -1 past {@link #MAX_OBSERVED}; a signature
     * observed already gets the id it has.
     *
     * @param returnType not read: the advisor judges a method by its calls and their results alone
     * @param isStatic whether it has no receiver (then {@code shared} is never proposed)
     */
    public synchronized int observe(MethodSignature signature, String returnType, boolean isStatic) {
        Integer known = ids.get(signature);
        if (known != null) {
            return known;
        }
        if (observers.size() >= MAX_OBSERVED) {
            if (!limitReported) {
                limitReported = true;
                Log.warn(MAX_OBSERVED + " methods are observed, the limit: " + signature + " and further methods are not. "
                        + "Narrow the advise patterns to the packages that matter");
            }
            return -1;
        }
        Observer o = new Observer(signature, isStatic);
        int id = Bridge.register(o);
        observers.add(o);
        WriteTrace.SHARED.add(o);
        ids.put(signature, id);
        return id;
    }

    /** The background pass: see the class comment. Never throws. */
    public void tick() {
        try {
            if (System.nanoTime() - startedNanos > ALLOCATION_DELAY_NANOS) {
                Allocation.enable();
            }
            if (perCallNanos < 0) {
                perCallNanos = CallCost.measure();
            }
            long now = System.nanoTime();
            for (Observer o : observers) {
                Evidence e = o.evidence();
                e.drain(now);
                e.checkLater();
                adapt(o, e, now);
            }
        } catch (Throwable t) {
            Log.once("advise-tick|" + t.getClass().getName(), "the advisor's background pass failed; observing goes on", t);
        }
    }

    private static void adapt(Observer o, Evidence e, long now) {
        double mean = e.meanNanos();
        if (o.retired() || Double.isNaN(mean)) {
            return;
        }
        long calls = e.calls();
        Figures f = e.figures(now);
        // A write reaches storage: a tenth of a millisecond at least. Cheap methods of fresh arguments (a view of each
        // row) would otherwise have every reader analysed after each of their calls.
        o.mayWrite(e.notRepeated() && f.timing().p50Millis() >= 0.1);
        if (calls >= 200 && f.timing().p50Millis() < Judge.CHEAPEST_MILLIS) {
            o.retire();
            return;
        }
        if (o.analyseEvery() == 0) {
            return;
        }
        Figures.Recurrence r = f.recurrence();
        o.writes(r.lookups() >= 10 && r.repeats() + r.crossRepeats() == 0);
        if (calls >= 100 && decided(Judge.alone(o, f))) {
            o.analyseEvery(0);
            return;
        }
        double cost = e.analysisNanosPerCall();
        if (!Double.isNaN(cost)) {
            double every = cost / (Evidence.ANALYSIS_BUDGET * mean);
            o.analyseEvery((int) Math.max(1, Math.min(MAX_EVERY, Integer.highestOneBit((int) Math.min(Integer.MAX_VALUE,
                    Math.ceil(every))) * 2L)));
        }
    }

    /** Refused for a reason no further call can undo: no need to analyse more calls. */
    private static boolean decided(Verdict v) {
        if (v.status() != Verdict.Status.REFUSED) {
            return false;
        }
        Figures.Writes w = v.figures().writes();
        Figures.Recurrence r = v.figures().recurrence();
        return w.writtenArgument() >= 0 || w.callerChanges() > 0 || r.lookups() >= 40 && r.repeats() + r.crossRepeats() == 0
                || r.unchanged() + r.changed() >= 20 && r.unchanged() * 2 < r.unchanged() + r.changed();
    }

    /** Everything observed so far, judged. */
    public Proposal proposal() {
        long now = System.nanoTime();
        Map<Observer, Figures> seen = new IdentityHashMap<>();
        long calls = 0;
        long analysis = 0;
        long failures = 0;
        for (Observer o : observers) {
            Figures f = o.evidence().figures(now);
            calls += f.timing().calls();
            analysis += f.analysis().analysisNanos();
            failures += f.timing().failures();
            if (f.timing().calls() > 0) {
                seen.put(o, f);
            }
        }
        return new Proposal(Judge.judge(seen), observers.size(), now - startedNanos, calls, analysis, Math.max(0, perCallNanos),
                failures);
    }

    /** Forgets every figure; observing starts again from now (methods found too cheap stay retired). */
    public void reset() {
        for (Observer o : observers) {
            o.reset();
        }
    }

    public int observed() {
        return observers.size();
    }
}
