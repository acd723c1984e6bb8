package dev.recall.agent.store.remote;

import dev.recall.agent.log.Log;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.UnifiedJedis;

/**
 * The channel on which JVMs tell each other what they invalidated, over {@link RedisConnector}'s Redis: this JVM's
 * subscription (its own thread, {@code recall-redis-subscriber}), what it publishes, and the near-cache leases and
 * acknowledgements that let a writer wait for every JVM holding a near tier ({@link Lease}, {@link Acks}). While the
 * subscription is not known to be live, listeners are told that they may have missed messages, and near tiers do
 * not serve.
 *
 * <p>Thread safety: shared by application threads (announcing), the connector's thread (watching, renewing) and the
 * subscriber thread. The listeners are a copy-on-write list; the subscription state is volatile fields, each written
 * as one step; the ack sender is set once under this object's lock; leases and acks are thread-safe themselves.
 */
final class RedisChannel {

    private static final long SUBSCRIPTION_SILENCE_MILLIS = 3_000;

    private final String nodeId;
    private final RemoteKeys keys;
    private final Generations generations;
    /** The connector's client now ({@code null} before the first); thread-safe. */
    private final Supplier<UnifiedJedis> client;
    /** Whether the connector's breaker is up. */
    private final BooleanSupplier up;
    /** Re-reads the known regions' generations from Redis: what a new subscription may have missed. */
    private final Consumer<UnifiedJedis> refreshGenerations;
    private final List<InvalidationListener> listeners = new CopyOnWriteArrayList<>();
    private final Lease lease = new Lease();
    private final Acks acks = new Acks();
    /** Set when the first near tier listens: only JVMs with one hold leases and acknowledge invalidations. */
    private volatile AckSender ackSender;
    private volatile boolean subscribed;
    private volatile Subscription subscription;
    private volatile long lastPong;

    RedisChannel(String nodeId, RemoteKeys keys, Generations generations, Supplier<UnifiedJedis> client, BooleanSupplier up,
                 Consumer<UnifiedJedis> refreshGenerations) {
        this.nodeId = nodeId;
        this.keys = keys;
        this.generations = generations;
        this.client = client;
        this.up = up;
        this.refreshGenerations = refreshGenerations;
    }

    /** Starts the subscriber thread: it subscribes whenever Redis is up and it is not subscribed. */
    void start() {
        RemoteOutage.daemon(this::subscribeLoop, "recall-redis-subscriber").start();
    }

    /** Whether other JVMs' invalidations are reaching this one right now. */
    boolean subscribed() {
        return subscribed && up.getAsBoolean();
    }

    synchronized void listen(InvalidationListener listener) {
        listeners.add(listener);
        holdLeases();
    }

    /**
     * This JVM has (or will have, a two-level method being matched) near tiers: it takes leases and acknowledges
     * invalidations from now on, so a near tier made at its method's first call can serve from that call on.
     */
    synchronized void holdLeases() {
        if (ackSender == null) {
            ackSender = new AckSender(nodeId, (writer, message) -> client.get().publish(keys.ackChannel(writer), message));
        }
    }

    /** Whether this JVM's near tiers may serve hits now ({@link Lease}): a volatile read and a compare. */
    boolean leased() {
        return lease.valid();
    }

    /** Writes that waited a whole lease for a JVM that never acknowledged their invalidation, since start. */
    long unacknowledged() {
        return acks.timedOut();
    }

    /** Tells other JVMs, without waiting for them: for what the connector thread delivers late. */
    void publish(String kind, String region, String what) {
        client.get().publish(keys.channel(), nodeId + '\n' + kind + '\n' + region + '\n' + what);
    }

    /**
     * Tells other JVMs, on an application thread whose write then waits ({@link Acks#await}) for the lease
     * holders named by Redis. {@code previous}: this write's earlier announcement, if a first try failed.
     */
    @SuppressWarnings("unchecked")
    Acks.Waiting announce(UnifiedJedis c, Acks.Waiting previous, String kind, String region, String what) {
        acks.forget(previous);
        Acks.Waiting w = acks.begin();
        try {
            Object holders = c.eval(RedisScripts.ANNOUNCE, List.of(keys.leases()),
                    List.of(keys.channel(), nodeId + ' ' + w.id + '\n' + kind + '\n' + region + '\n' + what));
            acks.holders(w, holders instanceof List<?> l ? (List<String>) l : List.of(), nodeId);
            return w;
        } catch (RuntimeException e) {
            acks.forget(w);
            throw e;
        }
    }

    /** On the connector thread, while this JVM has a near tier and hears the channel ({@link Lease}). */
    private void renewLease(UnifiedJedis c) {
        if (ackSender == null || !subscribed || c == null) {
            return;
        }
        long sent = System.nanoTime();
        try {
            c.eval(RedisScripts.RENEW, List.of(keys.leases()), List.of(nodeId, Long.toString(Lease.MILLIS), keys.channel(),
                    nodeId + "\nL\n-\n" + sent));
        } catch (RuntimeException e) {
            Log.debug("Redis store: the near-cache lease could not be renewed: " + e); // it runs out by itself
        }
    }

    /** The subscription is not known to be live: near tiers stop serving now, not when the lease runs out. */
    private void unsubscribed() {
        subscribed = false;
        lease.revoke();
    }

    /** A write waits for the lease holders its announcement named ({@link Acks#await}). */
    void await(Acks.Waiting announced) {
        acks.await(announced);
    }

    /** Listeners may have missed invalidations (Redis went down, or this JVM could not hear). */
    void lost() {
        listeners.forEach(InvalidationListener::lost);
    }

    /** On the connector thread while Redis is up: the subscription is watched and the lease renewed. */
    void whileUp(UnifiedJedis c) {
        watchSubscription();
        renewLease(c);
    }

    /**
     * After an outage: the subscription from before it is not trusted: it may have missed messages, or be
     * a connection that will never speak again. A new one refreshes the generations and empties
     * the near caches when it starts (onSubscribe); until then they are bypassed.
     */
    void resubscribe() {
        unsubscribed();
        Subscription old = subscription;
        if (old != null) {
            try {
                old.unsubscribe();
            } catch (RuntimeException ignored) {
                // a dead connection: the subscriber loop ends it and subscribes anew either way
            }
        }
        // Whatever this JVM holds may have been invalidated elsewhere while it could not hear.
        lost();
    }

    /**
     * A new master: invalidation messages published on the master that died may never have been delivered, so every
     * near cache is emptied, and the subscription is made anew (it may be on the demoted node); near caches are
     * bypassed until it is.
     */
    void newMaster() {
        subscribed = false;
        listeners.forEach(InvalidationListener::lost);
        Subscription s = subscription;
        if (s != null) {
            try {
                s.unsubscribe();
            } catch (RuntimeException ignored) {
                // the loop subscribes anew either way
            }
        }
    }

    /** At shutdown: this JVM stops serving near hits, then leaves the lease set, so no writer waits for it. */
    void leaveLeases(UnifiedJedis c) {
        lease.revoke();
        if (c == null || ackSender == null) {
            return;
        }
        try {
            c.zrem(keys.leases(), nodeId);
        } catch (RuntimeException e) {
            // its registration runs out within a lease
        }
    }

    private void watchSubscription() {
        Subscription s = subscription;
        if (s == null || !subscribed) {
            return;
        }
        if (System.currentTimeMillis() - lastPong > SUBSCRIPTION_SILENCE_MILLIS) {
            // A connection that silently died (no reset) never errors by itself: give up on it.
            unsubscribed();
            listeners.forEach(InvalidationListener::lost);
            try {
                s.unsubscribe();
            } catch (RuntimeException ignored) {
                // the loop reconnects either way
            }
            return;
        }
        try {
            s.ping();
        } catch (RuntimeException e) {
            unsubscribed();
            listeners.forEach(InvalidationListener::lost);
        }
    }

    private void subscribeLoop() {
        while (true) {
            UnifiedJedis c = client.get();
            if (c != null && up.getAsBoolean()) {
                Subscription s = new Subscription();
                subscription = s;
                try {
                    c.subscribe(s, keys.channel(), keys.ackChannel(nodeId));
                } catch (RuntimeException e) {
                    Log.debug("Redis store: subscription ended: " + e);
                }
                unsubscribed();
                subscription = null;
                listeners.forEach(InvalidationListener::lost);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Other JVMs' invalidations. Runs on the subscriber thread. */
    private final class Subscription extends JedisPubSub {

        @Override
        public void onSubscribe(String channel, int count) {
            if (count < 2) {
                return; // live once both channels are: invalidations and acknowledgements of this JVM's own
            }
            lastPong = System.currentTimeMillis();
            try {
                UnifiedJedis c = client.get();
                if (c != null) {
                    refreshGenerations.accept(c);
                }
            } catch (RuntimeException e) {
                return; // stays unsubscribed-in-effect; the watcher will notice the silence
            }
            // Anything held from before the subscription may have missed an invalidation.
            listeners.forEach(InvalidationListener::lost);
            subscribed = true;
        }

        @Override
        public void onPong(String pattern) {
            lastPong = System.currentTimeMillis();
        }

        @Override
        public void onMessage(String channel, String message) {
            lastPong = System.currentTimeMillis();
            if (!channel.equals(keys.channel())) {
                acknowledged(message);
                return;
            }
            String[] parts = message.split("\n", 4);
            if (parts.length != 4) {
                return;
            }
            // "node" or "node id": an id asks the lease holders to acknowledge once they applied it.
            int space = parts[0].indexOf(' ');
            String sender = space < 0 ? parts[0] : parts[0].substring(0, space);
            if (sender.equals(nodeId)) {
                if (parts[1].equals("L")) {
                    try {
                        lease.granted(Long.parseLong(parts[3]), () -> listeners.forEach(InvalidationListener::lost));
                    } catch (NumberFormatException ignored) {
                        // not ours after all
                    }
                }
                return;
            }
            applied(parts);
            AckSender acker = ackSender;
            if (space >= 0 && acker != null) {
                acker.acknowledge(sender, parts[0].substring(space + 1));
            }
        }

        /** "node\nid\nid...": that node applied these invalidations of this JVM. */
        private void acknowledged(String message) {
            String[] lines = message.split("\n");
            for (int i = 1; i < lines.length; i++) {
                acks.acknowledged(lines[i], lines[0]);
            }
        }

        private void applied(String[] parts) {
            String region = parts[2];
            if (parts[1].equals("G")) {
                try {
                    generations.heard(region, Long.parseLong(parts[3]));
                } catch (NumberFormatException ignored) {
                    return;
                }
                for (InvalidationListener l : listeners) {
                    if (l.region().equals(region)) {
                        l.invalidatedAll();
                    }
                }
            } else if (parts[1].equals("K")) {
                for (InvalidationListener l : listeners) {
                    if (l.region().equals(region)) {
                        l.invalidated(parts[3]);
                    }
                }
            }
        }
    }
}
