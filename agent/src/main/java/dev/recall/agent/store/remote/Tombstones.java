package dev.recall.agent.store.remote;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What an invalidated key holds in Redis for a while instead of nothing: a marker unique to this
 * invalidation ({@code RX} + this JVM's id + a counter). Readers take it for a miss; a fill lands on it
 * only if its miss saw this very marker (see {@link RedisConnector#put}), so a load that read the database
 * before the invalidation cannot store its result after it. {@code 'X'} is never an entry format version,
 * so a tombstone is never mistaken for a value ({@link EntrySeal}). Shared; the counter is atomic.
 */
final class Tombstones {

    /** How long a tombstone (or a write's marker) guards its key: the {@link Fence}. */
    static final long LIFETIME_MILLIS = Fence.MILLIS;

    private static final byte MAGIC = 'R';
    private static final byte MARK = 'X';

    private final String prefix;
    private final AtomicLong counter = new AtomicLong();

    Tombstones(String nodeId) {
        this.prefix = "RX" + nodeId + ':';
    }

    byte[] next() {
        return (prefix + counter.incrementAndGet()).getBytes(StandardCharsets.US_ASCII);
    }

    static boolean is(byte[] raw) {
        return raw.length >= 2 && raw[0] == MAGIC && raw[1] == MARK;
    }
}
