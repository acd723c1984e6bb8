package dev.recall.agent.store;

import dev.recall.agent.log.Log;
import dev.recall.agent.config.StoreKind;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Every region of the application, by name. Shared; regions are created on first use by any method that
 * names them (a reader, a writer or an evictor may be loaded first).
 */
public final class Regions {

    private final ConcurrentHashMap<String, Region> regions = new ConcurrentHashMap<>();
    /** Caffeine's housekeeping for every local store: one daemon thread of the agent's own, fed without a lock. */
    private final Executor maintenance = Maintenance.shared();
    private final RemoteStores remote;

    /** @param remote makes the Redis and two-level stores; {@code null} when none is configured */
    public Regions(RemoteStores remote) {
        this.remote = remote;
    }

    /**
     * The region called {@code name}, created for a method whose entries live {@code ttl} and which asks
     * for room for {@code maxSize} entries; a region shared by several methods gets the largest room any
     * of them asks for. The first method that reads or writes entries decides where they live; an
     * eviction ({@code kind == null}) goes wherever they are.
     */
    public Region region(String name, long maxSize, Duration ttl, StoreKind kind) {
        // ttl is null for evictions: they write no entries, so they must not decide the region's TTL.
        Region r = regions.computeIfAbsent(name, n -> new Region(n, new LocalStore(maxSize, ttl, maintenance)));
        if (kind != null) {
            Store chosen = r.decide(() -> storeFor(r, kind, maxSize, ttl));
            StoreKind actual = chosen instanceof LocalStore ? StoreKind.LOCAL : ((RemoteStore) chosen).kind();
            if (actual != kind && kind.remote() == (remote != null)) {
                Log.once("region-store|" + name, "cache '" + name + "' keeps its entries in the " + actual.configName()
                        + " store, chosen by the first of its methods; a later method asked for " + kind.configName()
                        + " and shares the region as it is. Give the methods the same store, or different caches", null);
            }
        }
        if (r.store() instanceof LocalStore local) {
            local.admit(ttl, maxSize);
        }
        return r;
    }

    private Store storeFor(Region r, StoreKind kind, long maxSize, Duration ttl) {
        if (!kind.remote() || remote == null) {
            return r.store();
        }
        return remote.create(r.name(), kind);
    }

    public Collection<Region> all() {
        return regions.values();
    }
}
