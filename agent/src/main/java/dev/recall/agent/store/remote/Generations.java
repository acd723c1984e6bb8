package dev.recall.agent.store.remote;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The generation of each region as this JVM knows it: part of every entry's name, so that an {@code invalidateAll}
 * (a new generation) makes all the region's old entries unreachable at once. Read from the server on a region's
 * first use, then kept up by what this JVM bumps and hears; a generation only ever grows here.
 *
 * <p>Shared by application threads and the connector's threads; a concurrent map, each step one atomic call on it.
 */
final class Generations {

    private final ConcurrentHashMap<String, Long> known = new ConcurrentHashMap<>();

    /** The region's generation, read with {@code load} the first time (a race keeps whichever came first). */
    long get(String region, LongSupplier load) {
        Long g = known.get(region);
        if (g != null) {
            return g;
        }
        long loaded = load.getAsLong();
        Long raced = known.putIfAbsent(region, loaded);
        return raced == null ? loaded : raced;
    }

    /** The region's generation as this JVM knows it now, without asking; {@code -1} if not known yet. */
    long known(String region) {
        Long g = known.get(region);
        return g == null ? -1 : g;
    }

    /** A generation this JVM made or heard of: kept if it is newer. */
    void heard(String region, long generation) {
        known.merge(region, generation, Math::max);
    }

    /** The generation the server holds now, taken as it is (read after an outage). */
    void read(String region, long generation) {
        known.put(region, generation);
    }

    /** The regions known so far. */
    List<String> regions() {
        return new ArrayList<>(known.keySet());
    }
}
