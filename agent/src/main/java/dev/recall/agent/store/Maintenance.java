package dev.recall.agent.store;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Caffeine's housekeeping for every local store: one daemon thread of the agent's own
 * ({@code recall-cache-maintenance}), fed without a lock.
 *
 * <p>Caffeine hands its maintenance to this executor while it holds its eviction lock, on whatever application
 * thread read or wrote. A {@code ThreadPoolExecutor} would take its queue's lock there; an error thrown between
 * that lock's acquisition and its release ({@code StackOverflowError} in deep recursion, {@code OutOfMemoryError})
 * would leave it held, and every later cache write of the JVM would block on it for ever. Here a submission is a
 * compare-and-set on a lock-free queue and an unpark: an error anywhere in it loses at most that one task's
 * prompt start (the thread also wakes on its own every {@link #IDLE_NANOS}), never another thread's progress.
 *
 * <p>Shared by every thread; the queue is the only state callers touch. A task that throws is dropped; the
 * thread goes on.
 */
final class Maintenance implements Executor {

    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Thread thread;

    /** The one instance of the JVM, started by the first local store. */
    static Maintenance shared() {
        return Holder.SHARED;
    }

    private static final class Holder {
        static final Maintenance SHARED = new Maintenance();
    }

    private Maintenance() {
        thread = new Thread(this::run, "recall-cache-maintenance");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void execute(Runnable task) {
        tasks.offer(task);
        LockSupport.unpark(thread);
    }

    private void run() {
        while (true) {
            Runnable task = tasks.poll();
            if (task == null) {
                LockSupport.parkNanos(this, IDLE_NANOS);
                continue;
            }
            try {
                task.run();
            } catch (Throwable t) {
                // Caffeine logs its own failures; the thread must outlive any one task.
            }
        }
    }
}
