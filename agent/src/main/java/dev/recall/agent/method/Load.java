package dev.recall.agent.method;

import dev.recall.agent.store.Entry;
import dev.recall.agent.store.LoadTurn;
import dev.recall.agent.store.Loading;
import dev.recall.agent.store.Region;
import dev.recall.agent.codec.CodecException;
import dev.recall.agent.codec.UncacheableValueException;
import dev.recall.agent.metrics.Jfr;
import dev.recall.bridge.Call;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The miss path of a reading method, from the miss to the stored result, in one place: who runs the body
 * for a key, what the others do meanwhile, and what of the result is stored.
 *
 * <p>{@code READ_THROUGH} coalesces: the method runs once per key however many threads miss together, and
 * the others wait for that result; where the store is shared by several JVMs, one JVM at a time loads
 * (the store's {@link LoadTurn}). If the load fails, the waiters retry one at a time, each seeing its own
 * outcome (an exception is never handed to a thread that did not cause it). A call that re-enters its own
 * key on the loading thread runs uncoalesced instead of waiting for itself, and so does a caller whose
 * wait would close a cycle of waits or lasts longer than the method's {@code loadWait}, and, once the JVM is shutting
 * down, every caller that finds a load under way ({@link Loading#await}). {@code CACHE_ASIDE} does not
 * coalesce: every caller that misses runs the method.
 *
 * <p>Either way the result is stored only if no write or invalidation of its key happened since the load
 * began (the region's epoch stamp), and the load is ended (waiters told, the turn released) whatever
 * happens. An instance is one miss whose body runs, confined to the calling thread.
 */
final class Load extends Call {

    private final ReadMethod method;
    /** The region of the call's receiver (see {@code CachedMethod#regionFor}). */
    private final Region region;
    private final Object key;
    private final long stamp;
    private final long startNanos;
    /** The load others may wait on; {@code null} when nobody can (cache-aside, or a recursive call). */
    private final Loading loading;
    /** This JVM's turn among the JVMs sharing the store; released once the result is stored. */
    private final LoadTurn turn;
    /** The arguments' state before the body, when this load is one the method checks; else {@code null}. */
    private final ArgumentWrites arguments;
    /** Which of the call's own objects {@code returned} is ("its receiver", "its argument 2"), or {@code null}. */
    private String ownObject(Object returned) {
        if (returned == null) {
            return null;
        }
        if (returned == self) {
            return "its receiver (this)";
        }
        if (args != null) {
            for (int i = 0; i < args.length; i++) {
                if (returned == args[i]) {
                    return "its argument " + (i + 1);
                }
            }
            return null;
        }
        return returned == a0 ? "its argument 1" : returned == a1 ? "its argument 2" : null;
    }

    /**
     * Whether the method returned a future not complete yet: its value reaches the caller (who may change it) as
     * the future completes, before the agent can copy it.
     */
    private boolean late;
    /** The entry the result became (stored or not), once the load has ended; read by a {@link Reload} after it. */
    private Entry made;
    /** The load's JFR event while it runs, or {@code null} when no recording wants it. */
    private final Object recording;
    /** The receiver and arguments of the call, only to see whether the result is one of them ({@link #ownObject}). */
    private final Object self;
    private final Object a0;
    private final Object a1;
    private final Object[] args;

    private Load(ReadMethod method, Region region, Object key, long stamp, Loading loading, LoadTurn turn, Object self, Object a0,
                 Object a1, Object[] args) {
        this.method = method;
        this.region = region;
        this.key = key;
        this.stamp = stamp;
        this.loading = loading;
        this.turn = turn;
        this.self = self;
        this.a0 = a0;
        this.a1 = a1;
        this.args = args;
        this.arguments = method.checksArguments() ? new ArgumentWrites(method.spec().arity(), a0, a1, args) : null;
        this.recording = Jfr.loadBegins();
        this.startNanos = System.nanoTime();
    }

    /**
     * Decides what a miss of {@code key} does.
     *
     * @return a {@code Load} whose body the caller runs; or the {@link Entry} another thread or JVM loaded
     *     meanwhile, or the {@link Loading.InFlight} future of an asynchronous one, to answer without
     *     running the body
     */
    static Object begin(ReadMethod method, Region region, Object key, boolean coalesce, Object self, Object a0, Object a1,
                        Object[] args) {
        return begin(method, region, key, coalesce, self, a0, a1, args, Entry.ANY_AGE);
    }

    /**
     * As {@link #begin(ReadMethod, Region, Object, boolean, Object, Object, Object, Object[])}, for a reload: an entry
     * another JVM stored meanwhile answers only if it was born at or after {@code bornAfterNanos} (the one being
     * refreshed is fresh, and must not).
     */
    static Object begin(ReadMethod method, Region region, Object key, boolean coalesce, Object self, Object a0, Object a1,
                        Object[] args, long bornAfterNanos) {
        if (!coalesce) {
            return new Load(method, region, key, region.stamp(key), null, LoadTurn.MINE, self, a0, a1, args);
        }
        while (true) {
            long stamp = region.stamp(key);
            Loading mine = new Loading();
            Loading other = region.startLoad(key, mine);
            if (other == null) {
                // A load may have finished between our lookup and our registration, or another JVM may be loading.
                LoadTurn turn;
                try {
                    turn = region.takeTurn(key, method, bornAfterNanos);
                } catch (Throwable t) {
                    region.finishLoad(key, mine, null);
                    throw t;
                }
                Entry late = turn.loaded();
                if (late != null) {
                    region.finishLoad(key, mine, late);
                    return late;
                }
                return new Load(method, region, key, stamp, mine, turn, self, a0, a1, args);
            }
            Loading.InFlight shared = other.inFlight();
            if (shared != null) {
                return shared; // even to the loading thread itself: its body has returned, the future runs on
            }
            if (other.isLoadedByCurrentThread()) {
                return new Load(method, region, key, stamp, null, LoadTurn.MINE, self, a0, a1, args);
            }
            Object result;
            try {
                result = other.await(method.loadWaitNanos);
            } catch (InterruptedException e) {
                // Keep the interrupt for the application and do the work ourselves rather than fail it.
                Thread.currentThread().interrupt();
                return new Load(method, region, key, stamp, null, LoadTurn.MINE, self, a0, a1, args);
            }
            if (result == Loading.CYCLE || result == Loading.WAITED_TOO_LONG) {
                method.stoppedWaiting(result == Loading.CYCLE);
                return new Load(method, region, key, stamp, null, LoadTurn.MINE, self, a0, a1, args);
            }
            if (result == Loading.SHUTTING_DOWN) {
                // The load may never finish (its thread may be the one that called System.exit): a shutdown
                // hook must not wait loadWait for it.
                return new Load(method, region, key, stamp, null, LoadTurn.MINE, self, a0, a1, args);
            }
            if (result instanceof Loading.InFlight later) {
                return later;
            }
            if (result != null) {
                return result;
            }
            region.abandonLoad(key, other);
        }
    }

    /**
     * After the body ran: counts the load, stores what may be stored, and ends the load for everyone. The
     * result of an asynchronous method is its future's value: a future not yet complete is shared with the
     * waiters, and the load ends when it completes (a future that fails is never cached).
     */
    void end(Object returned, Throwable thrown) {
        if (method.async && thrown == null && returned != null) {
            CompletableFuture<?> future;
            try {
                future = ((CompletionStage<?>) returned).toCompletableFuture();
            } catch (Throwable t) {
                // A stage that cannot be seen as a future (its own implementation): nothing is cached.
                finish(null, t);
                return;
            }
            if (!future.isDone()) {
                late = true;
                if (loading != null) {
                    loading.share(future);
                }
            }
            future.whenComplete(this::finish); // at once, on this thread, if it is already complete
            return;
        }
        finish(returned, thrown);
    }

    /** The entry the result became, or {@code null} (it threw, or is not cached); valid once the load has ended. */
    Entry made() {
        return made;
    }

    private void finish(Object returned, Throwable thrown) {
        boolean lost = false;
        long now = System.nanoTime();
        long took = now - startNanos;
        Jfr.loadEnded(recording, method.spec().signature().display(), key, thrown == null);
        Entry entry = null;
        try {
            if (thrown != null) {
                method.stats.loadFailure(took);
                if (method.exceptions != null && !method.async) {
                    // Not for a method returning a future: its failures are the future's, which no caller waits on here.
                    method.exceptions.threw(key, thrown, took);
                }
                return;
            }
            method.stats.load(took);
            int written = arguments == null ? -1 : arguments.changed();
            if (written >= 0) {
                method.refuse("writes into its argument " + (written + 1) + " (" + arguments.typeOf(written) + "), and a cache "
                        + "hit would skip that write, so the caller would find the argument unfilled. Leave the method "
                        + "uncached, or cache a method that returns what it computes");
                return;
            }
            try {
                entry = method.entryOf(returned, took, now, !region.remote());
            } catch (UncacheableValueException e) {
                method.uncacheableResult(e); // this result only: the caller gets it, later complete ones are cached
                return;
            } catch (CodecException e) {
                method.refuse("its results cannot be held by value, and a caller that changed one would change it for "
                        + "every later caller: " + e.getMessage() + ". Return an immutable type, or set copy: reference "
                        + "if no caller ever changes a result");
                return;
            }
            if (late && entry.copyOnRead()) {
                method.uncacheableResult(new UncacheableValueException("completed-after-return", "the future the method "
                        + "returned completed later with a value that is held by value, and its caller may have changed it "
                        + "before the agent could copy it; return an immutable value, or set copy: reference if no caller "
                        + "changes one"));
                return;
            }
            if (entry.copyOnRead() && ownObject(returned) != null) {
                method.refuse("it returned " + ownObject(returned) + " itself, which the caller holds: a cached result is a "
                        + "copy, never the caller's own object, so == and the caller's later changes to it would differ. "
                        + "Leave the method uncached, or set copy: reference if its callers never tell the difference");
                return;
            }
            if (returned != null || method.cacheNulls) {
                made = entry;
                Object held = method.heldKey(key);
                if (held == null) {
                    return;
                }
                if (loading != null && region.remote()) {
                    region.closeLoad(key, loading);
                }
                if (!region.putIfUnchanged(held, entry, stamp, method)) {
                    // Another JVM stored a newer value meanwhile: waiters read again rather than take ours.
                    made = null;
                    lost = true;
                }
                method.stats.put();
            }
        } catch (Throwable t) {
            method.failed("storing a result", t);
        } finally {
            // Other JVMs' waiters find the stored entry the moment the turn is released, so release after storing.
            try {
                turn.release();
            } catch (Throwable t) {
                method.failed("releasing the load of a key", t);
            }
            if (loading != null) {
                region.finishLoad(key, loading, lost ? null : entry);
            }
        }
    }
}
