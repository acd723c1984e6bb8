package dev.recall.agent.store;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A load under way for one key: the thread running the method, and the result others wait for.
 * Published through the region's {@link LoadsInFlight}; completed exactly once by its loader.
 *
 * <p>A wait never hangs: it ends when the loader finishes or dies, when waiting would close a cycle (the
 * loader waits, directly or through other threads, for a load of the waiting thread: crossed keys, or a
 * load that calls its own method for another key on a thread that is waited for), or after the method's
 * {@code loadWait}, which also covers waits no thread map can see (the loader blocked on a task of
 * another executor that waits for this key). Who waits for what is a concurrent map of the threads
 * waiting now; each thread registers before it checks, so of two threads closing a cycle at the same
 * moment at least one sees it.
 */
public final class Loading {

    /** Returned by {@link #await} when waiting would close a cycle: run the method yourself. */
    public static final Entry CYCLE = new Entry(null, 0, 0);
    /** Returned by {@link #await} after the longest wait allowed: run the method yourself. */
    public static final Entry WAITED_TOO_LONG = new Entry(null, 0, 0);

    /** How many waits a cycle check follows before it gives up looking (a chain that long is not a cycle we made). */
    private static final int CHAIN_LIMIT = 64;
    private static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final ConcurrentHashMap<Thread, Loading> WAITING = new ConcurrentHashMap<>();

    private final Thread loader = Thread.currentThread();
    /** An {@link Entry}, an {@link InFlight}, or {@code null} for a load that failed. */
    private final CompletableFuture<Object> result = new CompletableFuture<>();

    /**
     * What waiters of an asynchronous method get while its future is not complete: the loader's future,
     * to share rather than wait for.
     */
    public record InFlight(CompletableFuture<?> future) {
    }

    public boolean isLoadedByCurrentThread() {
        return loader == Thread.currentThread();
    }

    void complete(Entry entry) {
        result.complete(entry);
    }

    void fail() {
        result.complete(null);
    }

    /**
     * For an asynchronous method whose body has returned a future not yet complete: waiters from now on
     * share it instead of waiting for its value. The load stays under way until the future completes.
     */
    public void share(CompletableFuture<?> future) {
        result.complete(new InFlight(future));
    }

    /** The future shared by {@link #share}, or {@code null}: a look that never waits. */
    public InFlight inFlight() {
        return result.getNow(null) instanceof InFlight shared ? shared : null;
    }

    /**
     * Waits for the loader, at most {@code maxWaitNanos}.
     *
     * @return the {@link Entry} it produced; an {@link InFlight} future to share; {@code null} if it failed
     *     or died (the caller then retries); {@link #CYCLE} or {@link #WAITED_TOO_LONG} (compare by
     *     identity) if the caller should run the method itself
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public Object await(long maxWaitNanos) throws InterruptedException {
        Thread me = Thread.currentThread();
        WAITING.put(me, this);
        try {
            long deadline = System.nanoTime() + maxWaitNanos;
            while (true) {
                if (closesCycle(me)) {
                    return CYCLE;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return WAITED_TOO_LONG;
                }
                try {
                    return result.get(Math.min(left, RECHECK_NANOS), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    if (!loader.isAlive()) {
                        // The loader died without reaching its exit advice; never wait on it forever.
                        return null;
                    }
                } catch (ExecutionException e) {
                    return null;
                }
            }
        } finally {
            WAITING.remove(me, this);
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
