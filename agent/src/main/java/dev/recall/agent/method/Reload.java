package dev.recall.agent.method;

import dev.recall.agent.metrics.Jfr;
import dev.recall.agent.store.Entry;
import dev.recall.agent.store.Region;
import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One reload of one key, run on a {@link Reloads} thread as an ordinary call of the method with the receiver
 * and arguments of the call that asked for it: a refresh-ahead (a hit found its entry old; nobody waits) or
 * the reload of a stale entry (its callers wait, up to {@code loadTimeout}, and get the stale value if it
 * fails). The woven code of that call recognises it ({@link Reloads#claim}) and loads instead of looking up;
 * the result is stored as any load's is, so a write or eviction made while it runs wins.
 *
 * <p>Shared between the reload thread, which runs it and publishes its outcome once, and the callers
 * waiting for that outcome; {@code entered}, {@code load} and {@code answer} are written by the reload thread
 * only, before the outcome is published.
 */
final class Reload implements Runnable {

    /** {@link #await}: the reload threw, or did not end in time: a stale value may be served. */
    static final Object FAILED = new Object();
    /** {@link #await}: the reload ran but left no entry (not cacheable): the caller runs the method itself. */
    static final Object NOTHING = new Object();

    final ReadMethod method;
    final Region region;
    final Object key;
    private final Object self;
    private final Object[] args;
    /** An entry born at or after this is newer than the one that asked for the reload, and answers it. */
    final long bornAfterNanos;
    /** Refresh-ahead (nobody waits) rather than the reload of a stale entry. */
    final boolean ahead;
    /** Set by the reload thread: the woven call has been claimed (a nested call of the method is ordinary). */
    boolean entered;
    /** The load whose body ran, if one did. */
    Load load;
    /** The entry that answered the call without a body run (another thread's or JVM's load). */
    Entry answer;
    private final CompletableFuture<Object> outcome = new CompletableFuture<>();
    private volatile long endedNanos;
    private volatile boolean failed;

    Reload(ReadMethod method, Region region, Object key, Object self, Object[] args, long bornAfterNanos, boolean ahead) {
        this.method = method;
        this.region = region;
        this.key = key;
        this.self = self;
        this.args = args;
        this.bornAfterNanos = bornAfterNanos;
        this.ahead = ahead;
    }

    @Override
    public void run() {
        Reloads.ReloadThread thread = (Reloads.ReloadThread) Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        Throwable thrown = null;
        thread.current = this;
        thread.setContextClassLoader(method.loader());
        Object recording = Jfr.reloadBegins();
        try {
            method.refresher.reloadTarget().invoke(self, args);
        } catch (InvocationTargetException e) {
            thrown = e.getCause();
        } catch (Throwable t) {
            thrown = t;
        } finally {
            thread.current = null;
            thread.setContextClassLoader(before);
        }
        Jfr.reloadEnded(recording, method.spec().signature().display(), key, ahead, thrown == null);
        Entry made = load != null ? load.made() : answer;
        failed = thrown != null;
        endedNanos = System.nanoTime();
        method.refresher.reloaded(this, made, thrown);
        outcome.complete(thrown != null ? FAILED : made != null ? made : NOTHING);
    }

    /** Ends a reload that never ran (its queue was full). */
    void refused() {
        failed = true;
        endedNanos = System.nanoTime();
        outcome.complete(FAILED);
    }

    /**
     * Waits for the outcome, at most {@code nanos}.
     *
     * @return the fresh {@link Entry}; {@link #FAILED} if the reload threw or took longer (the interrupt of an
     *     interrupted caller is kept); {@link #NOTHING} if it stored nothing
     */
    Object await(long nanos) {
        try {
            return outcome.get(nanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return FAILED;
        }
    }

    boolean done() {
        return outcome.isDone();
    }

    /** Whether a new reload of the key may replace this one: it ended, and after a failure a pause has passed. */
    boolean replaceable(long nowNanos, long pauseNanos) {
        return done() && (!failed || nowNanos - endedNanos >= pauseNanos);
    }
}
