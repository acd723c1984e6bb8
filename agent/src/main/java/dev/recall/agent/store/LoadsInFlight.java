package dev.recall.agent.store;

import dev.recall.agent.key.Keys;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The loads under way in a region, one per key, so that every {@code READ_THROUGH} method of the region
 * waits on the same load of a key. A write or invalidation of a key forgets its load: callers arriving
 * later must not wait for a result that is already stale.
 *
 * <p>Shared by all threads of a region; a concurrent map whose removals compare the marker, so a thread
 * only ever ends its own load.
 */
final class LoadsInFlight {

    private final ConcurrentHashMap<Object, Loading> loads = new ConcurrentHashMap<>();

    /** @return {@code null} if {@code mine} is now the load of {@code key}, else the load already under way */
    Loading start(Object key, Loading mine) {
        return loads.putIfAbsent(key, mine);
    }

    /** Ends {@code mine}: its waiters receive {@code entry} ({@code null}: it failed, and they retry). */
    void finish(Object key, Loading mine, Entry entry) {
        loads.remove(key, mine);
        if (entry == null) {
            mine.fail();
        } else {
            mine.complete(entry);
        }
    }

    /** Drops a load whose thread died, so that its waiters can take over. */
    void abandon(Object key, Loading stale) {
        loads.remove(key, stale);
    }

    void forget(Object key) {
        loads.remove(key);
    }

    void forgetAll() {
        loads.clear();
    }

    void forgetRendered(String rendered) {
        loads.keySet().removeIf(key -> Keys.render(key).equals(rendered));
    }
}
