package dev.recall.agent.store;

import dev.recall.agent.config.StoreKind;
import java.util.List;

/**
 * A store whose entries live (also) in Redis or Memcached, shared by several JVMs: what such a store adds to
 * {@link Store}. Writers, evictions and loads of the other JVMs are invisible to this JVM's {@link Region}, so a
 * fill may lose to a newer entry ({@link #offer}), a write-through marks its key ({@link #beginWrite}), one JVM
 * at a time loads a key ({@link #takeTurn}), and a read may cross the network (the hit path's quick look-up,
 * {@link #peek}, only where it need not).
 */
public interface RemoteStore extends Store {

    StoreKind kind();

    /**
     * Stores a loaded result and says whether the load's waiters may take it: {@code false} when the store
     * holds something newer, which another JVM wrote or loaded while this load ran. A waiter may have begun
     * after that other JVM's write, unknown to this one, so it must read again.
     */
    boolean offer(Object key, Entry entry, Accessor accessor);

    /** A load stores as {@link #offer} does. */
    @Override
    default void put(Object key, Entry entry, Accessor accessor) {
        offer(key, entry, accessor);
    }

    /**
     * Stores a bulk method's loaded elements, as {@link #offer} each; a store across the network sends them in one
     * round trip (Redis: a pipeline).
     *
     * @return aligned with {@code keys}: whether the load's waiters may take each entry
     */
    default boolean[] offerAll(List<?> keys, List<Entry> entries, Accessor accessor) {
        boolean[] offered = new boolean[keys.size()];
        for (int i = 0; i < offered.length; i++) {
            offered[i] = offer(keys.get(i), entries.get(i), accessor);
        }
        return offered;
    }

    /**
     * Called before a write-through's method runs, so that its end can tell whether anything else changed the
     * key meanwhile: the key is marked, because writers and evictions of other JVMs are invisible here.
     *
     * @return the mark to pass to {@link #write} at the write's end, or {@code null} if the key could not be
     *     marked (the write's end then invalidates it: it cannot know what overlapped it)
     */
    Object beginWrite(Object key, Accessor accessor);

    /**
     * Stores a written value. Unlike a load, a write must reach every reader: a store that cannot deliver it
     * remembers the key as invalidated. With a {@code mark} from {@link #beginWrite}, the value is stored only
     * where nothing else changed the key since (another JVM's write or eviction, a fill); where something did
     * the key is invalidated instead, since the order in which the system of record applied the overlapping
     * writes is unknown. Without ({@code null}), it is stored whatever the key holds.
     */
    void write(Object key, Entry entry, Accessor accessor, Object mark);

    /**
     * Called by the one thread of this JVM that is about to load {@code key} for {@code READ_THROUGH}, after
     * its read missed: looks again (a load may have finished in between) and waits while another JVM loads the
     * same key.
     *
     * @param bornAfterNanos only an entry born at or after this answers instead of a load ({@link Entry#ANY_AGE}:
     *     any fresh one); a refresh-ahead passes when it was scheduled, so the entry it replaces does not
     */
    LoadTurn takeTurn(Object key, Accessor accessor, long bornAfterNanos);

    /**
     * Whether {@link #peek} can answer without the network, so that the hit path's quick look-up is worth
     * making: a near cache in front of Redis. A Redis store alone cannot, and the quick look-up would cost a
     * second round trip on every miss.
     */
    default boolean peekable() {
        return false;
    }

    /** The entry held in this JVM for {@code key} (a near cache), or {@code null}; never waits on the network. */
    default Entry peek(Object key, Accessor accessor) {
        return null;
    }

    /** None is removed here by the store itself: entries expire in the shared store. */
    @Override
    default long removals() {
        return 0;
    }

    /** None: the keys live in the shared store, whose names do not give the key objects back. */
    @Override
    default Iterable<Object> keys() {
        return List.of();
    }
}
