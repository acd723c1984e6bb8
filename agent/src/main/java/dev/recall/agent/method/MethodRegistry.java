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
        String identity = spec.signature().display() + '@' + System.identityHashCode(loader);
        CachedMethod[] created = new CachedMethod[1];
        int id = ids.computeIfAbsent(identity, i -> {
            MethodSettings.Entries e = spec.entries();
            // An eviction stores nothing, so it decides neither the region's room, nor its TTL, nor its store.
            Region region = e == null ? regions.region(spec.region(), 0, null, null)
                    : regions.region(spec.region(), e.maxSize(), e.ttl(), e.store());
            CachedMethod method = create(spec, region);
            method.bindLoader(loader);
            methods.add(method);
            created[0] = method;
            return Bridge.register(method);
        });
        if (created[0] != null) {
            Log.debug("caching " + spec.signature() + " (" + spec.settings() + ", cache " + spec.region() + ", key " + spec.key()
                    + ", from " + spec.source() + ")");
            listener.accept(created[0]);
        }
        return id;
    }

    /** Told about every method registered from now on (on the registering thread: keep it short). */
    public void onRegistered(Consumer<CachedMethod> listener) {
        this.listener = listener;
    }

    private CachedMethod create(MethodSpec spec, Region region) {
        if (spec.settings() instanceof MethodSettings.Read read) {
            return read.strategy() == StrategyKind.READ_THROUGH ? new ReadThroughMethod(spec, region) : new ReadMethod(spec, region);
        }
        if (spec.settings() instanceof MethodSettings.Write write) {
            return write.strategy() == StrategyKind.WRITE_BACK ? new WriteBackMethod(spec, region, writer)
                    : new WriteThroughMethod(spec, region);
        }
        return new EvictMethod(spec, region);
    }

    public List<CachedMethod> all() {
        return methods;
    }
}
