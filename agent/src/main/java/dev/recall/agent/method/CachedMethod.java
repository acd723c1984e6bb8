package dev.recall.agent.method;

import dev.recall.agent.codec.CodecException;
import dev.recall.agent.codec.ValueCopier;
import dev.recall.agent.config.CopyKind;
import dev.recall.agent.config.MethodSignature;
import dev.recall.agent.store.Entry;
import dev.recall.bridge.Bridge;
import dev.recall.agent.metrics.RemoteCounters;
import dev.recall.agent.store.Accessor;
import java.lang.ref.WeakReference;

import dev.recall.agent.log.Log;
import dev.recall.agent.key.KeyFunction;
import dev.recall.agent.key.NullOnPath;
import dev.recall.agent.metrics.MethodStats;
import dev.recall.agent.store.Region;
import dev.recall.bridge.Site;

/**
 * One instrumented method at run time: its spec, its region and its counters. Subclasses implement a
 * strategy. Shared by every thread that calls the method; its own state is final apart from the
 * volatile {@code enabled} switch.
 *
 * <p>Nothing here may throw into the application: every failure is counted, logged once, and answered
 * with "run the method as if no agent were there".
 */
public abstract class CachedMethod extends Site implements Accessor {

    protected final MethodSpec spec;
    protected final Region region;
    protected final KeyFunction keys;
    protected final MethodStats stats = new MethodStats();
    protected final long ttlNanos;
    private volatile boolean enabled = true;
    private volatile String refusedReason;
    /** Weak: a cached method must not keep an undeployed application's class loader alive. */
    private volatile WeakReference<ClassLoader> loader = new WeakReference<>(null);
    /**
     * Weak for the same reason: the return type is often a class of the application's loader, and the
     * bridge, a GC root, holds this method until that loader is collected.
     */
    private volatile WeakReference<Class<?>> valueType;
    /** Set once by the registry, on the agent's background thread, when the loader is gone. */
    private volatile boolean released;

    protected CachedMethod(MethodSpec spec, Region region) {
        this.spec = spec;
        this.region = region;
        this.keys = spec.key().function();
        this.ttlNanos = spec.entries() == null ? 0 : spec.entries().ttl().toNanos();
    }

    /** Called once by the registry: the loader of the method's class. */
    void bindLoader(ClassLoader loader) {
        this.loader = new WeakReference<>(loader);
    }

    @Override
    public ClassLoader loader() {
        return loader.get();
    }

    @Override
    public Class<?> valueType() {
        WeakReference<Class<?>> known = valueType;
        Class<?> type = known == null ? null : known.get();
        if (type == null) {
            // Resolved on first use, not at registration: the class is still being defined then.
            try {
                type = Class.forName(spec.returnType(), false, loader());
            } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
                type = Object.class;
            }
            valueType = new WeakReference<>(type);
        }
        return type;
    }

    /** Whether the registry let go of this method because its class loader was collected. */
    public boolean released() {
        return released;
    }

    void markReleased() {
        released = true;
    }

    @Override
    public long ttlNanos() {
        return ttlNanos;
    }

    @Override
    public RemoteCounters remote() {
        return stats.remote();
    }

    @Override
    public MethodSignature signature() {
        return spec.signature();
    }

    public MethodSpec spec() {
        return spec;
    }

    public Region region() {
        return region;
    }

    public MethodStats stats() {
        return stats;
    }

    public boolean enabled() {
        return enabled;
    }

    /** Off: calls go straight to the method, and nothing is read or written. A refused method stays off. */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled && refusedReason == null;
    }

    /**
     * Caching this method would change what the application computes: from now on it runs uncached for
     * good (JMX cannot switch it back on), and stderr says why, once.
     */
    public void refuse(String reason) {
        refusedReason = reason;
        enabled = false;
        Log.warnOnce(spec.signature().display() + "|refused", spec.signature() + " runs uncached: " + reason);
    }

    /** Why the method runs uncached for good, or {@code null} if it is not refused. */
    public String refusedReason() {
        return refusedReason;
    }

    /** Sets the method's counters and latency windows back to zero; entries stay. */
    public void resetStatistics() {
        stats.reset();
    }

    /**
     * The entry a result or written value becomes: shared as it is when it is immutable (or the method
     * says {@code copy: reference}), else a private copy that each reader gets its own copy of.
     *
     * @throws CodecException if the value must be copied and cannot be
     */
    protected final Entry entryOf(Object value, long loadNanos, long deadlineNanos) throws CodecException {
        if (value == null) {
            return new Entry(Bridge.NULL, loadNanos, deadlineNanos);
        }
        CopyKind copy = spec.entries().copy();
        if (copy == CopyKind.REFERENCE || copy == CopyKind.AUTO && ValueCopier.isImmutable(value)) {
            return new Entry(value, loadNanos, deadlineNanos);
        }
        return new Entry(ValueCopier.copy(value), loadNanos, deadlineNanos, true);
    }

    /** The value a caller gets from {@code entry}: its own copy if the entry is held by value. */
    protected final Object valueFor(Entry entry) throws CodecException {
        Object v = entry.value();
        return entry.copyOnRead() && v != Bridge.NULL ? ValueCopier.copy(v) : v;
    }

    /** Counts a failure of the agent's own, and says so once per method and kind of failure. */
    protected final void failed(String during, Throwable t) {
        if (t instanceof NullOnPath) {
            Log.warnOnce(spec.signature().display() + "|null-on-path", "a call of " + spec.signature() + " ran uncached: its key "
                    + spec.key().text() + " met null before its last property (such calls have no key of their own); "
                    + "further such calls run uncached too, unlogged");
            return;
        }
        stats.error();
        Log.once(spec.signature().display() + '|' + during + '|' + t.getClass().getName(),
                "caching of " + spec.signature() + " failed while " + during + "; the method ran uncached", t);
    }
}
