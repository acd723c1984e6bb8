package dev.recall.agent.store;

/**
 * Writes accepted for a region and not yet made ({@code WRITE_BACK}): until one reaches the system of
 * record, a reader that misses its entry must be given the written value, not what the system still holds.
 * Implementations are shared and thread-safe.
 */
public interface PendingWrites {

    /** The value of the newest pending write of {@code key}, in cached form ({@code Bridge.NULL} for null); {@code null} if none. */
    Object pendingValue(Object key);
}
