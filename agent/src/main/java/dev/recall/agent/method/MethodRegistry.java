package dev.recall.agent.method;

import dev.recall.agent.config.StrategyKind;
import dev.recall.agent.config.WriteBackSettings;
import dev.recall.agent.log.Log;
import dev.recall.agent.method.writeback.Writer;
import dev.recall.agent.store.Region;
import dev.recall.agent.store.Regions;
import dev.recall.agent.store.RemoteStore;
import dev.recall.bridge.Bridge;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Every matched method of the application, each registered with the bridge under the id its advice
 * carries, until its class loader is collected.
 *
 * <p>Nothing per method until it is called: registration (on the class-loading thread, while the
 * application starts) keeps a {@link LazyMethod}, the spec and a slot and no more; the region, the counters,
 * the MBean and the meters come with the method's first call ({@link #materialize}). A rule over a large
 * application then costs its start-up and heap only for the methods that run. {@link #matched} is every
 * matched method, {@link #all} those called so far.
 *
 * <p>Threads: {@link #register} runs on class-loading threads (any number at once), {@link #materialize} on
 * the application's threads at a method's first call; both are synchronized, so the limit, the bridge slot
 * and the lists change together, and a method racing to its first call on several threads is made once
 * ({@link LazyMethod}); {@link #releaseUnloaded} runs on the agent's background thread and takes the same
 * lock; {@link #all} may be read from anywhere (an immutable snapshot, copied again after a change).
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
    /** Guarded by {@code this}, as is {@link #matched}. */
    private final HashMap<String, Watch> byIdentity = new HashMap<>();
    /** Every matched method alive, in the order they were matched. */
    private final ArrayList<LazyMethod> matched = new ArrayList<>();
    /** The matched method of each bridge id (ids are dense; a released one's slot is reused). */
    private LazyMethod[] byId = new LazyMethod[16];
    /** The methods called so far; guarded by {@code this}. */
    private final ArrayList<CachedMethod> methods = new ArrayList<>();
    /**
     * {@link #methods} as {@link #all} last gave it, {@code null} once it changed: readers (the sampler, JMX) are
     * rare and a copy per first call, as a copy-on-write list makes, grew with the square of the methods.
     */
    private volatile List<CachedMethod> snapshot = List.of();
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
        final LazyMethod method;
        final String identity;

        Watch(ClassLoader loader, ReferenceQueue<ClassLoader> queue, LazyMethod method, String identity) {
            super(loader, queue);
            this.method = method;
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
     * ({@link CombinedMethod}). Nothing of the method is made yet but its {@link LazyMethod}: the rest comes with
     * its first call.
     */
    public synchronized int register(MethodSpec spec, List<MethodSpec> evictions, ClassLoader loader) {
        // The identity hash tells loaders apart only while both live: a dead loader's method may still
        // sit under the same name until the background thread releases it, so the loader is compared too.
        String identity = spec.signature().display() + '@' + System.identityHashCode(loader);
        Watch known = byIdentity.get(identity);
        if (known != null && known.method.loader() == loader && !known.method.released) {
            return known.method.id;
        }
        if (matched.size() >= maxMethods) {
            if (!limitReported) {
                limitReported = true;
                Log.warn(maxMethods + " methods are cached, the limit (-Drecall.maxMethods=" + maxMethods + "): "
                        + spec.signature() + " and any further method run uncached. Narrow the rules, or raise the limit");
            }
            return -1;
        }
        try {
            // The connection to a shared store is made when a method that uses it is matched, in the background,
            // as before methods were made at their first call: that call finds it up (or waits for it, at most the
            // connect timeout), and the store's state is on the Agent MBean from then on.
            if (spec.entries() != null) { // an eviction stores nothing
                regions.prepare(spec.entries().store());
            }
            if (spec.exceptions() != null) {
                regions.prepare(spec.exceptions().entries().store());
            }
        } catch (RuntimeException e) {
            Log.once("prepare-store", "could not start connecting to the shared store for " + spec.signature()
                    + "; its first call will try again", e);
        }
        LazyMethod lazy = new LazyMethod(this, spec, List.copyOf(evictions), loader);
        lazy.id = Bridge.register(lazy);
        if (lazy.id >= byId.length) {
            byId = Arrays.copyOf(byId, Math.max(byId.length * 2, lazy.id + 1));
        }
        byId[lazy.id] = lazy;
        matched.add(lazy);
        // The boot loader is never collected: nothing to watch, and a null referent would be queued never.
        Watch watch = new Watch(loader, loader == null ? null : collected, lazy, identity);
        byIdentity.put(identity, watch);
        if (loader != null) {
            watches.add(watch);
        }
        return lazy.id;
    }

    /**
     * Makes the method of {@code lazy}'s first call: its region (created or shared), its strategy and
     * counters; puts it in the bridge slot, and tells the listener (the MBean and meters follow on the
     * agent's background thread). {@code null} when the method cannot be cached after all (said once) or
     * its loader is gone. Called by {@link LazyMethod} until it has its method; made once however many
     * threads call at the same time.
     */
    CachedMethod materialize(LazyMethod lazy) {
        CachedMethod created;
        synchronized (this) {
            if (lazy.method != null || lazy.uncached || lazy.released) {
                return lazy.method;
            }
            created = create(lazy);
            if (created == null) {
                lazy.uncached = true;
                return null;
            }
            lazy.method = created;
            String refused = lazy.refusedReason(); // read after the write above: see LazyMethod on the race
            if (refused != null) {
                created.refuse(refused);
            }
            Bridge.replace(lazy.id, created);
            methods.add(created);
            snapshot = null;
        }
        if (Log.debugEnabled()) {
            // Only when asked for: the settings' record toString links an invokedynamic at the first call of the JVM,
            // about a tenth of what the first cached call of a process cost.
            MethodSpec spec = lazy.spec();
            Log.debug("caching " + spec.signature() + " (" + spec.settings() + ", cache " + spec.region() + ", key " + spec.key()
                    + ", from " + spec.source() + "), at its first call");
        }
        listener.accept(created);
        return created;
    }

    private CachedMethod create(LazyMethod lazy) {
        MethodSpec spec = lazy.spec();
        ClassLoader loader = lazy.loader();
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
            return null;
        }
        if (e != null && !e.freshness().staleIfError().isZero()) {
            region.holdStale();
        }
        CachedMethod created = create(spec, region);
        ExceptionCaching x = spec.exceptions();
        if (x != null) {
            // A region of its own, kept as its cache name's settings say, in this loader's deployment like the results.
            created.bindExceptions(regions.region(x.region(), loader, x.entries().maxSize(), x.entries().kept(), x.entries().store()));
        }
        List<MethodSpec> evictions = lazy.evictions();
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
                if (!e.freshness().staleIfError().isZero()) {
                    partition.holdStale();
                }
                return partition;
            });
        }
        return created;
    }

    /** Told about every method made from now on, at its first call (on the calling thread: keep it short). */
    public void onRegistered(Consumer<CachedMethod> listener) {
        this.listener = listener;
    }

    /** Told about every made method released from now on, on the thread that calls {@link #releaseUnloaded}. */
    public void onReleased(Consumer<CachedMethod> listener) {
        this.releaseListener = listener;
    }

    /**
     * Lets go of the methods whose class loader the GC collected since the last call; the number released
     * (matched ones, called or not). Called periodically on the agent's background thread; never blocks on the GC.
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
        Set<LazyMethod> unmatched = Collections.newSetFromMap(new IdentityHashMap<>());
        synchronized (this) {
            for (int i = 0; i < ids.length; i++) {
                Watch w = gone.get(i);
                LazyMethod lazy = w.method;
                ids[i] = lazy.id;
                lazy.released = true;
                if (byId[lazy.id] == lazy) {
                    byId[lazy.id] = null;
                }
                unmatched.add(lazy);
                byIdentity.remove(w.identity, w);
                CachedMethod made = lazy.method;
                if (made == null) {
                    continue;
                }
                made.markReleased();
                released.add(made);
                CachedMethod m = made instanceof CombinedMethod c ? c.primary() : made;
                if (m instanceof WriteBackMethod target) {
                    writer.unregister(target);
                }
            }
            Bridge.release(ids);
            matched.removeIf(unmatched::contains);
            methods.removeIf(released::contains);
            snapshot = null;
        }
        for (CachedMethod m : released) {
            releaseListener.accept(m);
        }
        Log.debug("released " + unmatched.size() + " matched method(s) whose class loader was collected, "
                + released.size() + " of them called");
        return unmatched.size();
    }

    private CachedMethod create(MethodSpec spec, Region region) {
        if (spec.settings() instanceof MethodSettings.Read read) {
            if (read.bulk()) {
                return new BulkMethod(spec, region);
            }
            return CompiledSites.create(spec, region, read.strategy() == StrategyKind.READ_THROUGH);
        }
        if (spec.settings() instanceof MethodSettings.Write write) {
            return write.strategy() == StrategyKind.WRITE_BACK ? new WriteBackMethod(spec, region, writer)
                    : new WriteThroughMethod(spec, region);
        }
        return new EvictMethod(spec, region);
    }

    /** The methods called so far (each made at its first call), without those released. */
    public List<CachedMethod> all() {
        List<CachedMethod> all = snapshot;
        if (all == null) {
            synchronized (this) {
                all = snapshot;
                if (all == null) {
                    all = List.copyOf(methods);
                    snapshot = all;
                }
            }
        }
        return all;
    }

    /**
     * The method of bridge id {@code id}, made now if it was never called, as its first call would make it
     * (for tests, and for tools that act on a method before it ran); {@code null} if unknown, released, or
     * it cannot be cached.
     */
    public CachedMethod method(int id) {
        LazyMethod lazy = matched(id);
        return lazy == null ? null : materialize(lazy);
    }

    /** The matched method registered under bridge id {@code id}, called or not. */
    public synchronized LazyMethod matched(int id) {
        return byId[id];
    }

    /** Every matched method alive, called or not, in the order matched; a snapshot. */
    public synchronized List<LazyMethod> matched() {
        return List.copyOf(matched);
    }
}
