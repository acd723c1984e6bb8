package dev.recall.agent.method;

import dev.recall.agent.config.StrategyKind;

import dev.recall.agent.config.WriteBackSettings;
import dev.recall.agent.method.writeback.Writer;
import dev.recall.agent.store.Region;
import dev.recall.agent.store.Regions;
import dev.recall.agent.store.RemoteStore;
import dev.recall.bridge.Bridge;
import dev.recall.agent.log.Log;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every cached method of the application, each registered with the bridge under the id its advice
 * carries, until its class loader is collected.
 *
 * <p>Threads: {@link #register} runs on class-loading threads (any number at once) and is synchronized,
 * so the limit, the bridge slot and the lists change together; {@link #releaseUnloaded} runs on the
 * agent's background thread and takes the same lock; {@link #all} may be read from anywhere, without a
 * lock (a copy-on-write list).
 *
 * <p>Release: each method of a class loader other than the boot loader is watched by a weak reference to
 * that loader, queued by the GC once the loader is unreachable, that is, once no class of it can run. The
 * background thread then empties the method's bridge slot (for reuse), drops it from this registry and
 * from the write-back writer, and tells the listeners (JMX and Micrometer unregister it). Nothing else of
 * the agent holds a method strongly, and the method holds its loader and return type weakly, so a
 * redeployed application leaves nothing behind. Its regions are its loader's own ({@link Regions}): the
 * next deployment gets regions of its own, and the old ones go with the old loader.
 */
public final class MethodRegistry {

    /** Default of {@code -Drecall.maxMethods}. */
    public static final int DEFAULT_MAX_METHODS = 10_000;

    private final Regions regions;
    private final Writer writer;
    private final int maxMethods;
    private final ConcurrentHashMap<String, Watch> byIdentity = new ConcurrentHashMap<>();
    private final List<CachedMethod> methods = new CopyOnWriteArrayList<>();
    private final ReferenceQueue<ClassLoader> collected = new ReferenceQueue<>();
    /** Keeps the watches themselves reachable, so that the GC queues them. */
    private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
    private boolean limitReported;
    private volatile Consumer<CachedMethod> listener = m -> { };
    private volatile Consumer<CachedMethod> releaseListener = m -> { };

    /** @param writeBack how the background writer of write-back methods works (started with the first of them) */
    public MethodRegistry(Regions regions, WriteBackSettings writeBack) {
        this(regions, writeBack, DEFAULT_MAX_METHODS);
    }

    /** @param maxMethods how many methods may be cached at once; beyond it, methods run uncached */
    public MethodRegistry(Regions regions, WriteBackSettings writeBack, int maxMethods) {
        this.regions = regions;
        this.writer = new Writer(writeBack);
        this.maxMethods = maxMethods;
    }

    /** A weak reference to a method's class loader, queued when the loader is collected. */
    private static final class Watch extends WeakReference<ClassLoader> {
        final CachedMethod method;
        final int id;
        final String identity;

        Watch(ClassLoader loader, ReferenceQueue<ClassLoader> queue, CachedMethod method, int id, String identity) {
            super(loader, queue);
            this.method = method;
            this.id = id;
            this.identity = identity;
        }
    }

    /**
     * The bridge id of the method, creating it on first sight; {@code -1} when {@code maxMethods} are
     * cached already: the caller then leaves the method as it is. A class retransformed again (attach, or
     * another agent) keeps its id; the same class in another class loader is another method of the same
     * region.
     */
    public int register(MethodSpec spec, ClassLoader loader) {
        return register(spec, List.of(), loader);
    }

    /**
     * As {@link #register(MethodSpec, ClassLoader)}, for a method that several rules name: {@code spec} (a write or
     * an eviction) and the further {@code evictions}, all run by the one site the method's advice calls
     * ({@link CombinedMethod}).
     */
    public int register(MethodSpec spec, List<MethodSpec> evictions, ClassLoader loader) {
        CachedMethod created;
        int id;
        synchronized (this) {
            // The identity hash tells loaders apart only while both live: a dead loader's method may still
            // sit under the same name until the background thread releases it, so the loader is compared too.
            String identity = spec.signature().display() + '@' + System.identityHashCode(loader);
            Watch known = byIdentity.get(identity);
            if (known != null && known.method.loader() == loader && !known.method.released()) {
                return known.id;
            }
            if (methods.size() >= maxMethods) {
                if (!limitReported) {
                    limitReported = true;
                    Log.warn(maxMethods + " methods are cached, the limit (-Drecall.maxMethods=" + maxMethods + "): "
                            + spec.signature() + " and any further method run uncached. Narrow the rules, or raise the limit");
                }
                return -1;
            }
            MethodSettings.Entries e = spec.entries();
            // An eviction stores nothing, so it decides neither the region's room, nor its TTL, nor its store.
            // The region of this class loader's deployment: the same classes of another loader never share it.
            Region region = e == null ? regions.region(spec.region(), loader, 0, null, null)
                    : regions.region(spec.region(), loader, e.maxSize(), e.kept(), e.store());
            if (e != null && e.sensitive() && region.store() instanceof RemoteStore) {
                // Its own store is local, but another method made the region shared first: its values would leave the JVM.
                Log.warn("method " + spec.signature() + " is sensitive: true, but cache '" + spec.region() + "' keeps its "
                        + "entries in a shared store, chosen by another of its methods; the method runs uncached. Give it a "
                        + "cache of its own, or give every method of the cache store: local");
                return -1;
            }
            if (e != null && !e.staleIfError().isZero()) {
                region.holdStale();
            }
            created = create(spec, region);
            if (!evictions.isEmpty()) {
                EvictMethod[] more = new EvictMethod[evictions.size()];
                for (int i = 0; i < more.length; i++) {
                    MethodSpec other = evictions.get(i);
                    more[i] = new EvictMethod(other, regions.region(other.region(), loader, 0, null, null));
                }
                created = new CombinedMethod(created, more);
            }
            created.bindLoader(loader);
            if (e != null) {
                CachedMethod owner = created; // not the loader itself: the method holds it weakly, and so must this
                created.bindPartitions(name -> {
                    Region partition = regions.region(name, owner.loader(), e.maxSize(), e.kept(), e.store());
                    if (!e.staleIfError().isZero()) {
                        partition.holdStale();
                    }
                    return partition;
                });
            }
            id = Bridge.register(created);
            methods.add(created);
            // The boot loader is never collected: nothing to watch, and a null referent would be queued never.
            Watch watch = new Watch(loader, loader == null ? null : collected, created, id, identity);
            byIdentity.put(identity, watch);
            if (loader != null) {
                watches.add(watch);
            }
        }
        Log.debug("caching " + spec.signature() + " (" + spec.settings() + ", cache " + spec.region() + ", key " + spec.key()
                + ", from " + spec.source() + ")");
        listener.accept(created);
        return id;
    }

    /** Told about every method registered from now on (on the registering thread: keep it short). */
    public void onRegistered(Consumer<CachedMethod> listener) {
        this.listener = listener;
    }

    /** Told about every method released from now on, on the thread that calls {@link #releaseUnloaded}. */
    public void onReleased(Consumer<CachedMethod> listener) {
        this.releaseListener = listener;
    }

    /**
     * Lets go of the methods whose class loader the GC collected since the last call; the number released.
     * Called periodically on the agent's background thread; never blocks on the GC.
     */
    public int releaseUnloaded() {
        List<Watch> gone = new ArrayList<>();
        for (Reference<? extends ClassLoader> r; (r = collected.poll()) != null; ) {
            if (watches.remove((Watch) r)) {
                gone.add((Watch) r);
            }
        }
        if (gone.isEmpty()) {
            return 0;
        }
        regions.forgetCollectedLoaders();
        int[] ids = new int[gone.size()];
        Set<CachedMethod> released = Collections.newSetFromMap(new IdentityHashMap<>());
        synchronized (this) {
            for (int i = 0; i < ids.length; i++) {
                Watch w = gone.get(i);
                ids[i] = w.id;
                w.method.markReleased();
                released.add(w.method);
                byIdentity.remove(w.identity, w);
                CachedMethod m = w.method instanceof CombinedMethod c ? c.primary() : w.method;
                if (m instanceof WriteBackMethod target) {
                    writer.unregister(target);
                }
            }
            Bridge.release(ids);
            methods.removeAll(released);
        }
        for (CachedMethod m : released) {
            releaseListener.accept(m);
        }
        Log.debug("released " + released.size() + " cached method(s) whose class loader was collected");
        return released.size();
    }

    private CachedMethod create(MethodSpec spec, Region region) {
        if (spec.settings() instanceof MethodSettings.Read read) {
            if (read.bulk()) {
                return new BulkMethod(spec, region);
            }
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
