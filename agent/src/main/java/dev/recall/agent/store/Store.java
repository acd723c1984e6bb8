package dev.recall.agent.store;

import dev.recall.agent.key.Keys;

/**
 * Where a region's entries live. Implementations are shared by all threads and must be thread-safe;
 * they may fail (a remote store), and callers treat any exception as "no cache" for that call.
 */
public interface Store {

    /** The live entry for {@code key}, or {@code null}. */
    Entry get(Object key, Accessor accessor);

    /**
     * The live entries of {@code keys}, aligned with them ({@code null} where there is none): a bulk method's
     * one look-up. This default asks {@link #get} key by key, which is right for a store in the JVM; a store
     * across the network answers all of them in one round trip (Redis: one MGET).
     */
    default Entry[] getAll(java.util.List<?> keys, Accessor accessor) {
        Entry[] found = new Entry[keys.size()];
        for (int i = 0; i < found.length; i++) {
            found[i] = get(keys.get(i), accessor);
        }
        return found;
    }

    /** Stores a loaded result. */
    void put(Object key, Entry entry, Accessor accessor);

    /**
     * Stores a loaded result, as {@link #put}, and says whether the load's waiters may take it: {@code false}
     * when the store is shared and holds something newer, which another JVM wrote or loaded while this load
     * ran. A waiter may have begun after that other JVM's write, unknown to this one, so it must read again.
     */
    default boolean offer(Object key, Entry entry, Accessor accessor) {
        put(key, entry, accessor);
        return true;
    }

    /**
     * Stores a bulk method's loaded elements, as {@link #offer} each; a store across the network sends them in one
     * round trip (Redis: a pipeline).
     *
     * @return aligned with {@code keys}: whether the load's waiters may take each entry
     */
    default boolean[] offerAll(java.util.List<?> keys, java.util.List<Entry> entries, Accessor accessor) {
        boolean[] offered = new boolean[keys.size()];
        for (int i = 0; i < offered.length; i++) {
            offered[i] = offer(keys.get(i), entries.get(i), accessor);
        }
        return offered;
    }

    /**
     * Stores a written value. Unlike a load, a write must reach every reader: a remote store that cannot
     * deliver it remembers the key as invalidated.
     */
    default void write(Object key, Entry entry, Accessor accessor) {
        put(key, entry, accessor);
    }

    /**
     * Called before a write-through's method runs, so that its end can tell whether anything else changed
     * the key meanwhile. A store inside the JVM needs nothing ({@link Region}'s {@link WritesInFlight} sees
     * every writer); a store shared by several JVMs marks the key, because writers and evictions of other
     * JVMs are invisible here.
     *
     * @return what {@link #write(Object, Entry, Accessor, Object)} needs at the write's end, or {@code null}
     */
    default Object beginWrite(Object key, Accessor accessor) {
        return null;
    }

    /**
     * Stores a write-through's value where nothing else changed the key since {@link #beginWrite} returned
     * {@code begun}; where something did (another JVM's write or eviction, a fill) the key is invalidated
     * instead, since the order in which the system of record applied the overlapping writes is unknown.
     */
    default void write(Object key, Entry entry, Accessor accessor, Object begun) {
        write(key, entry, accessor);
    }

    /**
     * Called by the one thread of this JVM that is about to load {@code key} for {@code READ_THROUGH}, after
     * its read missed. Looks again (a load may have finished in between) and, where the store is shared by
     * several JVMs, waits while another JVM loads the same key.
     *
     * @param bornAfterNanos only an entry born at or after this answers instead of a load ({@link Entry#ANY_AGE}:
     *     any fresh one); a refresh-ahead passes when it was scheduled, so the entry it replaces does not
     */
    default LoadTurn takeTurn(Object key, Accessor accessor, long bornAfterNanos) {
        Entry late = get(key, accessor);
        return late == null || !late.answers(System.nanoTime(), bornAfterNanos) ? LoadTurn.MINE : LoadTurn.found(late);
    }

    /** Removes the entry of {@code key} only if it is still {@code expected} (the same instance). */
    void remove(Object key, Entry expected);

    void invalidate(Object key);

    void invalidateAll();

    /**
     * Invalidates the entries whose key renders as {@code rendered} (how operators write a key over JMX).
     * This default finds them among the keys held here; a remote store names the entry from the rendered
     * form directly.
     *
     * @return how many entries were invalidated (a remote store: 1, the invalidation sent)
     */
    default int invalidateRendered(String rendered) {
        int n = 0;
        for (Object key : keys()) {
            if (Keys.render(key).equals(rendered)) {
                invalidate(key);
                n++;
            }
        }
        return n;
    }

    /** Approximate number of entries (held in this JVM, for a remote store). */
    long size();

    /** Entries removed by the store itself (size bound, expiry) since start. */
    long evictions();

    /** The keys held now, for operators looking for one by its rendered form; may be a snapshot. */
    Iterable<Object> keys();

    /** Whether a read may reach the network. */
    default boolean remote() {
        return false;
    }

    /**
     * Whether {@link #peek} can answer without the network, so that the hit path's quick look-up is worth
     * making: a store in the JVM, or a near cache in front of Redis. A Redis store alone cannot, and the
     * quick look-up would cost a second round trip on every miss.
     */
    default boolean peekable() {
        return !remote();
    }

    /** The entry held in this JVM for {@code key}, or {@code null}; never waits on the network. */
    default Entry peek(Object key, Accessor accessor) {
        return remote() ? null : get(key, accessor);
    }
}
