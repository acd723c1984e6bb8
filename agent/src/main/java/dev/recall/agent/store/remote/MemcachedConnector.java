package dev.recall.agent.store.remote;

import dev.recall.agent.config.MemcachedSettings;
import dev.recall.agent.config.StoreKind;
import dev.recall.agent.store.remote.MemcachedClients.Bytes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import net.rubyeye.xmemcached.GetsResponse;
import net.rubyeye.xmemcached.MemcachedClient;

/**
 * The agent's one link to Memcached (one server or several, keys spread by the client's consistent hashing),
 * shared by every Memcached-backed region; the {@link RemoteLink} {@link RedisStore} runs over, so that the
 * store's guarantees are the Redis store's where Memcached has the commands for them:
 * <ul>
 *   <li>a fill lands only where the key holds what its miss saw: {@code add} where it saw nothing, {@code gets}
 *   and {@code cas} where it saw a tombstone or a value to replace (the compare is on the client's side, the
 *   swap is atomic on the server's: a change in between makes the {@code cas} fail);</li>
 *   <li>an eviction leaves a tombstone, a write-through's end sets its value only over its own marker (again
 *   {@code gets}/{@code cas});</li>
 *   <li>single flight: the load lock is an {@code add} with an expiry;</li>
 *   <li>the same {@link Breaker}, first-connection wait and owed invalidations as {@link RedisConnector}: one
 *   {@link RemoteOutage}.</li>
 * </ul>
 * What Memcached lacks: pub/sub (so no near tier: {@code two-level} over it is refused at load) and a way to
 * learn of another JVM's {@code invalidateAll} other than reading the region's generation, which this
 * connector's thread does every {@link #TICK_MILLIS}: after another JVM's {@code invalidateAll} this one may
 * read the region's old entries for that long. Key names within 250 bytes and free of spaces: {@link #wire}.
 *
 * <p>Thread safety: xmemcached's client is thread-safe; the outage handling ({@link RemoteOutage}) and the generation
 * map are concurrent; the client reference is volatile and set only by the connector thread.
 */
final class MemcachedConnector implements RemoteLink {

    static final long TICK_MILLIS = 250;
    private static final long MIN_CONNECT_TIMEOUT_MILLIS = 1_000;
    /** Memcached reads an expiry over 30 days as a point in time, not a duration. */
    private static final long LONGEST_EXPIRY_SECONDS = TimeUnit.DAYS.toSeconds(30);
    private static final int LONGEST_KEY = 250;

    private final MemcachedSettings settings;
    private final RemoteKeys keys;
    private final String nodeId = UUID.randomUUID().toString();
    private final Generations generations = new Generations();
    private final Tombstones tombstones = new Tombstones(nodeId);
    private final long timeoutMillis;
    private final long connectTimeoutMillis;
    private final RemoteOutage<MemcachedClient> outage;
    private final LoadLock.Commands locks;
    private volatile MemcachedClient client;
    /** Whether Memcached was ever up, for the messages; the connector thread's alone. */
    private boolean everUp;

    MemcachedConnector(MemcachedSettings settings) {
        this.settings = settings;
        this.keys = new RemoteKeys(settings.keyPrefix(), settings.secret());
        LinkFacts facts = new LinkFacts(StoreKind.MEMCACHED, "Memcached", keys, settings.maxValueSize(), settings.maxStaleness(),
                settings.lockTimeout());
        this.timeoutMillis = Math.max(1, settings.timeout().toMillis());
        this.connectTimeoutMillis = Math.max(timeoutMillis, MIN_CONNECT_TIMEOUT_MILLIS);
        this.outage = new RemoteOutage<>(facts, connectTimeoutMillis, new Outage());
        this.locks = new LoadLock.OnMemcached(outage, nodeId, timeoutMillis);
    }

    /** Connects in the background; a call made before the first attempt has ended waits for it, at most the connect timeout. */
    void start() {
        outage.start(TICK_MILLIS, settings, this::flushAtShutdown);
    }

    @Override
    public RemoteOutage<?> outage() {
        return outage;
    }

    /** Never: Memcached has no pub/sub. */
    @Override
    public boolean subscribed() {
        return false;
    }

    @Override
    public void listen(InvalidationListener listener) {
        // Nothing is ever heard: two-level over Memcached is refused at load.
    }

    @Override
    public long generation(String region) {
        return generations.get(region, () -> parse(read(c -> c.get(wire(keys.generation(region)), timeoutMillis, Bytes.INSTANCE))));
    }

    @Override
    public long knownGeneration(String region) {
        return generations.known(region);
    }

    @Override
    public byte[] get(String key) {
        byte[] raw = read(c -> c.get(wire(key), timeoutMillis, Bytes.INSTANCE));
        return raw == null || raw.length == 0 ? null : raw;
    }

    /** One multi-get (per server, as the client splits it): a bulk method's look-up. */
    @Override
    public List<byte[]> getAll(List<String> keys) {
        List<String> names = new ArrayList<>(keys.size());
        for (String k : keys) {
            names.add(wire(k));
        }
        Map<String, byte[]> found = read(c -> c.get(names, timeoutMillis, Bytes.INSTANCE));
        List<byte[]> values = new ArrayList<>(keys.size());
        for (String n : names) {
            byte[] v = found == null ? null : found.get(n);
            values.add(v == null || v.length == 0 ? null : v);
        }
        return values;
    }

    /** {@code null}: each fill is its own add or gets/cas (Memcached has no conditional multi-set). */
    @Override
    public boolean[] putAll(List<String> keys, List<byte[]> values, List<Long> ttlMillis, List<byte[]> seen) {
        return null;
    }

    /**
     * A fill: {@code add} where the miss saw nothing (it fails if anything is there now), else {@code gets} and, if
     * the key still holds exactly what the miss saw, {@code cas} (it fails if the key changed since the {@code gets}).
     * A fill that replaces something keeps the key at least the {@link Fence}, as in Redis.
     */
    @Override
    public boolean put(String key, byte[] value, long ttlMillis, byte[] seen) {
        String k = wire(key);
        if (seen == null) {
            return read(c -> c.add(k, seconds(ttlMillis), value, Bytes.INSTANCE, timeoutMillis));
        }
        return read(c -> {
            GetsResponse<byte[]> cur = c.gets(k, timeoutMillis, Bytes.INSTANCE);
            return cur != null && Arrays.equals(cur.getValue(), seen)
                    && c.cas(k, seconds(Math.max(ttlMillis, Fence.MILLIS)), value, Bytes.INSTANCE, timeoutMillis, cur.getCas());
        });
    }

    @Override
    public void takeBack(String region, String key, byte[] filled) {
        String k = wire(key);
        read(c -> {
            GetsResponse<byte[]> cur = c.gets(k, timeoutMillis, Bytes.INSTANCE);
            return cur != null && Arrays.equals(cur.getValue(), filled)
                    && c.cas(k, seconds(Tombstones.LIFETIME_MILLIS), tombstones.next(), Bytes.INSTANCE, timeoutMillis, cur.getCas());
        });
    }

    @Override
    public byte[] markWrite(String key) {
        byte[] marker = tombstones.next();
        try {
            read(c -> c.set(wire(key), seconds(Tombstones.LIFETIME_MILLIS), marker, Bytes.INSTANCE, timeoutMillis));
            return marker;
        } catch (Unavailable e) {
            return null;
        }
    }

    /**
     * Stores a written value: unconditionally ({@code marker} null), or only over the marker the write's beginning
     * put there ({@code gets}, then {@code cas}); anything else there came from a change that overlapped the write,
     * and a tombstone replaces it. Kept for the {@link Fence} at least. Delivered as an invalidation is.
     */
    @Override
    public boolean write(String region, String key, byte[] marker, byte[] value, long ttlMillis) {
        String k = wire(key);
        int kept = seconds(Math.max(Math.max(1, ttlMillis), Fence.MILLIS));
        Boolean landed = deliver(region, key, c -> {
            if (marker == null) {
                if (c.set(k, kept, value, Bytes.INSTANCE, timeoutMillis)) {
                    return true;
                }
                c.delete(k, timeoutMillis);
                return false;
            }
            GetsResponse<byte[]> cur = c.gets(k, timeoutMillis, Bytes.INSTANCE);
            if (cur != null && Arrays.equals(cur.getValue(), marker)
                    && c.cas(k, kept, value, Bytes.INSTANCE, timeoutMillis, cur.getCas())) {
                return true;
            }
            entomb(c, k);
            return false;
        });
        return Boolean.TRUE.equals(landed);
    }

    @Override
    public void invalidate(String region, String key) {
        String k = wire(key);
        deliver(region, key, c -> {
            entomb(c, k);
            return null;
        });
    }

    private void entomb(MemcachedClient c, String wireKey) throws Exception {
        if (!c.set(wireKey, seconds(Tombstones.LIFETIME_MILLIS), tombstones.next(), Bytes.INSTANCE, timeoutMillis)) {
            c.delete(wireKey, timeoutMillis); // refused (out of memory): the removal still counts; an older fill could then land
        }
    }

    @Override
    public void invalidateAll(String region) {
        deliver(region, null, c -> {
            bump(c, region);
            return null;
        });
    }

    private void bump(MemcachedClient c, String region) throws Exception {
        // incr of a missing key starts it at the initial value: one past what this JVM knew, never back to 0.
        long known = Math.max(0, knownGeneration(region));
        long g = c.incr(wire(keys.generation(region)), 1, known + 1, timeoutMillis, 0);
        generations.heard(region, g);
    }

    /** The load lock's commands: an {@code add} with an expiry ({@link LoadLock.OnMemcached}). */
    @Override
    public LoadLock.Commands locks() {
        return locks;
    }

    /**
     * The name a key has in Memcached: the store's name itself when it is a valid Memcached key (at most 250 bytes,
     * printable ASCII without spaces), which it is for every region name of plain letters and dots; otherwise the
     * prefix and a SHA-256 of the whole name, which also is. The store's name stays what the value is sealed to.
     */
    static String wire(String name) {
        if (name.length() <= LONGEST_KEY && valid(name)) {
            return name;
        }
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            String hashed = Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
            String head = name.substring(0, Math.min(name.length(), MemcachedSettings.LONGEST_PREFIX)).replaceAll("[^\\x21-\\x7e]", "_");
            return head + "#h:" + hashed;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    private static boolean valid(String name) {
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch <= 0x20 || ch >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    /** Memcached's expiry: whole seconds, rounded up, at most 30 days. */
    static int seconds(long millis) {
        return (int) Math.min(LONGEST_EXPIRY_SECONDS, Math.max(1, (millis + 999) / 1000));
    }

    private static long parse(byte[] raw) {
        if (raw == null) {
            return 0;
        }
        try {
            return Long.parseLong(new String(raw, StandardCharsets.US_ASCII).trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private <T> T read(RemoteOutage.Command<MemcachedClient, T> command) {
        return outage.read(command);
    }

    /** As {@link RedisConnector}'s: an invalidation must arrive; one that cannot now is kept and delivered later. */
    private <T> T deliver(String region, String key, RemoteOutage.Command<MemcachedClient, T> command) {
        return outage.deliver(region, key, command);
    }

    /** What {@link RemoteOutage} does in Memcached's commands; on the connector thread. */
    private final class Outage implements RemoteOutage.Server<MemcachedClient> {

        @Override
        public MemcachedClient client() {
            return client;
        }

        @Override
        public MemcachedClient connect() throws IOException {
            if (client == null) {
                client = MemcachedClients.connect(settings.servers(), timeoutMillis, connectTimeoutMillis);
            }
            return client;
        }

        @Override
        public boolean firstConnection() {
            return !everUp;
        }

        /** Nothing before the catch-up: its reads answer whether each server is there. */
        @Override
        public void probe(MemcachedClient c) {
        }

        @Override
        public int catchUp(MemcachedClient c) throws Exception {
            // Any command answers whether each server is there; the generations' keys are what must be read anyway.
            refreshGenerations(c);
            c.get(wire(keys.generation("#probe")), timeoutMillis, Bytes.INSTANCE);
            int applied = outage.applyOwed(c);
            everUp = true;
            return applied;
        }

        @Override
        public void owedRegion(MemcachedClient c, String region) throws Exception {
            bump(c, region);
        }

        @Override
        public void owedKey(MemcachedClient c, String region, String key) throws Exception {
            entomb(c, wire(key));
        }

        /** The only way another JVM's {@code invalidateAll} reaches this one: its generation, read every tick. */
        @Override
        public void whileUp(MemcachedClient c) {
            outage.counted(() -> refreshGenerations(c));
        }

        /** Any failure: xmemcached may still be opening its sessions. */
        @Override
        public boolean retryFirst(Throwable failure) {
            return true;
        }
    }

    /**
     * Reads every region's generation: the only way another JVM's {@code invalidateAll} reaches this one. A generation
     * Memcached lost (evicted, or the server restarted empty) is put back as this JVM knew it, so that no JVM goes
     * back to an older generation's names.
     */
    private void refreshGenerations(MemcachedClient c) throws Exception {
        List<String> regions = generations.regions();
        if (regions.isEmpty()) {
            return;
        }
        List<String> names = new ArrayList<>(regions.size());
        for (String region : regions) {
            names.add(wire(keys.generation(region)));
        }
        Map<String, byte[]> found = c.get(names, timeoutMillis, Bytes.INSTANCE);
        for (int i = 0; i < regions.size(); i++) {
            byte[] raw = found == null ? null : found.get(names.get(i));
            long known = Math.max(0, generations.known(regions.get(i)));
            if (raw == null) {
                if (known > 0) {
                    c.add(names.get(i), 0, Long.toString(known).getBytes(StandardCharsets.US_ASCII), Bytes.INSTANCE, timeoutMillis);
                }
                continue;
            }
            generations.heard(regions.get(i), parse(raw));
        }
    }

    private void flushAtShutdown() {
        MemcachedClient c = client;
        if (c != null) {
            outage.flush(c);
        }
    }
}
