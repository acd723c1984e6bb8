package dev.recall.agent.store.remote;

import java.util.concurrent.TimeUnit;

/**
 * The rule that keeps a slow load from storing, after a newer change of its key, what it read before it.
 *
 * <p>A fill lands only where the key still holds exactly what the load's miss saw ({@link RedisConnector#put}).
 * Values and tombstones are unique, so once a key held something else it can never hold the same bytes again;
 * only "nothing" can come back. So every change of a key (a write's value, a write's marker, an eviction's
 * tombstone) keeps the key from being empty for {@link #MILLIS}: a written value stays in Redis that long even
 * when its TTL is shorter (readers go by the TTL signed inside it and take it for a miss once it is past), and a
 * fill that replaces something keeps at least what the key had left of that time. And a fill whose miss is
 * older than {@link #LONGEST_FILL_NANOS} is not stored at all. A load whose miss saw nothing, and that
 * overlapped any change, therefore always finds the key non-empty when it ends, and its fill is refused.
 *
 * <p>What remains (docs/consistency-fills.md): a fill command held in the network for longer than the margin
 * between the two ({@code MILLIS - LONGEST_FILL}) after it was sent; an entry removed by Redis itself
 * before its time (an eviction under {@code maxmemory}, a key deleted by hand, a failover that lost it); and a
 * fill on another thread than its miss across another JVM's {@code invalidateAll}, which renames the region's
 * keys rather than changing them (a fill on its miss's thread is caught: {@link MissesSeen#missedBefore}).
 */
final class Fence {

    /** How long a change keeps its key from being empty again. */
    static final long MILLIS = 60_000;

    /**
     * The oldest a fill's miss may be for it to be stored: shorter than {@link #MILLIS} by a margin that covers the
     * miss's GET and the fill's own command on the wire (each at most {@code redis.timeout} on the client's side).
     */
    static final long LONGEST_FILL_NANOS = TimeUnit.MILLISECONDS.toNanos(MILLIS - 5_000);

    private Fence() {
    }
}
