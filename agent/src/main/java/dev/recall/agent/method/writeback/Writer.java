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
 * thread, and runs everything still waiting, retrying failures until {@code drainTimeout}; a write that
 * still could not be made is reported on stderr with its method and key, never dropped silently.
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

    /** At JVM shutdown: everything accepted is run, or reported. */
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
        try {
            // Not interrupted: a write under way finishes (an interrupt could break it half-way), and the
            // next write of its key must not run beside it.
            writer.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            report("the writer was still running a write when the drain timed out");
            return;
        }
        while (!allEmpty() && System.nanoTime() - deadline < 0) {
            if (!pass(true, Integer.MAX_VALUE, TimeUnit.SECONDS.toNanos(1))) {
                try {
                    Thread.sleep(IDLE_PAUSE_MILLIS);
                } catch (InterruptedException e) {
                    break;
                }
            }
        }
        report("they kept failing for writeBack.drainTimeout (" + settings.drainTimeout().toMillis() + " ms)");
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
