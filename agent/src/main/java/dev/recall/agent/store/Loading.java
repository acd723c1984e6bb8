package dev.recall.agent.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A load under way for one key: the thread running the method, and the result others wait for.
 * Published through the region's {@link LoadsInFlight}; completed exactly once by its loader.
 *
 * <p>A wait costs its waiter one registration and one wake-up: waiters push themselves on a lock-free
 * stack and park until the loader completes the load, which unparks each of them once, or until their
 * single deadline ({@code loadWait}). A waiter that gives up leaves its node behind (the loader's
 * wake-up of a thread that no longer waits is harmless), so no wait scans the others. Only the first
 * waiter of a load also watches the loader thread, waking every few seconds to see whether it died
 * without reaching its exit advice; then it fails the load, which wakes the rest.
 *
 * <p>A wait never hangs: it ends when the loader finishes or dies, when waiting would close a cycle (the
 * loader waits, directly or through other threads, for a load of the waiting thread: crossed keys, or a
 * load that calls its own method for another key on a thread that is waited for), after the method's
 * {@code loadWait}, which also covers waits no thread map can see, or as soon as the JVM begins to shut
 * down ({@link #SHUTTING_DOWN}): a load may then never finish (its thread may be the one that called
 * {@code System.exit}), so waiters run the method themselves instead of holding a shutdown hook for
 * {@code loadWait}. Who waits for what is a concurrent map of the threads waiting now; each thread
 * registers before it checks, so of two threads closing a cycle at the same moment at least one sees it.
 *
 * <p>Only a thread that runs a load itself can close a cycle (a chain of waits steps from a load to its
 * loader), so only such a thread registers and checks; the others, all the waiters of a burst of misses,
 * neither write a shared map nor read one beyond a look-up in {@link #LOADERS}, the threads that run a load
 * now (written once per load, not per waiter). 100,000 virtual threads waiting for 10 loads put and removed
 * themselves in the one map of waiting threads, contended as they woke together. The shutdown hook wakes
 * the waiters through the loads under way ({@link #UNDER_WAY}) instead.
 */
public final class Loading {

    /** Returned by {@link #await} when waiting would close a cycle: run the method yourself. */
    public static final Entry CYCLE = new Entry(null, 0, 0);
    /** Returned by {@link #await} after the longest wait allowed: run the method yourself. */
    public static final Entry WAITED_TOO_LONG = new Entry(null, 0, 0);
    /** Returned by {@link #await} once the JVM is shutting down: run the method yourself. */
    public static final Entry SHUTTING_DOWN = new Entry(null, 0, 0);

    /** How many waits a cycle check follows before it gives up looking (a chain that long is not a cycle we made). */
    private static final int CHAIN_LIMIT = 64;
    /** How often the watching waiter looks whether the loader thread is still alive. */
    private static final long WATCH_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final ConcurrentHashMap<Thread, Loading> WAITING = new ConcurrentHashMap<>();
    /** The threads running a load now ({@link #began}), with how many each runs (a load's body may load another key). */
    private static final ConcurrentHashMap<Thread, Integer> LOADERS = new ConcurrentHashMap<>();
    /** The loads begun and not finished, for the shutdown hook to wake their waiters. */
    private static final Set<Loading> UNDER_WAY = ConcurrentHashMap.newKeySet();
    private static volatile boolean shuttingDown;

    /** Marks an unfinished load; {@link #result} holds it until the loader completes. */
    private static final Object PENDING = new Object();
    /** The head of {@link #waiters} once the load is complete: late waiters read the result instead of pushing. */
    private static final Waiter CLOSED = new Waiter(null, null);
    private static final VarHandle RESULT;
    private static final VarHandle WAITERS;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            RESULT = l.findVarHandle(Loading.class, "result", Object.class);
            WAITERS = l.findVarHandle(Loading.class, "waiters", Waiter.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
        watchShutdown();
    }

    private final Thread loader = Thread.currentThread();
    /** {@link #PENDING}, then an {@link Entry}, an {@link InFlight}, or {@code null} for a load that failed. */
    private volatile Object result = PENDING;
    /** The threads parked on this load, newest first; {@link #CLOSED} once it completed. */
    private volatile Waiter waiters;

    private static final class Waiter {
        final Thread thread;
        final Waiter next;

        Waiter(Thread thread, Waiter next) {
            this.thread = thread;
            this.next = next;
        }
    }

    /**
     * What waiters of an asynchronous method get while its future is not complete: the loader's future,
     * to share rather than wait for.
     */
    public record InFlight(CompletableFuture<?> future) {
    }

    /**
     * A shutdown hook of the agent's own, registered as the first load is created (normally long before
     * shutdown): from the moment shutdown begins, no caller waits for another thread's load. A load created
     * while the JVM is already shutting down cannot register the hook, which tells the same.
     */
    private static void watchShutdown() {
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(Loading::shutdownBegins, "recall-shutdown-loads"));
        } catch (IllegalStateException e) {
            shuttingDown = true;
        } catch (SecurityException e) {
            // No hook: waits end by loadWait as before.
        }
    }

    /**
     * Wakes every waiter; they return {@link #SHUTTING_DOWN} and run the method themselves. A waiter pushes itself
     * and then reads {@link #shuttingDown}; this writes it and then reads the waiters: one of the two sees the other.
     */
    static void shutdownBegins() {
        shuttingDown = true;
        for (Loading load : UNDER_WAY) {
            for (Waiter w = load.waiters; w != null && w != CLOSED; w = w.next) {
                LockSupport.unpark(w.thread);
            }
        }
        for (Thread waiting : WAITING.keySet()) {
            LockSupport.unpark(waiting);
        }
    }

    /**
     * Called by the region once this is the load of its key that others may wait on, on the loader's thread, before
     * any other thread can see it; {@link #finish} undoes it, once, on whichever thread ends the load.
     */
    void began() {
        LOADERS.merge(loader, 1, Integer::sum);
        UNDER_WAY.add(this);
    }

    private void ended() {
        if (UNDER_WAY.remove(this)) {
            LOADERS.computeIfPresent(loader, (t, n) -> n == 1 ? null : n - 1);
        }
    }

    /** How many threads are registered as waiting, for cycle checks (tests). */
    static int registeredWaiters() {
        return WAITING.size();
    }

    /** Whether the JVM is shutting down (the agent's hook has run). */
    public static boolean shuttingDown() {
        return shuttingDown;
    }

    public boolean isLoadedByCurrentThread() {
        return loader == Thread.currentThread();
    }

    void complete(Entry entry) {
        finish(entry);
    }

    void fail() {
        finish(null);
    }

    /**
     * For an asynchronous method whose body has returned a future not yet complete: waiters from now on
     * share it instead of waiting for its value. The load stays under way until the future completes.
     */
    public void share(CompletableFuture<?> future) {
        finish(new InFlight(future));
    }

    /** Sets the result once and wakes every waiter once; later calls change nothing. */
    private void finish(Object outcome) {
        if (!RESULT.compareAndSet(this, PENDING, outcome)) {
            return;
        }
        ended();
        Waiter w = (Waiter) WAITERS.getAndSet(this, CLOSED);
        for (; w != null && w != CLOSED; w = w.next) {
            LockSupport.unpark(w.thread);
        }
    }

    /** The future shared by {@link #share}, or {@code null}: a look that never waits. */
    public InFlight inFlight() {
        return result instanceof InFlight shared ? shared : null;
    }

    /**
     * Waits for the loader, at most {@code maxWaitNanos}.
     *
     * @return the {@link Entry} it produced; an {@link InFlight} future to share; {@code null} if it failed
     *     or died (the caller then retries); {@link #CYCLE}, {@link #WAITED_TOO_LONG} or {@link #SHUTTING_DOWN}
     *     (compare by identity) if the caller should run the method itself
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public Object await(long maxWaitNanos) throws InterruptedException {
        Object done = result;
        if (done != PENDING) {
            return done;
        }
        if (shuttingDown) {
            return SHUTTING_DOWN;
        }
        Thread me = Thread.currentThread();
        if (loader == me) {
            return CYCLE;
        }
        // Its own loads are begun on this thread, so this look-up sees them; one ending meanwhile only makes it check.
        boolean loads = LOADERS.containsKey(me);
        if (loads) {
            WAITING.put(me, this);
        }
        try {
            if (loads && closesCycle(me)) {
                return CYCLE;
            }
            boolean watcher;
            while (true) {
                Waiter head = waiters;
                if (head == CLOSED) {
                    return result;
                }
                if (WAITERS.compareAndSet(this, head, new Waiter(me, head))) {
                    watcher = head == null;
                    break;
                }
            }
            if (shuttingDown) {
                return SHUTTING_DOWN;
            }
            // Pushed before the loader closed the stack: it will wake this thread (a wake-up before the park is kept).
            // Every check below runs only after a park, never before the first: C2 compiles this method during a burst
            // of waits, when no waiter has woken yet, and a check that also ran before the park would be compiled as
            // never true, to be deoptimized on its way out by every waiter parked in that code (34,534 deoptimizations
            // in a round of 100,000 virtual threads).
            long deadline = System.nanoTime() + maxWaitNanos;
            long left = maxWaitNanos;
            while (true) {
                LockSupport.parkNanos(this, watcher ? Math.min(left, WATCH_NANOS) : left);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                done = result;
                if (done != PENDING) {
                    return done;
                }
                if (shuttingDown) {
                    return SHUTTING_DOWN;
                }
                if (watcher && !loader.isAlive()) {
                    // The loader died without reaching its exit advice: fail the load for every waiter.
                    fail();
                    return result;
                }
                left = deadline - System.nanoTime();
                if (left <= 0) {
                    return WAITED_TOO_LONG;
                }
            }
        } finally {
            if (loads) {
                WAITING.remove(me, this);
            }
        }
    }

    private boolean closesCycle(Thread me) {
        Loading next = this;
        for (int i = 0; i < CHAIN_LIMIT && next != null; i++) {
            if (next.loader == me) {
                return true;
            }
            next = WAITING.get(next.loader);
        }
        return false;
    }
}
