package dev.recall.agent.method;

import dev.recall.agent.config.StrategyKind;

import dev.recall.agent.config.WriteBackSettings;
import dev.recall.agent.method.writeback.Writer;
import dev.recall.agent.store.Region;
import dev.recall.agent.store.Regions;
import dev.recall.bridge.Bridge;
import dev.recall.agent.log.Log;
import java.util.List;
import java.util.function.Consumer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every cached method of the application, each registered with the bridge under the id its advice
 * carries. Shared; registration happens on class-loading threads, reads from anywhere.
 */
public final class MethodRegistry {

    private final Regions regions;
    private final Writer writer;
    private final ConcurrentHashMap<String, Integer> ids = new ConcurrentHashMap<>();
    private final List<CachedMethod> methods = new CopyOnWriteArrayList<>();
    private volatile Consumer<CachedMethod> listener = m -> { };

    public MethodRegistry(Regions regions) {
        this(regions, WriteBackSettings.DEFAULT);
    }

    /** @param writeBack how the background writer of write-back methods works (started with the first of them) */
    public MethodRegistry(Regions regions, WriteBackSettings writeBack) {
        this.regions = regions;
        this.writer = new Writer(writeBack);
    }

    /**
     * The bridge id of the method, creating it on first sight. A class retransformed again (attach, or
     * another agent) keeps its id; the same class in another class loader is another method of the same
     * region.
     */
    public int register(MethodSpec spec, ClassLoader loader) {
        String identity = spec.signature() + '@' + System.identityHashCode(loader);
        CachedMethod[] created = new CachedMethod[1];
        int id = ids.computeIfAbsent(identity, i -> {
            Region region = regions.region(spec.region(), spec.maxSize(), spec.evict() ? null : spec.ttl(),
                    spec.evict() ? null : spec.store());
            CachedMethod method = create(spec, region);
            method.bindLoader(loader);
            methods.add(method);
            created[0] = method;
            return Bridge.register(method);
        });
        if (created[0] != null) {
            Log.debug("caching " + spec.signature() + " (" + (spec.evict() ? "evict" : spec.strategy().configName())
                    + ", cache " + spec.region() + ", key " + spec.key() + ", ttl " + spec.ttl() + ", from " + spec.source() + ")");
            listener.accept(created[0]);
        }
        return id;
    }

    /** Told about every method registered from now on (on the registering thread: keep it short). */
    public void onRegistered(Consumer<CachedMethod> listener) {
        this.listener = listener;
    }

    private CachedMethod create(MethodSpec spec, Region region) {
        if (spec.evict()) {
            return new EvictMethod(spec, region);
        }
        switch (spec.strategy()) {
            case READ_THROUGH:
                return new ReadThroughMethod(spec, region);
            case CACHE_ASIDE:
                return new ReadMethod(spec, region);
            case WRITE_THROUGH:
                return new WriteThroughMethod(spec, region);
            case WRITE_BACK:
                return new WriteBackMethod(spec, region, writer);
            default:
                throw new IllegalArgumentException("no implementation for " + spec.strategy());
        }
    }

    public List<CachedMethod> all() {
        return methods;
    }

    public Regions regions() {
        return regions;
    }
}
