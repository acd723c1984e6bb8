package dev.recall.agent.advise;

import dev.recall.agent.codec.ValueCopier;
import dev.recall.agent.key.Fingerprint;
import dev.recall.agent.method.ArgumentWrites;
import dev.recall.bridge.Call;

/**
 * One call of an observed method, from {@link Observer#enter} to {@link Observer#exit}: when it started, and
 * for an analysed call what its arguments and receiver were before the body ran. A call that is followed
 * (analysed, or nested in a followed call) sits on its thread's {@link Frames} and collects the time of the
 * observed calls nested in it, and the results they returned, which it checks for changes when it ends: a
 * result its callers changed is one a cache must not share.
 *
 * <p>Confined to the calling thread.
 */
final class ObservedCall extends Call {

    /** Distinct callees whose time one call tells apart; more are rare and counted as its own time. */
    private static final int MAX_CHILDREN = 8;
    /** Results of callees checked when this call ends; more are left to the background check. */
    private static final int MAX_WATCHED = 4;

    final Observer observer;
    private final Frames frames;
    /** The followed call this one is nested in, or {@code null}; set when pushed. */
    ObservedCall parent;
    private boolean pushed;
    private long startNanos;
    private ArgumentWrites arguments;
    private long argumentsHash;
    private long receiver;
    private long allocatedBefore = -1;
    /** What analysing this call before its body cost, and what the observers of calls nested in it cost it. */
    private long analysisBefore;
    private long nestedOverhead;
    private Observer[] children;
    private long[] childNanos;
    private Object[] watched;
    private long[] watchedPrints;
    private Observer[] watchedOf;

    ObservedCall(Observer observer, Frames frames) {
        this.observer = observer;
        this.frames = frames;
    }

    /** Before the body: the state of the arguments and the receiver, and the thread's allocation so far. */
    void analyse(Object self, Object a0, Object a1, Object[] args) {
        int arity = observer.signature().arity();
        arguments = new ArgumentWrites(arity, a0, a1, args, Evidence.MAX_NODES);
        long h = 0x2545F4914F6CDD1DL;
        for (int i = 0; i < arity; i++) {
            h = Fingerprint.mix(h, arguments.before(i));
        }
        argumentsHash = h;
        receiver = self == null ? 0 : Fingerprint.ofReceiver(self, Evidence.MAX_NODES);
        allocatedBefore = Allocation.current();
    }

    void analysisBeforeTook(long nanos) {
        analysisBefore = nanos;
    }

    boolean analysed() {
        return arguments != null;
    }

    void started(long nanos) {
        startNanos = nanos;
    }

    void pushed(ObservedCall parent) {
        this.parent = parent;
        this.pushed = true;
    }

    /**
     * After the body: the call's figures go to the method's evidence. Its time leaves out what observing the calls
     * nested in it cost (their analysis ran inside it), so an outer method's time is the application's, and the share
     * of it spent in its callees is theirs.
     */
    void ended(long endNanos, Object returned, Throwable thrown) {
        long took = Math.max(0, endNanos - startNanos - nestedOverhead);
        Evidence evidence = observer.evidence();
        evidence.called(took, arguments != null);
        long analysisAfter = 0;
        if (arguments != null) {
            long allocated = allocatedBefore < 0 ? -1 : Allocation.current() - allocatedBefore;
            long began = System.nanoTime();
            analyseOutcome(evidence, returned, thrown, endNanos, allocated);
            analysisAfter = System.nanoTime() - began;
        }
        evidence.analysisTook(analysisAfter);
        if (pushed) {
            checkWatched();
            evidence.followed(took, children, childNanos);
            if (parent != null) {
                parent.child(observer, took);
                parent.nestedOverhead += analysisBefore + analysisAfter + nestedOverhead;
            }
        }
    }

    private void analyseOutcome(Evidence evidence, Object returned, Throwable thrown, long now, long allocated) {
        if (allocated >= 0) {
            evidence.allocated(allocated);
        }
        if (thrown != null) {
            evidence.threw();
            return;
        }
        int written = arguments.changed();
        if (written >= 0) {
            evidence.argumentWritten(written, arguments.typeOf(written));
        }
        long result = Fingerprint.of(returned, Evidence.MAX_NODES);
        boolean entity = returned != null && !Observer.isPlainValue(returned);
        evidence.result(observer, argumentsHash, receiver, arguments, result, now, entity);
        if (entity && observer.signature().arity() > 0 && (observer.writes() || evidence.neverRepeated())) {
            RecentResults.SHARED.written(observer, result, arguments.argument(0));
        }
        if (returned != null && !ValueCopier.isImmutable(returned)) {
            evidence.mutableResult(returned.getClass().getName());
            ObservedCall caller = pushed ? parent : frames.top();
            if (caller == null || !caller.watch(observer, returned, result)) {
                evidence.watchLater(returned, result);
            }
        }
    }

    /** A nested observed call of {@code callee} took {@code nanos} of this call's time. */
    private void child(Observer callee, long nanos) {
        if (children == null) {
            children = new Observer[MAX_CHILDREN];
            childNanos = new long[MAX_CHILDREN];
        }
        for (int i = 0; i < MAX_CHILDREN; i++) {
            if (children[i] == callee || children[i] == null) {
                children[i] = callee;
                childNanos[i] += nanos;
                return;
            }
        }
    }

    /** Keeps a result a nested call returned, to see whether this call (its caller, or below) changes it. */
    private boolean watch(Observer callee, Object result, long print) {
        if (watched == null) {
            watched = new Object[MAX_WATCHED];
            watchedPrints = new long[MAX_WATCHED];
            watchedOf = new Observer[MAX_WATCHED];
        }
        for (int i = 0; i < MAX_WATCHED; i++) {
            if (watched[i] == null) {
                watched[i] = result;
                watchedPrints[i] = print;
                watchedOf[i] = callee;
                return true;
            }
        }
        return false;
    }

    private void checkWatched() {
        if (watched == null) {
            return;
        }
        for (int i = 0; i < MAX_WATCHED && watched[i] != null; i++) {
            Object result = watched[i];
            boolean changed = Fingerprint.of(result, Evidence.MAX_NODES) != watchedPrints[i];
            watchedOf[i].evidence().callerChecked(changed, result.getClass().getName());
            if (!changed) {
                // Unchanged while its caller ran: it may still be kept and changed later.
                watchedOf[i].evidence().watchLater(result, watchedPrints[i]);
            }
            watched[i] = null;
        }
    }

    void leave() {
        if (pushed) {
            frames.pop(this);
        }
    }
}
