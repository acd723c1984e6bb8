package dev.recall.agent.store;

/**
 * Where a region's entries live. Implementations are shared by all threads and must be thread-safe;
 * they may fail (a remote store), and callers treat any exception as "no cache" for that call.
 */
public interface Store {

    /** The live entry for {@code key}, or {@code null}. */
    Entry get(Object key);

    /** Stores {@code entry} unconditionally (a write). */
    void put(Object key, Entry entry);

    /** Removes the entry of {@code key} only if it is still {@code expected} (the same instance). */
    void remove(Object key, Entry expected);

    void invalidate(Object key);

    void invalidateAll();

    /** Approximate number of entries. */
    long size();

    /** Entries removed by the store itself (size bound, expiry) since start. */
    long evictions();

    /** The keys held now, for operators looking for one by its rendered form; may be a snapshot. */
    Iterable<Object> keys();
}
