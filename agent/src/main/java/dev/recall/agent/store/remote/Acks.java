package dev.recall.agent.store.remote;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A writer's side of acknowledged invalidations: after it announced an invalidation, a write (or eviction)
 * returns only once every JVM that held a near-cache lease when it was announced has said it applied it,
 * or after {@link Lease#MILLIS}, by which time a silent holder's own lease has run out ({@link Lease}).
 *
 * <p>Shared: writers register and wait on application threads; acknowledgements arrive on the subscriber
 * thread. The map and each wait's set of holders are concurrent; a wait ends on a latch.
 */
final class Acks {

    private static final long WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(Lease.MILLIS);

    private final AtomicLong ids = new AtomicLong();
    private final ConcurrentHashMap<String, Waiting> waiting = new ConcurrentHashMap<>();
    private final LongAdder timedOut = new LongAdder();

    /** One announced invalidation, waiting for the holders that have not acknowledged it yet. */
    static final class Waiting {
        final String id;
        private final Set<String> holders = ConcurrentHashMap.newKeySet();
        /** Who acknowledged, possibly before Redis' answer named the holders. */
        private final Set<String> acked = ConcurrentHashMap.newKeySet();
        private volatile CountDownLatch latch;

        private Waiting(String id) {
            this.id = id;
        }
    }

    /** A new id for an invalidation about to be announced; its holders are known once Redis answers. */
    Waiting begin() {
        Waiting w = new Waiting(Long.toString(ids.incrementAndGet(), 36));
        waiting.put(w.id, w);
        return w;
    }

    /**
     * The JVMs ({@code holders}, this one left out) that held leases when the invalidation was announced.
     * Acknowledgements may have come before this: a holder is waited for only if it has not.
     */
    void holders(Waiting w, List<String> holders, String self) {
        for (String h : holders) {
            if (!h.equals(self)) {
                w.holders.add(h);
            }
        }
        w.holders.removeAll(w.acked); // after the adds: an acknowledgement now or earlier is seen by one side
        w.latch = new CountDownLatch(1);
        if (w.holders.isEmpty()) {
            w.latch.countDown();
        }
    }

    /** {@code node} applied invalidation {@code id}; on the subscriber thread. */
    void acknowledged(String id, String node) {
        Waiting w = waiting.get(id);
        if (w == null) {
            return;
        }
        w.acked.add(node);
        w.holders.remove(node);
        CountDownLatch l = w.latch;
        if (l != null && w.holders.isEmpty()) {
            l.countDown();
        }
    }

    /**
     * Waits until every holder acknowledged or {@link Lease#MILLIS} passed; a wait whose holders were never
     * learnt (Redis failed first) ends at once: that write is owed and delivered later, as any undelivered one.
     */
    void await(Waiting w) {
        if (w == null) {
            return;
        }
        try {
            CountDownLatch l = w.latch;
            if (l == null || w.holders.isEmpty()) {
                return;
            }
            if (!l.await(WAIT_NANOS, TimeUnit.NANOSECONDS)) {
                timedOut.increment();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the application's; other JVMs' leases still run out by themselves
        } finally {
            waiting.remove(w.id);
        }
    }

    /** An announcement that will not be waited for (it failed and is retried, or runs on the connector thread). */
    void forget(Waiting w) {
        if (w != null) {
            waiting.remove(w.id);
        }
    }

    /** Writes that waited the whole lease for a holder that never acknowledged, since start. */
    long timedOut() {
        return timedOut.sum();
    }
}
