package dev.recall.agent.advise;

import dev.recall.agent.config.MethodSignature;
import dev.recall.agent.key.Fingerprint;
import dev.recall.agent.log.Log;
import dev.recall.bridge.Call;
import dev.recall.bridge.Site;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One method of the application watched by the advisor: a {@link Site} whose {@link #enter} never answers a
 * call, so the body always runs. Every call is counted and timed; a sample of them is analysed (arguments and
 * result fingerprinted, the arguments checked for writes, the allocation read), at a rate that keeps that work
 * at about {@link Evidence#ANALYSIS_BUDGET} of the method's own time.
 *
 * <p>Shared by every thread that calls the method. Its own state is two volatile switches, written by the
 * advisor's background thread ({@link Advisor#tick}) and read racily by callers; the figures live in the
 * thread-safe {@link Evidence}, and a call's own state in its {@link ObservedCall}, confined to the calling
 * thread. Nothing here may throw into the application: a failure is counted, said once, and the method runs
 * as if unobserved.
 */
final class Observer extends Site {

    /** Calls analysed before sampling starts: enough to see arguments repeat in a short run. */
    private static final int ANALYSED_FIRST = 16;
    /** The sampling before the background pass has measured a method: a burst of cheap calls at start-up stays cheap. */
    private static final int UNMEASURED = 8;

    private final MethodSignature signature;
    private final boolean isStatic;
    private final int arity;
    /** Replaced by {@link #reset}; calls under way finish on the one they began with or the new one, either is fine. */
    private volatile Evidence evidence;
    /** Set once the method proved too cheap to be worth caching: calls run as if unobserved. */
    private volatile boolean retired;
    /**
     * Analyse one call in this many (after the first ones); 0: analyse none any more (a verdict is in). Until the
     * background pass has measured what analysing costs against the method's time, one in {@link #UNMEASURED}.
     */
    private volatile int analyseEvery = UNMEASURED;
    /** Calls analysed so far while every call is; racy by design (a few more or less change nothing). */
    private volatile int early;
    /**
     * Set once its arguments are seen never to repeat, the mark of a method that writes: the results of its analysed
     * calls go to {@link RecentResults}, so a reader's change can be traced to it.
     */
    private volatile boolean writes;
    /**
     * When its last call ended ({@code System.nanoTime}), for {@link WriteTrace}; 0 before any. Written by every call
     * and read only by the background pass, which can take a slightly old value: so written opaque (atomic, no fence),
     * not volatile, whose fence every observed call would pay.
     */
    @SuppressWarnings("unused") // through LAST_ENDED
    private long lastEnded;
    private static final VarHandle LAST_ENDED;

    static {
        try {
            LAST_ENDED = MethodHandles.lookup().findVarHandle(Observer.class, "lastEnded", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    /**
     * Whether a call of it may be a write: its arguments have not been seen to repeat and it is not cheap (set by the
     * background pass; until then, yes).
     */
    private volatile boolean mayWrite = true;
    /** The {@link WriteTrace#epoch()} its last call saw: a newer one means a write may have come since. */
    private volatile long writeEpoch;

    Observer(MethodSignature signature, boolean isStatic) {
        this.signature = signature;
        this.isStatic = isStatic;
        this.arity = signature.arity();
        this.evidence = new Evidence(arity);
    }

    /** Forgets the figures; analysis starts again. A method found too cheap stays retired. */
    void reset() {
        evidence = new Evidence(arity);
        early = 0;
        analyseEvery = UNMEASURED;
    }

    MethodSignature signature() {
        return signature;
    }

    boolean isStatic() {
        return isStatic;
    }

    Evidence evidence() {
        return evidence;
    }

    boolean retired() {
        return retired;
    }

    void retire() {
        retired = true;
    }

    boolean writes() {
        return writes;
    }

    void writes(boolean writes) {
        this.writes = writes;
    }

    int analyseEvery() {
        return analyseEvery;
    }

    void analyseEvery(int every) {
        analyseEvery = every;
    }


    @Override
    public Object enter(Object self, Object a0, Object a1, Object[] args) {
        if (retired) {
            return null;
        }
        try {
            Frames frames = Frames.current();
            ObservedCall call = new ObservedCall(this, frames);
            // Written only when it moved: a field every call wrote would bounce between the cores of concurrent callers.
            long epoch = WriteTrace.SHARED.epoch();
            boolean afterWrite = false;
            if (epoch != writeEpoch) {
                writeEpoch = epoch;
                afterWrite = analyseEvery != 0;
            }
            if (afterWrite || analyseNow(a0, a1, args)) {
                long began = System.nanoTime();
                call.analyse(self, a0, a1, args);
                long took = System.nanoTime() - began;
                evidence.analysisTook(took);
                call.analysisBeforeTook(took);
            }
            // Within an analysed call every nested observed call is followed, so that the time of the outer
            // one can be told apart into what its observed callees took (see Evidence#children).
            if (call.analysed() || frames.following()) {
                frames.push(call);
            }
            call.started(System.nanoTime());
            return call;
        } catch (Throwable t) {
            failed(t);
            return null;
        }
    }

    /**
     * Whether to analyse this call. Past the first calls, a call whose arguments are all plain values (strings, numbers,
     * enums: their hash is their value's) is analysed when the hash of its arguments falls in one {@code every}-th of
     * the hash space, so that every call with a sampled key is analysed, and the repeat share seen is the repeat share
     * of all calls (sampling by key, as SHARDS samples a cache's trace); others are sampled at random.
     */
    private boolean analyseNow(Object a0, Object a1, Object[] args) {
        int every = analyseEvery;
        if (every == 0) {
            return false;
        }
        if (early < ANALYSED_FIRST) {
            early++;
            return true;
        }
        if (every == 1) {
            return true;
        }
        long key = valueHash(a0, a1, args);
        return key != NOT_VALUES ? Long.remainderUnsigned(Fingerprint.mix(0x5851F42D4C957F2DL, key), every) == 0
                : ThreadLocalRandom.current().nextInt(every) == 0;
    }

    private static final long NOT_VALUES = 0x6A09E667F3BCC909L;

    /** A hash of the arguments when each is null or a value whose {@code hashCode} is its value, else {@link #NOT_VALUES}. */
    private long valueHash(Object a0, Object a1, Object[] args) {
        if (arity == 0) {
            return 0;
        }
        if (arity <= 2) {
            long h = hashOfValue(a0);
            if (h == NOT_VALUES || arity == 1) {
                return h;
            }
            long h1 = hashOfValue(a1);
            return h1 == NOT_VALUES ? NOT_VALUES : Fingerprint.mix(h, h1);
        }
        long h = 0;
        for (Object a : args) {
            long v = hashOfValue(a);
            if (v == NOT_VALUES) {
                return NOT_VALUES;
            }
            h = Fingerprint.mix(h, v);
        }
        return h;
    }

    /** Whether {@code v} is a plain value (a string, a number, an enum...), whose equality with another says nothing of who made it. */
    static boolean isPlainValue(Object v) {
        return hashOfValue(v) != NOT_VALUES;
    }

    private static long hashOfValue(Object v) {
        if (v == null) {
            return 1;
        }
        if (v instanceof String || v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte
                || v instanceof Character || v instanceof Boolean || v instanceof UUID) {
            return v.hashCode();
        }
        if (v instanceof Enum<?> e) {
            return e.name().hashCode();
        }
        return NOT_VALUES;
    }

    @Override
    public void exit(Call c, Object returned, Throwable thrown) {
        long ended = System.nanoTime();
        LAST_ENDED.setOpaque(this, ended);
        if (mayWrite) {
            WriteTrace.SHARED.mayHaveWritten();
        }
        ObservedCall call = (ObservedCall) c;
        try {
            call.ended(ended, returned, thrown);
        } catch (Throwable t) {
            failed(t);
        } finally {
            call.leave();
        }
    }

    private void failed(Throwable t) {
        evidence.failed();
        Log.once("advise|" + signature.display() + "|" + t.getClass().getName(), "observing " + signature
                + " failed; the call ran as usual", t);
    }

    void mayWrite(boolean may) {
        mayWrite = may;
    }

    long lastEnded() {
        return (long) LAST_ENDED.getOpaque(this);
    }

    @Override
    public String toString() {
        return signature.display();
    }
}
