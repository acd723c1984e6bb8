package dev.recall.agent.method.writeback;

import dev.recall.agent.store.PendingWrites;
import dev.recall.bridge.Bridge;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The writes of one {@code WRITE_BACK} method that were accepted and have not reached the method yet.
 *
 * <p>Per key, the last write wins: a write of a key already waiting replaces it (it keeps its place and
 * its age). A write being run stays visible, as {@link #latest} for readers, until it completes; a write
 * of its key accepted meanwhile waits behind it. A failed write goes back in with a growing delay, unless
 * a newer write of its key superseded it. Bounded by {@code maxPending} waiting keys: past it a new key is
 * refused, and its caller writes through instead. Nothing accepted leaves except by being run or
 * replaced by a newer write of its key.
 *
 * <p>The writes of one key never run at the same time, whoever runs them: a caller refused a place
 * first waits for the write of its key that the writer is running, then holds the key as running itself
 * until its own write-through has ended ({@link #directDone}); the writer skips the key meanwhile. An
 * older write of the key that failed meanwhile is parked: dropped if the caller's newer write succeeds,
 * queued again if it fails (the caller got the exception; the older write was accepted and must still be
 * made). So the final state of each key is its last accepted write.
 *
 * <p>Shared by application threads (offering, reading) and the writer thread (taking, completing): every
 * method is synchronized on the queue; the critical sections are map operations.
 */
public final class WriteQueue implements PendingWrites {

    private static final long FIRST_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long LONGEST_RETRY_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final int maxPending;
    private final long delayNanos;
    private final LinkedHashMap<Object, PendingWrite> waiting = new LinkedHashMap<>();
    private final Map<Object, PendingWrite> running = new HashMap<>();
    /** Callers waiting to write a key through themselves: a failed older write of it is not retried. */
    private final Map<Object, Integer> directWaiting = new HashMap<>();
    /** Failed older writes of keys a caller is writing itself, until the caller's write has ended. */
    private final Map<Object, PendingWrite> parked = new HashMap<>();
    private boolean closed;
    private final LongAdder flushed = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder coalesced = new LongAdder();

    public WriteQueue(int maxPending, long delayNanos) {
        this.maxPending = maxPending;
        this.delayNanos = delayNanos;
    }

    /**
     * Accepts a write of {@code key}.
     *
     * @return {@code false} if it was not accepted (full, or closed for shutdown): the caller writes itself,
     *     after {@link #awaitDirectTurn}, and calls {@link #directDone} when its write has ended
     */
    public synchronized boolean offer(Object key, Object self, Object[] args, Object value, long nowNanos) {
        if (closed) {
            // The caller writes through itself; a write of its key still waiting is older, and must not run after it.
            if (waiting.remove(key) != null) {
                coalesced.increment();
            }
            directWaiting.merge(key, 1, Integer::sum);
            return false;
        }
        PendingWrite older = waiting.get(key);
        if (older != null) {
            waiting.put(key, new PendingWrite(key, self, args, value, older.acceptedNanos));
            coalesced.increment();
            return true;
        }
        if (waiting.size() >= maxPending) {
            directWaiting.merge(key, 1, Integer::sum);
            return false;
        }
        waiting.put(key, new PendingWrite(key, self, args, value, nowNanos));
        return true;
    }

    /**
     * For a caller {@link #offer} refused: waits until no write of {@code key} runs, then marks the caller's
     * own write as the one running. Called without any other lock held: the write it waits for may be a
     * call that needs one.
     */
    public synchronized void awaitDirectTurn(Object key, Object self, Object[] args, Object value, long nowNanos) {
        try {
            while (running.containsKey(key)) {
                wait();
            }
        } catch (InterruptedException e) {
            // The application's interrupt is kept; its write goes ahead rather than fail.
            Thread.currentThread().interrupt();
        } finally {
            directWaiting.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1);
        }
        running.put(key, new PendingWrite(key, self, args, value, nowNanos, true));
    }

    /**
     * A caller's own write of {@code key}, refused a place by {@link #offer}, has ended.
     *
     * @param succeeded whether the method returned normally (then it is the key's newest write)
     */
    public synchronized void directDone(Object key, boolean succeeded, long nowNanos) {
        PendingWrite w = running.get(key);
        if (w != null && w.direct) {
            running.remove(key);
            notifyAll();
        }
        PendingWrite older = parked.remove(key);
        if (older == null) {
            return;
        }
        if (succeeded || waiting.containsKey(key)) {
            coalesced.increment(); // superseded by the caller's write, or by a newer accepted one
        } else {
            retryLater(older, nowNanos, LONGEST_RETRY_NANOS);
        }
    }

    /**
     * Takes up to {@code max} writes that are due (their delay, or their retry pause, is over) and marks them
     * running; with {@code ignoreDelay} (draining at shutdown) only retry pauses are respected. Keys with a
     * write running are skipped: writes of one key run in order.
     */
    synchronized List<PendingWrite> take(long nowNanos, int max, boolean ignoreDelay) {
        List<PendingWrite> due = new ArrayList<>();
        Iterator<PendingWrite> it = waiting.values().iterator();
        while (it.hasNext() && due.size() < max) {
            PendingWrite w = it.next();
            boolean ready = w.attempts > 0 ? nowNanos - w.notBeforeNanos >= 0
                    : ignoreDelay || nowNanos - w.acceptedNanos >= delayNanos;
            if (ready && !running.containsKey(w.key)) {
                it.remove();
                running.put(w.key, w);
                due.add(w);
            }
        }
        return due;
    }

    /** The write reached the method, which returned normally. */
    synchronized void completed(PendingWrite w) {
        running.remove(w.key);
        flushed.increment();
        notifyAll();
    }

    /** The method threw: the write goes back in, to be retried later, unless a newer one replaced it. */
    synchronized void failed(PendingWrite w, long nowNanos, long longestRetryNanos) {
        running.remove(w.key);
        failed.increment();
        notifyAll();
        if (waiting.containsKey(w.key)) {
            coalesced.increment(); // the newer write of the key carries the newer value
            return;
        }
        if (directWaiting.containsKey(w.key)) {
            parked.put(w.key, w); // decided when the caller's newer write has ended
            return;
        }
        retryLater(w, nowNanos, longestRetryNanos);
    }

    private void retryLater(PendingWrite w, long nowNanos, long longestRetryNanos) {
        w.attempts++;
        long pause = Math.min(FIRST_RETRY_NANOS << Math.min(w.attempts - 1, 20), Math.min(LONGEST_RETRY_NANOS, longestRetryNanos));
        w.notBeforeNanos = nowNanos + pause;
        waiting.put(w.key, w);
    }

    /** The newest write of {@code key} that has not completed, which readers must see; {@code null} if none. */
    public synchronized PendingWrite latest(Object key) {
        PendingWrite w = waiting.get(key);
        if (w != null) {
            return w;
        }
        PendingWrite r = running.get(key);
        // A caller's own write-through is not pending: its entry is set when it ends, as any write-through's.
        return r == null || r.direct ? null : r;
    }

    @Override
    public Object pendingValue(Object key) {
        PendingWrite w = latest(key);
        return w == null ? null : w.value == null ? Bridge.NULL : w.value;
    }

    /** Refuses new writes from now on (shutdown): their callers write themselves. */
    synchronized void close() {
        closed = true;
    }

    /** Callers' own write-throughs (see {@link #awaitDirectTurn}) are not pending writes: none of these counts them. */
    public synchronized boolean isEmpty() {
        return waiting.isEmpty() && parked.isEmpty() && runningQueued() == 0;
    }

    public synchronized int pending() {
        return waiting.size() + parked.size() + runningQueued();
    }

    private int runningQueued() {
        int n = 0;
        for (PendingWrite w : running.values()) {
            if (!w.direct) {
                n++;
            }
        }
        return n;
    }

    /** Age of the oldest write not yet completed, in milliseconds; 0 if none. */
    public synchronized double oldestPendingMillis(long nowNanos) {
        long oldest = Long.MAX_VALUE;
        for (PendingWrite w : waiting.values()) {
            oldest = Math.min(oldest, w.acceptedNanos);
        }
        for (PendingWrite w : running.values()) {
            if (!w.direct) {
                oldest = Math.min(oldest, w.acceptedNanos);
            }
        }
        return oldest == Long.MAX_VALUE ? 0 : (nowNanos - oldest) / 1e6;
    }

    /** The keys still waiting, for the report of writes that could not be made before the JVM exited. */
    synchronized List<Object> keys() {
        List<Object> keys = new ArrayList<>();
        running.forEach((k, w) -> {
            if (!w.direct) {
                keys.add(k);
            }
        });
        keys.addAll(waiting.keySet());
        keys.addAll(parked.keySet());
        return keys;
    }

    public long flushed() {
        return flushed.sum();
    }

    /** Runs of the method that threw (each is retried unless superseded). */
    public long failed() {
        return failed.sum();
    }

    /** Writes replaced by a newer write of the same key before they ran. */
    public long coalesced() {
        return coalesced.sum();
    }

    public void resetStatistics() {
        flushed.reset();
        failed.reset();
        coalesced.reset();
    }
}
