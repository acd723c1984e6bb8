package dev.recall.agent.store.remote;

import dev.recall.agent.log.Log;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A connector's failure handling, the same for Redis and Memcached, so that no application thread ever waits on a
 * server that is known to be down: commands run only while the {@link Breaker} is UP; failures open it; the
 * connector's own thread ({@code recall-redis}, {@code recall-memcached}) probes, applies the invalidations that could
 * not be delivered meanwhile ({@link PendingInvalidations}), and only then lets reads through again. Before the first
 * attempt to connect has ended, a call that needs the server waits for it, at most the connect timeout.
 *
 * <p>What differs between the servers (how a client is made, how a probe asks, what an owed invalidation is in
 * commands, what else the thread watches while up) is the connector's {@link Server}.
 *
 * <p>Thread safety: shared by every application thread and the connector's thread. The breaker, the pending set and
 * the counters are concurrent; {@link #recovering} is volatile and written only by the connector's thread,
 * {@link #lastFailure} volatile and written wherever a failure opens the breaker; the probe schedule ({@link
 * #retryMillis}, {@link #nextProbe}) is guarded by this object's lock.
 *
 * @param <C> the server's client, thread-safe
 */
final class RemoteOutage<C> {

    static final long FIRST_RETRY_MILLIS = 500;
    private static final long LONGEST_RETRY_MILLIS = 5_000;
    private static final int PENDING_LIMIT = 10_000;
    private static final long FIRST_RETRY_PAUSE_MILLIS = 20;

    /** One command on the server's client. */
    interface Command<C, T> {
        T run(C client) throws Exception;
    }

    /** What the failure handling asks of one kind of server; called on the connector's thread unless said. */
    interface Server<C> {

        /** The client now, or {@code null} before the first is made; on any thread. */
        C client();

        /** The client, made first if there is none (a failure to make it is a failed probe). */
        C connect() throws Exception;

        /** Whether the coming probe would be the first connection, for the messages. */
        boolean firstConnection();

        /** Checks that the server answers, before anything owed goes out. */
        void probe(C client) throws Exception;

        /**
         * With writes going straight to the server ({@link #recovering}): applies what the outage owed ({@link
         * #applyOwed}) and catches up with what this JVM could not hear meanwhile.
         *
         * @return how many owed invalidations were applied
         */
        int catchUp(C client) throws Exception;

        /** Delivers one owed {@code invalidateAll}. */
        void owedRegion(C client, String region) throws Exception;

        /** Delivers one owed invalidation of a key. */
        void owedKey(C client, String region, String key) throws Exception;

        /** The thread's work on each tick while the breaker is UP, after owed invalidations were delivered. */
        void whileUp(C client);

        /** Whether a first connection that failed so is tried again at once (until the connect timeout). */
        boolean retryFirst(Throwable failure);

        /** The message of a command the server refused while up (it counts as no failure), or {@code null}. */
        default String refusal(Exception e) {
            return null;
        }

        /** The breaker just opened (on any thread). */
        default void wentDown() {
        }

        /** A probe failed; the breaker is open. */
        default void probeFailed() {
        }
    }

    private final LinkFacts facts;
    private final String name;
    private final long connectTimeoutMillis;
    private final Server<C> server;
    private final Breaker breaker = new Breaker();
    private final PendingInvalidations pending = new PendingInvalidations(PENDING_LIMIT);
    private final LongAdder undelivered = new LongAdder();
    /** The connector's own thread, which must never wait for the first connection: it makes it. */
    private volatile Thread workerThread;
    private final ScheduledExecutorService worker;
    /** Open once the first attempt to connect has ended, whichever way: calls made before wait for it ({@link #readable}). */
    private final CountDownLatch firstAttempt = new CountDownLatch(1);
    /**
     * Set by the connector thread once a probe has reached the server and until the breaker is closed: writes
     * and invalidations made meanwhile go straight to it instead of the pending set, so that applying
     * the pending set finishes however steadily the application writes.
     */
    private volatile boolean recovering;
    private long retryMillis = FIRST_RETRY_MILLIS;
    private long nextProbe;
    private volatile Throwable lastFailure;

    /**
     * @param facts                the link's; its name is the messages' and the thread's
     * @param connectTimeoutMillis how long making a connection may take; also the longest a call waits for the first one
     */
    RemoteOutage(LinkFacts facts, long connectTimeoutMillis, Server<C> server) {
        this.facts = facts;
        this.name = facts.name();
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.server = server;
        String thread = "recall-" + name.toLowerCase(Locale.ROOT);
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> workerThread = daemon(r, thread));
    }

    /**
     * Starts the connector's thread, which connects at once (in the background: the application starts without
     * waiting), then ticks every {@code tickMillis}; at shutdown, {@code atShutdown} runs on a thread of its own.
     *
     * @param settings the connector's, as the start-up message shows them
     */
    void start(long tickMillis, Object settings, Runnable atShutdown) {
        worker.scheduleWithFixedDelay(this::tick, 0, tickMillis, TimeUnit.MILLISECONDS);
        Runtime.getRuntime().addShutdownHook(daemon(atShutdown, "recall-" + name.toLowerCase(Locale.ROOT) + "-shutdown"));
        Log.info(name + " store: " + settings + "; connecting in the background (calls made before it is up wait for it, at "
                + "most " + connectTimeoutMillis + " ms, then run uncached until it answers)");
    }

    /** The facts of the link this handles the outages of. */
    LinkFacts facts() {
        return facts;
    }

    RedisState state() {
        return breaker.state();
    }

    /** The state of {@code link}'s store: {@link RedisState#UNUSED} while there is no link (no region asked for it). */
    static RedisState stateOf(RemoteLink link) {
        return link == null ? RedisState.UNUSED : link.outage().state();
    }

    /** {@code link}'s {@link #undelivered()}, 0 while there is no link. */
    static long undeliveredOf(RemoteLink link) {
        return link == null ? 0 : link.outage().undelivered();
    }

    boolean up() {
        return breaker.up();
    }

    /**
     * Writes and invalidations that could not reach the server when they were made, since start: each is kept and
     * delivered later, and until then other JVMs may serve the value it replaced.
     */
    long undelivered() {
        return undelivered.sum();
    }

    /**
     * Whether reads may go to the server: it is up and owes nothing from an outage. Before the first attempt to
     * connect has ended, the caller waits for it, at most the connect timeout, so that a JVM's first calls
     * share the cache rather than load what other JVMs stored. Once it is up this is two volatile reads.
     */
    boolean readable() {
        if (breaker.up()) {
            return pending.isEmpty();
        }
        return firstAttempt.getCount() != 0 && awaitFirstAttempt() && breaker.up() && pending.isEmpty();
    }

    /** @return whether the first attempt to connect has ended (at once if it had; else within the connect timeout) */
    private boolean awaitFirstAttempt() {
        if (firstAttempt.getCount() == 0) {
            return true;
        }
        if (Thread.currentThread() == workerThread) {
            return false;
        }
        try {
            return firstAttempt.await(connectTimeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the application's: kept, and this call runs uncached
            return false;
        }
    }

    /** A read or a cache fill: failures count towards opening the breaker. */
    <T> T read(Command<C, T> command) {
        if (!readable()) {
            throw Unavailable.DOWN;
        }
        C c = server.client();
        if (c == null) {
            throw Unavailable.DOWN;
        }
        try {
            T result = command.run(c);
            breaker.succeeded();
            return result;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the application's; this call runs uncached
            throw new Unavailable("interrupted", e);
        } catch (Exception e) {
            String refused = server.refusal(e);
            if (refused != null) {
                // The server answered, with an error (full, or a script refused): this command fails, it is up.
                breaker.succeeded();
                throw new Unavailable(name + " refused the command: " + refused, e);
            }
            if (breaker.failed()) {
                wentDown(e);
            }
            throw new Unavailable(name + " command failed: " + e, e);
        }
    }

    /**
     * An invalidation must arrive: if it cannot now, it is kept, this JVM reads nothing from the server until it
     * has (see {@link #readable}), and the connector thread delivers it on its next tick. A delivery is
     * tried twice before it is kept; one that failed twice counts like one failed read: a single command
     * slowed by CPU load does not open the breaker.
     *
     * @param key {@code null}: an {@code invalidateAll} of the region
     * @return what the command returned, or {@code null} if it was kept for later
     */
    <T> T deliver(String region, String key, Command<C, T> command) {
        if (!breaker.up()) {
            awaitFirstAttempt(); // a write before the first connection waits for it, as a read does
        }
        C c = server.client();
        if (c != null && (breaker.up() || recovering)) {
            Exception failure = null;
            // Once more at once if the first try fails: a write that does not reach the server lets other JVMs
            // serve the value it replaced until it is delivered, and a timeout under CPU load rarely repeats.
            // Every command delivered here is safe to repeat: the same value set twice, a second tombstone, a
            // second message, or a conditional write that, finding its own value instead of its marker, leaves
            // a tombstone.
            for (int attempt = 0; attempt < 2; attempt++) {
                try {
                    T result = command.run(c);
                    breaker.succeeded();
                    return result;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failure = e;
                    break;
                } catch (Exception e) {
                    failure = e;
                }
            }
            remember(region, key);
            undelivered.increment();
            if (breaker.failed()) {
                wentDown(failure);
            }
            return null;
        }
        remember(region, key);
        undelivered.increment();
        return null;
    }

    private void remember(String region, String key) {
        if (key == null) {
            pending.region(region);
        } else {
            pending.key(region, key);
        }
    }

    private void wentDown(Throwable cause) {
        lastFailure = cause;
        synchronized (this) {
            nextProbe = System.currentTimeMillis() + retryMillis;
        }
        server.wentDown();
        Log.warn(name + " store: " + name + " is not answering (" + cause + "); calls run without it, and it is probed until it is back");
    }

    /** Sends the next probe at the next tick, with the backoff started anew (a new master is known). */
    synchronized void probeSoon() {
        retryMillis = FIRST_RETRY_MILLIS;
        nextProbe = 0;
    }

    /** The connector thread's heartbeat: connect, probe, recover, and the server's own watching while up. */
    private void tick() {
        try {
            if (firstAttempt.getCount() != 0) {
                connectFirst();
            } else if (breaker.state() != RedisState.UP) {
                synchronized (this) {
                    if (System.currentTimeMillis() < nextProbe) {
                        return;
                    }
                }
                recover();
            } else {
                C c = server.client();
                if (!pending.isEmpty()) {
                    applyPending(c);
                }
                server.whileUp(c);
            }
        } catch (Throwable t) {
            Log.once(name.toLowerCase(Locale.ROOT) + "-tick|" + t.getClass().getName(),
                    name + " store: unexpected failure of its background thread", t);
        }
    }

    /**
     * The first connection, which calls made meanwhile wait for ({@link #readable}): tried again at once while
     * it fails in a way the server says is worth it and the connect timeout has not passed (a JVM starting on a
     * busy machine can miss the 50 ms of a first PING), so that one slow answer does not send the first calls past
     * a server that is there. Said once if it did not connect.
     */
    private void connectFirst() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(connectTimeoutMillis);
        try {
            while (true) {
                recover();
                if (breaker.up()) {
                    return;
                }
                if (!server.retryFirst(lastFailure) || System.nanoTime() - deadline >= 0) {
                    Log.warn(name + " store: cannot reach " + name + " (" + lastFailure + "); calls run without it, and it "
                            + "is retried in the background");
                    return;
                }
                Thread.sleep(FIRST_RETRY_PAUSE_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            firstAttempt.countDown();
            synchronized (this) {
                retryMillis = FIRST_RETRY_MILLIS; // the quick retries above do not count towards the backoff
            }
        }
    }

    private void recover() {
        boolean first = server.firstConnection();
        breaker.probing();
        try {
            C c = server.connect();
            server.probe(c);
            recovering = true;
            int applied = server.catchUp(c);
            // Invalidations that slipped into the pending set meanwhile keep reads off the server (see readable)
            // until the next tick delivers them; writes from now on go straight to it.
            breaker.close();
            synchronized (this) {
                retryMillis = FIRST_RETRY_MILLIS;
            }
            Log.info(first ? name + " store: connected" : name + " store: " + name + " is back; " + applied
                    + " invalidation(s) made during the outage were applied first");
            if (!pending.isEmpty()) {
                applyPending(c);
            }
        } catch (Exception e) {
            Log.debug(name + " store: probe failed: " + e);
            breaker.open();
            server.probeFailed();
            synchronized (this) {
                nextProbe = System.currentTimeMillis() + retryMillis;
                retryMillis = Math.min(retryMillis * 2, LONGEST_RETRY_MILLIS);
            }
            lastFailure = e;
        } finally {
            recovering = false;
        }
    }

    /**
     * Delivers what the pending set holds now, in rounds while it keeps filling (a write that failed
     * meanwhile), at most a few: what is left waits for the next tick. Whatever fails is put back.
     *
     * @return how many invalidations were applied
     * @throws Exception if the server failed; the undelivered ones are back in the set
     */
    int applyOwed(C c) throws Exception {
        int applied = 0;
        for (int round = 0; round < 4 && !pending.isEmpty(); round++) {
            PendingInvalidations.Drained owed = pending.drain();
            try {
                for (String region : owed.regions()) {
                    server.owedRegion(c, region);
                }
                for (String[] k : owed.keys()) {
                    server.owedKey(c, k[0], k[1]);
                }
            } catch (Exception e) {
                pending.restore(owed);
                throw e;
            }
            applied += owed.keys().size() + owed.regions().size();
        }
        return applied;
    }

    /** Work of the connector's thread on the server while it is up. */
    interface Step {
        void run() throws Exception;
    }

    /** On the connector thread while the breaker is up: a step whose failure counts towards opening it, as a read's does. */
    void counted(Step step) {
        try {
            step.run();
            breaker.succeeded();
        } catch (Exception e) {
            if (breaker.failed()) {
                wentDown(e);
            }
        }
    }

    /** On the connector thread while the breaker is up: a delivery that failed once is retried. */
    private void applyPending(C c) {
        if (c == null) {
            return;
        }
        try {
            applyOwed(c);
            breaker.succeeded();
        } catch (Exception e) {
            if (breaker.failed()) {
                wentDown(e);
            }
        }
    }

    /**
     * At shutdown: what is still pending is delivered if the server answers within about two seconds, so that
     * other JVMs do not keep serving what this one invalidated last. Whatever cannot be delivered in that
     * time is said, with its count.
     *
     * @param c the client, or {@code null} if none was ever made (then all that is pending is said undelivered)
     */
    void flush(C c) {
        if (pending.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        PendingInvalidations.Drained owed = pending.drain();
        int left = owed.keys().size() + owed.regions().size();
        try {
            if (c != null) {
                for (String region : owed.regions()) {
                    if (System.nanoTime() > deadline) {
                        break;
                    }
                    server.owedRegion(c, region);
                    left--;
                }
                for (String[] k : owed.keys()) {
                    if (System.nanoTime() > deadline) {
                        break;
                    }
                    server.owedKey(c, k[0], k[1]);
                    left--;
                }
            }
        } catch (Exception e) {
            // said below, with what is left
        }
        if (left > 0) {
            Log.warn(name + " store: " + left + " invalidation(s) could not reach " + name + " before the JVM stopped; other "
                    + "JVMs may serve those entries until they expire");
        }
    }

    static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
