package dev.recall.agent.method;

import dev.recall.agent.store.Entry;
import dev.recall.agent.store.LoadTicket;
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
 * (the store's {@link dev.recall.agent.store.LoadTurn}). If the load fails, the waiters retry one at a time, each seeing its own
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
    private final long startNanos;
    /** What the region needs at the load's end: the epoch stamp, the load others wait on, this JVM's turn. */
    private final LoadTicket ticket;
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

    private Load(ReadMethod method, Region region, Object key, LoadTicket ticket, Object self, Object a0, Object a1,
                 Object[] args) {
        this.method = method;
        this.region = region;
        this.key = key;
        this.ticket = ticket;
        this.self = self;
        this.a0 = a0;
        this.a1 = a1;
        this.args = args;
        this.arguments = method.checksArguments() ? new ArgumentWrites(method.arity, a0, a1, args) : null;
        this.recording = Jfr.loadBegins();
        this.startNanos = System.nanoTime();
    }

    /**
     * Decides what a miss of {@code key} does ({@link Region#load}).
     *
     * @param bornAfterNanos for a reload: an entry another JVM stored meanwhile answers only if it was born at or
     *     after this (the one being refreshed is fresh, and must not); else {@link Entry#ANY_AGE}
     * @return a {@code Load} whose body the caller runs; or the {@link Entry} another thread or JVM loaded
     *     meanwhile, or the {@link Loading.InFlight} future of an asynchronous one, to answer without running
     *     the body
     */
    static Object begin(ReadMethod method, Region region, Object key, boolean coalesce, Object self, Object a0, Object a1,
                        Object[] args, long bornAfterNanos) {
        Object r = region.load(key, method, coalesce, bornAfterNanos, method.loadWaitNanos);
        if (!(r instanceof LoadTicket ticket)) {
            return r;
        }
        if (ticket.stoppedWaiting()) {
            method.stoppedWaiting(ticket.cycle());
        }
        return new Load(method, region, key, ticket, self, a0, a1, args);
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
                ticket.share(future);
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
        Jfr.loadEnded(recording, method.display, key, thrown == null);
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
                if (!ticket.store(held, entry, method)) {
                    // Another JVM stored a newer value meanwhile: waiters read again rather than take ours.
                    made = null;
                    lost = true;
                }
                method.stats.put();
            }
        } catch (Throwable t) {
            method.failed("storing a result", t);
        } finally {
            try {
                ticket.end(lost ? null : entry);
            } catch (Throwable t) {
                method.failed("releasing the load of a key", t);
            }
        }
    }
}
