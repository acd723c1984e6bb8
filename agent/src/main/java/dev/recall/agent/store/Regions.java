package dev.recall.agent.store;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * Every region of the application, by name. Shared; regions are created on first use by any method that
 * names them (a reader, a writer or an evictor may be loaded first).
 */
public final class Regions {

    private final ConcurrentHashMap<String, Region> regions = new ConcurrentHashMap<>();
    /** Caffeine's housekeeping for every local store: one daemon thread of the agent's own. */
    private final Executor maintenance = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "recall-cache-maintenance");
        t.setDaemon(true);
        return t;
    });

    /**
     * The region called {@code name}, created for a method whose entries live {@code ttl} and which asks
     * for room for {@code maxSize} entries; a region shared by several methods gets the largest room any
     * of them asks for.
     */
    public Region region(String name, long maxSize, Duration ttl) {
        // ttl is null for evictions: they write no entries, so they must not decide the region's TTL.
        Region r = regions.computeIfAbsent(name, n -> new Region(n, new LocalStore(maxSize, ttl, maintenance)));
        if (r.store() instanceof LocalStore local) {
            local.admit(ttl, maxSize);
        }
        return r;
    }

    public Collection<Region> all() {
        return regions.values();
    }
}
