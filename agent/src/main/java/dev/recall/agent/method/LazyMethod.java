package dev.recall.agent.method;

import dev.recall.agent.log.Log;
import dev.recall.bridge.Call;
import dev.recall.bridge.Site;
import java.lang.ref.WeakReference;
import java.util.List;

/**
 * A matched method before its first call: its spec, its class loader (weakly) and its bridge slot, and
 * nothing else. A rule such as {@code com.acme.**#find*(..)} matches thousands of methods of which most are
 * never called; none of them gets a region, counters, an MBean or meters until it is. The first call makes
 * the {@link CachedMethod} ({@link MethodRegistry#materialize}), puts it in the bridge slot in this one's
 * place, so later calls reach it directly and the hit path is what it would be without this step, and
 * hands it the call.
 *
 * <p>Threads: first calls may race from any number of threads, and a thread may still hold this site after
 * the slot changed. Every call reads {@link #method} (volatile); while it is {@code null}, the thread asks the
 * registry, which creates the method under its lock, checking again inside it, so exactly one
 * {@link CachedMethod} is ever made; it is published in {@link #method} before the lock is released, and the
 * losers of the race return it from there. A refusal ({@link #refuse}) may come from the weaver while a first
 * call makes the method: both sides write their volatile and then read the other's, so at least one of them
 * sees both and the made method is refused either way.
 */
public final class LazyMethod extends Site {

    private final MethodRegistry registry;
    private final MethodSpec spec;
    private final List<MethodSpec> evictions;
    /** Weak: a matched method must not keep an undeployed application's class loader alive (the bridge holds this). */
    private final WeakReference<ClassLoader> loader;
    /** The bridge slot; set once by the registry, under its lock, before the class that calls it is defined. */
    int id = -1;
    /** The method made by the first call; {@code null} before it. Written under the registry's lock. */
    volatile CachedMethod method;
    /** The first call found that the method cannot be cached (said then, once): calls run as they would without the agent. */
    volatile boolean uncached;
    volatile boolean released;
    private volatile String refusedReason;

    LazyMethod(MethodRegistry registry, MethodSpec spec, List<MethodSpec> evictions, ClassLoader loader) {
        this.registry = registry;
        this.spec = spec;
        this.evictions = evictions;
        this.loader = new WeakReference<>(loader);
    }

    /** The bridge slot the method's advice calls. */
    public int id() {
        return id;
    }

    public MethodSpec spec() {
        return spec;
    }

    List<MethodSpec> evictions() {
        return evictions;
    }

    public ClassLoader loader() {
        return loader.get();
    }

    /** Whether the method was called at least once (and could be cached): it has a region, counters, an MBean. */
    public boolean called() {
        return method != null;
    }

    /** The method made by the first call, or {@code null} before it. */
    public CachedMethod method() {
        return method;
    }

    /**
     * Caching this method would change what the application computes: it runs uncached for good, now or
     * once made, and stderr says why, once.
     */
    public void refuse(String reason) {
        refusedReason = reason;
        Log.warnOnce(spec.signature().display() + "|refused", spec.signature() + " runs uncached: " + reason);
        CachedMethod m = method;
        if (m != null) {
            m.refuse(reason);
        }
    }

    public String refusedReason() {
        return refusedReason;
    }

    private CachedMethod made() {
        CachedMethod m = method;
        if (m != null || uncached) {
            return m;
        }
        return registry.materialize(this);
    }

    @Override
    public Object lookup(Object self, Object a0, Object a1, Object[] args) {
        CachedMethod m = made();
        return m == null ? null : m.lookup(self, a0, a1, args);
    }

    @Override
    public Object enter(Object self, Object a0, Object a1, Object[] args) {
        CachedMethod m = made();
        return m == null ? null : m.enter(self, a0, a1, args);
    }

    @Override
    public Object defer(Class<?> type, Object self, Object[] args) {
        CachedMethod m = made();
        return m == null ? null : m.defer(type, self, args);
    }

    @Override
    public void exit(Call call, Object returned, Throwable thrown) {
        // A Call comes only from the made method's enter or defer, so it is there.
        CachedMethod m = method;
        if (m != null) {
            m.exit(call, returned, thrown);
        }
    }

    @Override
    public String toString() {
        return spec.signature().display();
    }
}
