package dev.recall.agent.method.writeback;

import dev.recall.agent.config.MethodSignature;
import dev.recall.agent.log.Log;
import dev.recall.agent.config.WriteBackSettings;
import dev.recall.agent.key.Keys;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The background writer of every {@code WRITE_BACK} method: one daemon thread ({@code recall-write-back})
 * that runs the accepted writes once their delay is over, a batch per method per pass, and retries those
 * that fail. At JVM shutdown a hook closes the queues (callers then write themselves), waits for the
 * thread, and runs everything still waiting on a daemon thread, retrying failures until {@code drainTimeout},
 * the hook's bound whatever the bodies do; a write that still could not be made is reported on stderr with
 * its method and key, never dropped silently.
 *
 * <p>Shared: targets are registered from class-loading threads (a copy-on-write list); only the writer
 * thread, or after it the shutdown hook, runs writes, so the writes of one key never run concurrently.
 */
public final class Writer {

    /** A method whose accepted writes this writer runs. */
    public interface Target {

        WriteQueue queue();

        /** Runs the method for {@code write}; throws what the method threw. */
        void replay(PendingWrite write) throws Throwable;

        MethodSignature signature();
    }

    private static final long IDLE_PAUSE_MILLIS = 20;

    private final WriteBackSettings settings;
    private final List<Target> targets = new CopyOnWriteArrayList<>();
    private Thread thread;
    private volatile boolean stopping;

    public Writer(WriteBackSettings settings) {
        this.settings = settings;
    }

    public WriteBackSettings settings() {
        return settings;
    }

    public synchronized void register(Target target) {
        targets.add(target);
        if (thread == null) {
            thread = new Thread(this::loop, "recall-write-back");
            thread.setDaemon(true);
            thread.start();
            Runtime.getRuntime().addShutdownHook(new Thread(this::drain, "recall-write-back-drain"));
        }
    }

    /**
     * A write-back method released with its class loader. Its queue is empty by then: every pending write
     * holds the declaring class, which would have kept the loader alive.
     */
    public void unregister(Target target) {
        targets.remove(target);
    }

    private void loop() {
        while (!stopping) {
            boolean ran = pass(false, settings.batchSize(), Long.MAX_VALUE);
            if (!ran) {
                try {
                    Thread.sleep(Math.min(IDLE_PAUSE_MILLIS, Math.max(1, TimeUnit.NANOSECONDS.toMillis(settings.delay().toNanos()))));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** One round over every method. @return whether any write ran */
    boolean pass(boolean ignoreDelay, int batch, long longestRetryNanos) {
        boolean ran = false;
        for (Target t : targets) {
            for (PendingWrite w : t.queue().take(System.nanoTime(), batch, ignoreDelay)) {
                ran = true;
                run(t, w, longestRetryNanos);
            }
        }
        return ran;
    }

    private static void run(Target t, PendingWrite w, long longestRetryNanos) {
        try {
            t.replay(w);
            t.queue().completed(w);
        } catch (Throwable failure) {
            t.queue().failed(w, System.nanoTime(), longestRetryNanos);
            Log.once("write-back-failed|" + t.signature(), "write-back: a write of " + t.signature() + " (a key "
                    + Keys.describe(w.key) + ") failed: " + failure.getClass().getName() + " (its message is not printed: it may "
                    + "hold data of the call); it stays queued and is retried with a growing pause, "
                    + "unless a newer write of its key replaces it (FailedWrites counts each failure)", null);
        }
    }

    /**
     * At JVM shutdown: everything accepted is run, or reported, within {@code drainTimeout} whatever the method
     * bodies do. The writes run on a daemon thread of their own, never on the hook's thread, and the hook waits for
     * it at most until the deadline: a body that blocks, or calls {@code System.exit} (which waits for this hook, so
     * run on the hook's thread it would wait for itself for ever), holds the JVM no longer than the bound. Writes
     * not made by then are reported on stderr with their keys.
     */
    void drain() {
        stopping = true;
        for (Target t : targets) {
            t.queue().close();
        }
        long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
        Thread writer;
        synchronized (this) {
            writer = thread;
        }
        // Not interrupted: a write under way finishes (an interrupt could break it half-way), and the
        // next write of its key must not run beside it.
        joinUntil(writer, deadline);
        if (writer.isAlive()) {
            report("the writer was still running a write when the drain timed out");
            return;
        }
        Thread last = new Thread(() -> drainUntil(deadline), "recall-write-back-last-writes");
        last.setDaemon(true);
        last.start();
        joinUntil(last, deadline);
        if (last.isAlive()) {
            report("a write was still running when writeBack.drainTimeout (" + settings.drainTimeout().toMillis()
                    + " ms) was over");
            return;
        }
        report("they kept failing for writeBack.drainTimeout (" + settings.drainTimeout().toMillis() + " ms)");
    }

    /** The last writes, on their own thread: run and retried until {@code deadline} or until none is left. */
    private void drainUntil(long deadline) {
        while (!allEmpty() && System.nanoTime() - deadline < 0) {
            if (!pass(true, Integer.MAX_VALUE, TimeUnit.SECONDS.toNanos(1))) {
                try {
                    Thread.sleep(IDLE_PAUSE_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private static void joinUntil(Thread t, long deadline) {
        try {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean allEmpty() {
        for (Target t : targets) {
            if (!t.queue().isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private void report(String why) {
        for (Target t : targets) {
            List<Object> keys = t.queue().keys();
            if (!keys.isEmpty()) {
                // Their types and sizes only: a key's value may be personal data, which logs never show.
                String shown = keys.stream().limit(20).map(Keys::describe).collect(Collectors.joining(", "));
                Log.error("write-back: " + keys.size() + " accepted write(s) of " + t.signature() + " did not reach the "
                        + "method before the JVM exited, because " + why + "; their keys: " + shown
                        + (keys.size() > 20 ? ", ..." : ""));
            }
        }
    }
}
