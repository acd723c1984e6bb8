package dev.recall.agent.method;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agent's reload threads: refresh-ahead and the reload of stale entries run here, never on a caller's
 * thread. A bounded pool with a bounded queue: a reload that finds it full is refused (a refresh is then
 * skipped, a stale caller loads for itself), so a backend that hangs ties up at most {@link #THREADS} threads.
 *
 * <p>Shared by every method; the executor is thread-safe.
 */
final class Reloads {

    static final int THREADS = 4;
    static final int QUEUE = 1024;

    static final Reloads SHARED = new Reloads();

    private final AtomicInteger created = new AtomicInteger();
    private final ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE), r -> new ReloadThread(r, "recall-reload-" + created.incrementAndGet()));

    private Reloads() {
        pool.allowCoreThreadTimeOut(true);
    }

    /** @return whether it will run ({@code false}: the queue is full) */
    boolean submit(Reload reload) {
        try {
            pool.execute(reload);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /**
     * The reload the current thread is running, if it is one of {@code method} whose woven call has not been
     * seen yet; that call is then the reload, and a nested call of the method is an ordinary one.
     */
    static Reload claim(ReadMethod method) {
        if (Thread.currentThread() instanceof ReloadThread t) {
            Reload r = t.current;
            if (r != null && r.method == method && !r.entered) {
                r.entered = true;
                return r;
            }
        }
        return null;
    }

    /** Whether the current thread is a reload thread running a reload of {@code method}'s. */
    static boolean reloading(ReadMethod method) {
        return Thread.currentThread() instanceof ReloadThread t && t.current != null && t.current.method == method;
    }

    /** A daemon thread that knows the reload it runs. */
    static final class ReloadThread extends Thread {
        /** Written and read by this thread only. */
        Reload current;

        ReloadThread(Runnable r, String name) {
            super(r, name);
            setDaemon(true);
        }
    }
}
