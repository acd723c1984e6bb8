package dev.recall.agent.store.remote;

import dev.recall.agent.store.CoarseClock;
import java.util.concurrent.TimeUnit;

/**
 * This JVM's lease on serving near hits (Gray and Cheriton's leases, as Chubby's client caches use them).
 * The two-level store serves a near hit only while the lease is valid; a writer anywhere waits, after it
 * announced an invalidation, until every JVM registered as a lease holder has acknowledged it or
 * {@link #MILLIS} have passed ({@link Acks}). A JVM that cannot answer (cut off, paused, its subscriber
 * stuck) thus stops serving near hits by itself before any writer stops waiting for it.
 *
 * <p>How a lease is granted. The connector thread renews on each tick: one script registers this JVM in the
 * lease set until Redis' own time plus {@link #MILLIS}, and publishes a <em>fence</em> message on the
 * invalidation channel in the same atomic step. The lease starts only when this JVM's subscriber receives its
 * own fence ({@link #granted}), and runs from the moment the renewal was <em>sent</em> (before Redis
 * registered it) for {@link #LOCAL_MILLIS}. A subscriber receives messages in the order Redis published
 * them and applies each before the next, so by then every invalidation published before the registration
 * has been applied here; every one published after it finds this JVM registered and waits for it.
 *
 * <p>Clocks: the lease is judged on this JVM's {@link CoarseClock} (a volatile read and a compare on the hit
 * path), which lags the monotonic clock by its tick plus its thread's scheduling delay. {@link #LOCAL_MILLIS}
 * is {@link #MILLIS} less a margin that covers that lag and a difference of clock rates between this JVM,
 * Redis and a writer (about a quarter of the lease); no clocks need to agree on the time of day.
 *
 * <p>Shared: {@link #valid} runs on application threads, {@link #granted} on the subscriber thread,
 * {@link #revoke} on the connector or subscriber thread; the end of the lease is one volatile field, and the
 * two writers are serialized by this object's lock.
 */
final class Lease {

    /** How long a registration lasts in Redis, and the longest a writer waits for a silent holder. */
    static final long MILLIS = 2_000;
    /** How long this JVM trusts a lease, from the moment it sent the renewal. */
    static final long LOCAL_MILLIS = 1_500;
    private static final long LOCAL_NANOS = TimeUnit.MILLISECONDS.toNanos(LOCAL_MILLIS);

    /**
     * On the {@link System#nanoTime()} clock; while no lease is held, before the coarse clock's last tick (it
     * lags the real clock, so "the real now" could still look ahead of it).
     */
    private volatile long until;

    Lease() {
        CoarseClock.start(); // a clock that never ticked would keep a lease valid for ever
        until = CoarseClock.now() - 1;
    }

    /** Whether near hits may be served now: the hit path's check. */
    boolean valid() {
        return CoarseClock.now() - until < 0;
    }

    /**
     * This JVM received its own fence for a renewal sent at {@code sentNanos}: the lease runs to
     * {@code sentNanos +} {@link #LOCAL_MILLIS}. If the lease had lapsed meanwhile, {@code onLapse} runs first
     * (the near tier is emptied): while it had lapsed, writers stopped waiting for this JVM.
     */
    synchronized void granted(long sentNanos, Runnable onLapse) {
        long end = sentNanos + LOCAL_NANOS;
        long now = System.nanoTime();
        if (end - now <= 0) {
            return; // the fence came too late: the lease it grants is already over
        }
        if (until - now <= 0) {
            onLapse.run();
        }
        if (end - until > 0) {
            until = end;
        }
    }

    /** No more near hits until the next lease (the subscription is lost: fences and invalidations may be too). */
    synchronized void revoke() {
        until = CoarseClock.now() - 1;
    }
}
