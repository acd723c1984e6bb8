package dev.recall.agent.store;

/**
 * One cached result. Immutable, so it is shared freely between threads and stores.
 *
 * @param value the result in its cached form ({@code dev.recall.bridge.Bridge.NULL} for {@code null})
 * @param loadNanos how long the call that produced it took: what each hit on it saves
 * @param deadlineNanos when it expires, on the {@link System#nanoTime()} clock. A deadline rather than a
 *     duration, so that re-storing the same entry (a stale load dropped in favour of the current one)
 *     can never extend its life
 * @param copyOnRead the value is a private copy that callers must not share: each reader gets its own
 *     copy of it ({@code copy: auto} for a mutable value, or {@code copy: value})
 */
public record Entry(Object value, long loadNanos, long deadlineNanos, boolean copyOnRead) {

    /** An entry whose value every reader may share. */
    public Entry(Object value, long loadNanos, long deadlineNanos) {
        this(value, loadNanos, deadlineNanos, false);
    }

    /** An entry that lives for {@code ttlNanos} from now. */
    public static Entry expiringAfter(Object value, long loadNanos, long ttlNanos) {
        return new Entry(value, loadNanos, System.nanoTime() + ttlNanos);
    }

    /** Time left before the deadline, never negative. */
    public long remainingNanos(long nowNanos) {
        return Math.max(0, deadlineNanos - nowNanos);
    }
}
