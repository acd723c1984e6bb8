package dev.recall.agent.store;

import dev.recall.agent.log.Log;
import dev.recall.agent.config.StoreKind;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Every region of the application, by name and class loader. Regions are created on first use by any
 * method that names them (a reader, a writer or an evictor may be loaded first).
 *
 * <p>A region belongs to the class loader that defined its methods' classes: the same application defined
 * twice in one JVM (two tenants of a plugin host or an application server, a redeploy beside the old
 * deployment) has regions of its own for each deployment, so no entry, load or partition of one ever
 * answers the other. Held weakly by the loader: once a deployment's loader is collected, its regions go.
 * In Redis, a region is named as before for the first deployment of that name alive in the JVM, so
 * equal deployments of different JVMs share their entries; a second one alive at the same time is
 * {@code name@2}, a third {@code name@3} (see {@link #remoteName}).
 *
 * <p>Shared by all threads: regions are looked up and created under this object's lock, on class-loading
 * threads and on the first call of a new receiver state, never on the hit path.
 */
public final class Regions {

    /** The boot loader's stand-in: a {@link WeakHashMap} takes {@code null}, but a weak reference to it means nothing. */
    private static final Object BOOT = new Object();

    /** Each loader's regions by name; weak keys, so a collected loader's regions are dropped. Guarded by {@code this}. */
    private final Map<ClassLoader, Map<String, Region>> byLoader = new WeakHashMap<>();
    /** For each region name, the loaders alive that use it, in the order they came: their number in Redis names. */
    private final Map<String, List<WeakReference<Object>>> deployments = new ConcurrentHashMap<>();
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
        return region(name, null, maxSize, ttl, kind);
    }

    /** As {@link #region(String, long, Duration, StoreKind)}, the region of {@code loader}'s classes. */
    public Region region(String name, ClassLoader loader, long maxSize, Duration ttl, StoreKind kind) {
        // ttl is null for evictions: they write no entries, so they must not decide the region's TTL.
        Region r;
        synchronized (this) {
            r = byLoader.computeIfAbsent(loader, l -> new ConcurrentHashMap<>())
                    .computeIfAbsent(name, n -> new Region(n, new LocalStore(maxSize, ttl, maintenance)));
        }
        if (kind != null) {
            Store chosen = r.decide(() -> storeFor(r, remoteName(name, loader), kind));
            StoreKind actual = chosen instanceof LocalStore ? StoreKind.LOCAL : ((RemoteStore) chosen).kind();
            if (actual != kind && kind.remote() == (remote != null)) {
                Log.once("region-store|" + name, "cache '" + name + "' keeps its entries in the " + actual.configName()
                        + " store, chosen by the first of its methods; a later method asked for " + kind.configName()
                        + " and shares the region as it is. Give the methods the same store, or different caches", null);
            }
        }
        if (r.store() instanceof LocalStore local) {
            local.addMethod(ttl, maxSize);
        }
        return r;
    }

    /** A method that will keep its entries in a {@code kind} store was matched: its shared store starts connecting. */
    public void prepare(StoreKind kind) {
        if (kind != null && kind.remote() && remote != null) {
            remote.prepare(kind);
        }
    }

    private Store storeFor(Region r, String remoteName, StoreKind kind) {
        if (!kind.remote() || remote == null) {
            return r.store();
        }
        return remote.create(remoteName, kind);
    }

    /**
     * The name in Redis of region {@code name} of {@code loader}: the name itself for the first loader alive
     * that uses it, {@code name@n} for the n-th. A loader's number is kept while it lives; a collected
     * loader's number goes to the next loader that comes (as a restarted JVM's deployment takes the name).
     */
    synchronized String remoteName(String name, ClassLoader loader) {
        Object self = loader == null ? BOOT : loader;
        List<WeakReference<Object>> alive = deployments.computeIfAbsent(name, n -> new ArrayList<>());
        synchronized (alive) {
            int free = -1;
            for (int i = 0; i < alive.size(); i++) {
                Object held = alive.get(i).get();
                if (held == self) {
                    return i == 0 ? name : name + "@" + (i + 1);
                }
                if (held == null && free < 0) {
                    free = i;
                }
            }
            if (free < 0) {
                free = alive.size();
                alive.add(null);
            }
            alive.set(free, new WeakReference<>(self));
            return free == 0 ? name : name + "@" + (free + 1);
        }
    }

    /**
     * Drops the regions of the class loaders collected since (a weak map forgets them only when touched, and
     * after the last deployment nothing else would touch it). Called by the agent's background thread.
     */
    public synchronized void forgetCollectedLoaders() {
        byLoader.size(); // expunges the entries whose loader the GC cleared
        deployments.values().removeIf(alive -> {
            synchronized (alive) {
                return alive.stream().allMatch(r -> r.get() == null);
            }
        });
    }

    /** Every region of every class loader alive; a snapshot. */
    public synchronized Collection<Region> all() {
        List<Region> all = new ArrayList<>();
        for (Map<String, Region> regions : byLoader.values()) {
            all.addAll(regions.values());
        }
        return all;
    }
}
