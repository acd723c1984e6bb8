package dev.recall.agent.store.remote;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Invalidations that could not reach Redis, kept until it is back and applied before any of its entries
 * is read again. Bounded: past {@link #limit} keys, the region with the most keys is bumped instead (a new
 * generation makes every old entry of it unreachable), which costs one counter however many keys.
 *
 * <p>Shared by application threads (adding) and the connector's thread (draining); every method is
 * synchronized: the set is touched only on the rare path where Redis failed.
 */
final class PendingInvalidations {

    private final int limit;
    private final Map<String, Set<String>> keysByRegion = new LinkedHashMap<>();
    private final Set<String> bumpedRegions = new LinkedHashSet<>();
    private int size;
    /** Read on every call of a Redis-backed method (see RedisConnector.readable): without the lock. */
    private volatile boolean empty = true;

    PendingInvalidations(int limit) {
        this.limit = limit;
    }

    synchronized void key(String region, String redisKey) {
        if (bumpedRegions.contains(region)) {
            return;
        }
        if (keysByRegion.computeIfAbsent(region, r -> new LinkedHashSet<>()).add(redisKey)) {
            size++;
        }
        updateEmpty();
        if (size > limit) {
            String largest = null;
            for (Map.Entry<String, Set<String>> e : keysByRegion.entrySet()) {
                if (largest == null || e.getValue().size() > keysByRegion.get(largest).size()) {
                    largest = e.getKey();
                }
            }
            region(largest);
        }
    }

    synchronized void region(String region) {
        Set<String> dropped = keysByRegion.remove(region);
        if (dropped != null) {
            size -= dropped.size();
        }
        bumpedRegions.add(region);
        updateEmpty();
    }

    boolean isEmpty() {
        return empty;
    }

    private void updateEmpty() {
        empty = size == 0 && bumpedRegions.isEmpty();
    }

    /** What to apply now; the caller puts back whatever it could not apply. */
    synchronized Drained drain() {
        List<String[]> keys = new ArrayList<>();
        keysByRegion.forEach((region, set) -> set.forEach(k -> keys.add(new String[] {region, k})));
        Drained d = new Drained(keys, new ArrayList<>(bumpedRegions));
        keysByRegion.clear();
        bumpedRegions.clear();
        size = 0;
        updateEmpty();
        return d;
    }

    synchronized void restore(Drained d) {
        d.regions().forEach(this::region);
        for (String[] k : d.keys()) {
            key(k[0], k[1]);
        }
    }

    record Drained(List<String[]> keys, List<String> regions) {
    }
}
