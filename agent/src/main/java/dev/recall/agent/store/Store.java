package dev.recall.agent.store;

import dev.recall.agent.key.Keys;
import java.util.List;

/**
 * Where a region's entries live: what every store does. A store shared by several JVMs adds what their sharing
 * needs ({@link RemoteStore}); a store in the JVM ({@link LocalStore}) is this alone, since the {@link Region}'s
 * guards see every reader and writer of it. Implementations are shared by all threads and must be thread-safe;
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
    default Entry[] getAll(List<?> keys, Accessor accessor) {
        Entry[] found = new Entry[keys.size()];
        for (int i = 0; i < found.length; i++) {
            found[i] = get(keys.get(i), accessor);
        }
        return found;
    }

    /** Stores a loaded or written result. */
    void put(Object key, Entry entry, Accessor accessor);

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

    /**
     * Entries the store dropped on its own (size bound, expiry) since start: "removals", so as not to be read as
     * the application's evictions ({@code @CacheEvict}, {@code evict:} rules). JMX and the meters still call the
     * figure {@code EvictionCount} and {@code cache.evictions}, the names users know from other caches.
     */
    long removals();

    /** The keys held now, for operators looking for one by its rendered form; may be a snapshot. */
    Iterable<Object> keys();
}
