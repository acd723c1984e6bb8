package dev.recall.agent.method;

import dev.recall.agent.codec.CodecException;
import dev.recall.agent.codec.UncacheableValueException;
import dev.recall.agent.codec.ValueCopier;
import dev.recall.agent.config.CopyKind;
import dev.recall.agent.config.MethodSignature;
import dev.recall.agent.key.KeyFunction;
import dev.recall.agent.key.NullOnPath;
import dev.recall.agent.log.Log;
import dev.recall.agent.metrics.MethodStats;
import dev.recall.agent.metrics.RemoteCounters;
import dev.recall.agent.store.Accessor;
import dev.recall.agent.store.Entry;
import dev.recall.agent.store.Region;
import dev.recall.bridge.Bridge;
import dev.recall.bridge.Site;
import java.lang.ref.WeakReference;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

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
    private final long nullTtlNanos;
    /** The share of the TTL by which each entry's life is shortened at random, so keys loaded together expire apart. */
    private final double jitter;
    private final long staleIfErrorNanos;
    private volatile boolean enabled = true;
    private volatile String refusedReason;
    /** Results returned but not stored because that one value could not be copied faithfully, by reason. */
    private final ConcurrentHashMap<String, LongAdder> uncacheable = new ConcurrentHashMap<>(4);
    /** The regions per receiver state of a method kept apart by it ({@link MethodSpec#byReceiver}), else {@code null}. */
    private final ReceiverRegions receivers;
    /** How the method's messages and events name it ({@code signature().display()}), read on each load. */
    protected final String display;
    /** How its results are held ({@code entries().copy()}), read on each load; {@code null} for a method without entries. */
    private final CopyKind copy;

    /** Weak: a cached method must not keep an undeployed application's class loader alive. */
    private volatile WeakReference<ClassLoader> loader = new WeakReference<>(null);
    /**
     * Weak for the same reason: the return type is often a class of the application's loader, and the
     * bridge, a GC root, holds this method until that loader is collected.
     */
    private volatile WeakReference<Class<?>> valueType;
    /** Set once by the registry, on the agent's background thread, when the loader is gone. */
    private volatile boolean released;
    /**
     * The transaction managers of the method's loader, resolved at the first call, when the application's classes
     * are there; weak, since they hold classes of the application (the loader keeps them alive, see
     * {@link Transactions}). {@link #noTransactions} once the loader proved to see none. Racy by design: every
     * thread resolves the same.
     */
    private WeakReference<Transactions> transactions;
    private boolean noTransactions;

    protected CachedMethod(MethodSpec spec, Region region) {
        this.spec = spec;
        this.region = region;
        this.keys = spec.key().function();
        MethodSettings.Entries entries = spec.entries();
        this.ttlNanos = entries == null ? 0 : entries.ttl().toNanos();
        this.nullTtlNanos = entries == null ? 0 : entries.freshness().nullTtl().toNanos();
        this.jitter = entries == null ? 0 : entries.freshness().jitter();
        this.staleIfErrorNanos = entries == null ? 0 : entries.freshness().staleIfError().toNanos();
        this.receivers = spec.byReceiver() ? new ReceiverRegions(spec, stats) : null;
        this.display = spec.signature().display();
        this.copy = entries == null ? null : entries.copy();
    }

    /**
     * JSR-107's exception cache of the method, or {@code null}. Set once by the registry before the method is
     * published to the bridge (whose volatile array write publishes it), read by every call after that.
     */
    ExceptionCache exceptions;

    /** Called once by the registry, for a method with {@link MethodSpec#exceptions}. */
    void bindExceptions(Region exceptionRegion) {
        this.exceptions = new ExceptionCache(this, spec.exceptions(), exceptionRegion);
    }

    /** Called once by the registry: how the region of a receiver state is made ({@code name -> region}). */
    void bindPartitions(Function<String, Region> regionsByName) {
        if (receivers != null) {
            receivers.bind(regionsByName);
        }
    }

    /**
     * The region of a call on {@code self}: the method's own, or for a method kept apart per receiver state
     * ({@link MethodSpec#byReceiver}) the region of the receiver's state ({@link ReceiverRegions}).
     *
     * @return {@code null} when the receiver's state would need a region beyond the limit: the call runs uncached
     */
    protected final Region regionFor(Object self) {
        return receivers == null || self == null ? region : receivers.of(self);
    }

    /** Every region this method's entries live in: its own, or one per receiver state. */
    public Collection<Region> regions() {
        return receivers != null ? receivers.all() : List.of(region);
    }

    /** Entries held in this JVM over all of {@link #regions()}. */
    public long size() {
        long n = 0;
        for (Region r : regions()) {
            n += r.size();
        }
        return n;
    }

    /** Entries removed by size bound or expiry over all of {@link #regions()}. */
    public long removals() {
        long n = 0;
        for (Region r : regions()) {
            n += r.store().removals();
        }
        return n;
    }

    /** Removes every entry of every region of the method (a named region is shared with the methods that name it). */
    public void invalidateAll() {
        for (Region r : regions()) {
            r.invalidateAll();
        }
    }

    /**
     * Invalidates the entries whose key renders as {@code rendered}, in every region of the method: those
     * held in this JVM by their rendering, and in Redis every key the text can stand for
     * ({@link dev.recall.agent.key.KeyTemplate#keysRenderedAs}), since a name there is made from the key itself.
     */
    public int invalidateRendered(String rendered) {
        int n = 0;
        List<Object> keys = null;
        for (Region r : regions()) {
            n += r.invalidateRendered(rendered);
            if (r.remote()) {
                if (keys == null) {
                    keys = spec.key().keysRenderedAs(rendered, parameterClasses(), declaringClass());
                }
                for (Object key : keys) {
                    r.invalidate(key);
                    n++;
                }
            }
        }
        return n;
    }

    private Class<?>[] parameterClasses() {
        List<String> names = spec.signature().parameterTypes();
        Class<?>[] types = new Class<?>[names.size()];
        for (int i = 0; i < types.length; i++) {
            types[i] = classNamed(names.get(i));
        }
        return types;
    }

    private Class<?> declaringClass() {
        return classNamed(spec.signature().className());
    }

    /** The class of the method's loader named {@code name} (a primitive by its keyword); {@code null} if unknown. */
    private Class<?> classNamed(String name) {
        Class<?> primitive = switch (name) {
            case "boolean" -> boolean.class;
            case "byte" -> byte.class;
            case "short" -> short.class;
            case "char" -> char.class;
            case "int" -> int.class;
            case "long" -> long.class;
            case "float" -> float.class;
            case "double" -> double.class;
            default -> null;
        };
        if (primitive != null || name.endsWith("]")) {
            return primitive;
        }
        try {
            return Class.forName(name, false, loader());
        } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
            return null;
        }
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
                type = Class.forName(spec.returnType().name(), false, loader());
            } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
                type = Object.class;
            }
            valueType = new WeakReference<>(type);
        }
        return type;
    }

    /**
     * Whether the calling thread is inside a read-write transaction of the application (Spring's, JTA's): then a
     * read must see what it would see without the agent. A field read and a comparison where the method's class
     * loader sees no transaction manager.
     */
    protected final boolean inWriteTransaction() {
        return !noTransactions && transactions().readWrite();
    }

    /**
     * Whether {@code entry} holds lazy associations left unloaded and the calling thread has a session around it
     * that could load them, had the method run (open-session-in-view, a transaction, a request-scoped session):
     * then the entry must not answer, or the caller would get {@code LazyInitializationException} where it loads.
     */
    protected final boolean unloadedInSession(Entry entry) {
        if (!(entry.value() instanceof ValueCopier.Unloaded)) {
            return false;
        }
        if (transactions().sessionAround()) {
            Log.warnOnce(spec.signature().display() + "|unloaded-in-session", "a call of " + spec.signature() + " ran "
                    + "the method although its result was cached: the cached result holds lazy associations not loaded, "
                    + "which a session around this call (open-session-in-view, a transaction, a request-scoped session) "
                    + "could load and the cached copy could not. Such calls count as misses; further ones are not logged");
            return true;
        }
        return false;
    }

    private Transactions transactions() {
        WeakReference<Transactions> known = transactions;
        Transactions t = known == null ? null : known.get();
        if (t == null) {
            t = Transactions.of(loader());
            transactions = new WeakReference<>(t);
            noTransactions = t == Transactions.NONE;
        }
        return t;
    }

    /**
     * Inside a read-write transaction, runs {@code eviction} again when it ends: what the method evicted at its
     * return may be loaded back, old, by a read before the commit. {@code eviction} must not throw.
     */
    protected final void againAtCommit(Runnable eviction) {
        if (inWriteTransaction()) {
            transactions().afterCompletion(() -> {
                try {
                    eviction.run();
                } catch (Throwable t) {
                    failed("evicting at the transaction's end", t);
                }
            });
        }
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
    public long staleIfErrorNanos() {
        return staleIfErrorNanos;
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
        uncacheable.clear();
    }

    /**
     * A result that could not be copied faithfully (an uninitialized lazy association): the caller got it as the
     * method returned it, it was not stored, and the method stays cached. Counted by reason, said once per reason.
     */
    final void uncacheableResult(UncacheableValueException why) {
        uncacheable.computeIfAbsent(why.reason(), r -> new LongAdder()).increment();
        Log.warnOnce(spec.signature().display() + "|uncacheable|" + why.reason(), "a result of " + spec.signature()
                + " was not cached (" + why.reason() + "): " + why.getMessage() + ". Further such results are counted "
                + "in UncacheableResults, unlogged");
    }

    /**
     * An exception the method threw that its exception cache would hold by value and cannot copy: the caller got it as
     * thrown, it was not cached, and later calls with its key run the method. Counted with the uncacheable results,
     * said once per method and exception class.
     */
    final void uncacheableException(Throwable thrown, CodecException why) {
        uncacheable.computeIfAbsent("exception-not-copyable", r -> new LongAdder()).increment();
        Log.warnOnce(spec.signature().display() + "|uncacheable-exception|" + thrown.getClass().getName(), "an exception "
                + thrown.getClass().getName() + " thrown by " + spec.signature() + " was not put in its exception cache "
                + spec.exceptions().region() + ": " + why.getMessage() + ". Calls that throw it run the method each time; "
                + "further ones are counted in UncacheableResults, unlogged");
    }

    /** Results not stored because they could not be copied faithfully; the calls ran as usual. */
    public long uncacheableResults() {
        long n = 0;
        for (LongAdder a : uncacheable.values()) {
            n += a.sum();
        }
        return n;
    }

    /** {@link #uncacheableResults} by reason, e.g. {@code uninitialized-lazy-association=3}; empty if none. */
    public String uncacheableReasons() {
        StringBuilder b = new StringBuilder();
        new TreeMap<>(uncacheable).forEach((reason, n) -> b.append(b.length() == 0 ? "" : ", ").append(reason)
                .append('=').append(n.sum()));
        return b.toString();
    }

    /**
     * The entry a result or written value becomes: shared as it is when it is immutable (or the method
     * says {@code copy: reference}), else a private copy that each reader gets its own copy of.
     *
     * @throws CodecException if the value must be copied and cannot be
     */
    protected final Entry entryOf(Object value, long loadNanos, long nowNanos) throws CodecException {
        return entryOf(value, loadNanos, nowNanos, false);
    }

    /**
     * {@link #entryOf(Object, long, long)}, where {@code keepUnloaded} lets a result whose lazy associations were
     * not loaded, and detached from any session when the method returned, be held with them unloaded (an
     * {@link ValueCopier.Unloaded}): only in this JVM (the remote codec does not write them), and served only
     * where no session could load them ({@link #sessionAround}).
     */
    protected final Entry entryOf(Object value, long loadNanos, long nowNanos, boolean keepUnloaded) throws CodecException {
        long life = life(value == null ? nullTtlNanos : ttlNanos);
        long deadline = nowNanos + life;
        long keep = deadline + staleIfErrorNanos;
        if (value == null) {
            return new Entry(Bridge.NULL, loadNanos, nowNanos, deadline, keep, false);
        }
        if (copy == CopyKind.REFERENCE || copy == CopyKind.AUTO && ValueCopier.isImmutable(value)) {
            return new Entry(value, loadNanos, nowNanos, deadline, keep, false);
        }
        return new Entry(keepUnloaded ? ValueCopier.copyKeepingUnloaded(value) : ValueCopier.copy(value), loadNanos, nowNanos,
                deadline, keep, true);
    }

    /** An entry's TTL: the nominal one, shortened by up to {@code jitter} of it, uniformly. */
    private long life(long nominalNanos) {
        if (jitter == 0) {
            return nominalNanos;
        }
        return Math.max(1, nominalNanos - (long) (nominalNanos * jitter * ThreadLocalRandom.current().nextDouble()));
    }

    /** The value a caller gets from {@code entry}: its own copy if the entry is held by value. */
    protected final Object valueFor(Entry entry) throws CodecException {
        if (entry.value() instanceof ValueCopier.Unloaded u) {
            Object copy = ValueCopier.copyKeepingUnloaded(u.copy());
            return copy instanceof ValueCopier.Unloaded again ? again.copy() : copy;
        }
        return entry.copyOnRead() ? ValueCopier.copy(entry.value()) : entry.value(); // NULL is never held by value
    }

    /**
     * The key to store a result under ({@link HeldKeys}), or {@code null} when it holds an argument that can change
     * and cannot be copied: that result is not stored (the call returned it as usual), said once per method and
     * argument type. Keys are never {@code null} ({@link dev.recall.agent.key.Keys#NULL} stands for a null argument).
     */
    final Object heldKey(Object key) {
        try {
            return HeldKeys.held(key);
        } catch (CodecException e) {
            uncachedKey(e);
            return null;
        }
    }

    private void uncachedKey(CodecException why) {
        Log.warnOnce("uncached-key|" + spec.signature().display() + '|' + why.getMessage(), spec.signature().display()
                + ": a key argument can be changed after the call and cannot be copied (" + why.getMessage() + "); calls "
                + "with such a key run uncached. Key on an immutable part of it instead, e.g. key = \"{0.id}\"");
    }

    /**
     * A call that ran uncached because its thread's stack was nearly full ({@link dev.recall.agent.store.Headroom}):
     * counted as an error, said once per method.
     */
    protected final void nearStackEnd() {
        stats.error();
        Log.warnOnce(spec.signature().display() + "|stack-end", "a call of " + spec.signature() + " ran uncached because "
                + "its thread's stack was nearly full (deep recursion); the cache is not entered that near the end of a "
                + "stack, where a StackOverflowError could strike while a lock is held. Further such calls are counted "
                + "(ErrorCount), not logged");
    }

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
