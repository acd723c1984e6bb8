package dev.recall.agent.method;

import dev.recall.agent.codec.CodecException;
import dev.recall.agent.codec.ThrowableCopier;
import dev.recall.agent.config.CopyKind;
import dev.recall.agent.config.MethodSignature;
import dev.recall.agent.metrics.RemoteCounters;
import dev.recall.agent.store.Accessor;
import dev.recall.agent.store.Entry;
import dev.recall.agent.store.Region;
import dev.recall.bridge.Thrown;

/**
 * The exception cache of one {@code @CacheResult} method at run time ({@link ExceptionCaching}): its own region, named
 * by {@code exceptionCacheName}, whose entries are exceptions under the keys of the calls that threw them.
 *
 * <p>Held by value unless the cache's {@code copy:} is {@code reference}: the entry is a copy made when the method
 * threw and each call that finds it throws a copy of its own ({@link ThrowableCopier}); an exception that cannot be
 * copied is not cached (counted with the method's uncacheable results, said once per class) and its key's calls run
 * the method as before. The {@link Accessor} of its region: a shared store reads entries back as exceptions, through
 * the method's class loader.
 *
 * <p>Shared by every thread that calls the method; its fields are final and its region is thread-safe.
 */
final class ExceptionCache implements Accessor {

    private final CachedMethod method;
    private final ExceptionCaching caching;
    private final Region region;
    private final long ttlNanos;
    private final boolean byValue;

    ExceptionCache(CachedMethod method, ExceptionCaching caching, Region region) {
        this.method = method;
        this.caching = caching;
        this.region = region;
        this.ttlNanos = caching.entries().ttl().toNanos();
        this.byValue = caching.entries().copy() != CopyKind.REFERENCE; // exceptions are never immutable
    }

    Region region() {
        return region;
    }

    /**
     * What a call with {@code key} throws instead of running the method, counted as a hit; {@code null} when no
     * exception of that key is cached.
     *
     * @throws CodecException if the caller's copy cannot be made (the call then runs uncached)
     */
    Thrown find(Object key) throws CodecException {
        Entry entry = region.get(key, this);
        if (entry == null || entry.stale(System.nanoTime()) || !(entry.value() instanceof Throwable cached)) {
            return null; // nothing, or a value another method put under this cache's name: not an exception to throw
        }
        Thrown thrown = new Thrown(entry.copyOnRead() ? ThrowableCopier.copy(cached) : cached);
        method.stats.hit(entry.loadNanos());
        return thrown;
    }

    /**
     * After a call with {@code key} threw {@code thrown} (taking {@code loadNanos}): keeps it if
     * {@code cachedExceptions}/{@code nonCachedExceptions} include it. Never throws.
     */
    void threw(Object key, Throwable thrown, long loadNanos) {
        if (!caching.cached().includes(thrown)) {
            return;
        }
        try {
            Object held = method.heldKey(key);
            if (held == null) {
                return;
            }
            Throwable kept;
            try {
                kept = byValue ? ThrowableCopier.copy(thrown) : thrown;
            } catch (CodecException e) {
                method.uncacheableException(thrown, e);
                return;
            }
            long now = System.nanoTime();
            long deadline = now + ttlNanos;
            region.write(held, new Entry(kept, loadNanos, now, deadline, deadline, byValue), this);
        } catch (Throwable t) {
            method.failed("caching an exception in " + caching.region(), t);
        }
    }

    @Override
    public ClassLoader loader() {
        return method.loader();
    }

    @Override
    public Class<?> valueType() {
        return Throwable.class;
    }

    @Override
    public long ttlNanos() {
        return ttlNanos;
    }

    @Override
    public RemoteCounters remote() {
        return method.remote();
    }

    @Override
    public MethodSignature signature() {
        return method.signature();
    }
}
