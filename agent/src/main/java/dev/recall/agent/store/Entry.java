package dev.recall.agent.store;

/**
 * One cached result. Immutable, so it is shared freely between threads and stores.
 *
 * <p>Times are on the {@link System#nanoTime()} clock, and deadlines rather than durations, so that
 * re-storing the same entry (a stale load dropped in favour of the current one) can never extend its life.
 *
 * @param value the result in its cached form ({@code dev.recall.bridge.Bridge.NULL} for {@code null})
 * @param loadNanos how long the call that produced it took: what each hit on it saves
 * @param bornNanos when it was loaded or written: a refresh-ahead reloads it once it is old enough
 * @param deadlineNanos when it stops being fresh: from then on a read is a miss
 * @param keepNanos when the store lets it go, at or after {@code deadlineNanos}: in between it is stale, and
 *     served only when its reload fails ({@code staleIfError})
 * @param copyOnRead the value is a private copy that callers must not share: each reader gets its own
 *     copy of it ({@code copy: auto} for a mutable value, or {@code copy: value})
 */
public record Entry(Object value, long loadNanos, long bornNanos, long deadlineNanos, long keepNanos, boolean copyOnRead) {

    /** An entry born now, never served stale. */
    public Entry(Object value, long loadNanos, long deadlineNanos, boolean copyOnRead) {
        this(value, loadNanos, System.nanoTime(), deadlineNanos, deadlineNanos, copyOnRead);
    }

    /** An entry born now whose value every reader may share, never served stale. */
    public Entry(Object value, long loadNanos, long deadlineNanos) {
        this(value, loadNanos, deadlineNanos, false);
    }

    /** An entry that lives for {@code ttlNanos} from now. */
    public static Entry expiringAfter(Object value, long loadNanos, long ttlNanos) {
        return new Entry(value, loadNanos, System.nanoTime() + ttlNanos);
    }

    /** The same entry, held by value from now on: each reader gets a copy. */
    public Entry heldByValue() {
        return new Entry(value, loadNanos, bornNanos, deadlineNanos, keepNanos, true);
    }

    /** Time left before the deadline, never negative. */
    public long remainingNanos(long nowNanos) {
        return Math.max(0, deadlineNanos - nowNanos);
    }

    /** Time left before the store lets it go, never negative. */
    public long keptNanos(long nowNanos) {
        return Math.max(0, keepNanos - nowNanos);
    }

    /** Past its TTL: kept only to be served if its reload fails. */
    public boolean stale(long nowNanos) {
        return nowNanos - deadlineNanos >= 0;
    }

    /** For {@link #answers}: any fresh entry will do. */
    public static final long ANY_AGE = Long.MIN_VALUE;

    /**
     * Whether a load that looks for an entry born at or after {@code bornAfterNanos} ({@link #ANY_AGE}: any)
     * may take this one instead of loading: it is fresh, and no older than that. A refresh-ahead looks for one
     * newer than the entry it replaces, which is fresh too.
     */
    public boolean answers(long nowNanos, long bornAfterNanos) {
        return !stale(nowNanos) && (bornAfterNanos == ANY_AGE || bornNanos - bornAfterNanos >= 0);
    }
}
