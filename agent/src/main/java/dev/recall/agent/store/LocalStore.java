package dev.recall.agent.store;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Entries in a Caffeine cache inside the JVM, bounded by entry count.
 *
 * <p>While every method of the region keeps its entries equally long (its TTL, plus any stale window),
 * the cache expires entries a fixed time after they were written ({@code expireAfterWrite}), which is
 * Caffeine's cheapest read path; an entry that ends earlier (jitter, a null's own TTL) is told by its own
 * deadline on the hit path. When a method that keeps them for another time joins the region, the cache is
 * rebuilt once to expire each entry at its own {@link Entry#keepNanos()}. Regions are set up as classes load, before traffic, so the rebuild
 * practically never copies anything.
 *
 * <p>Thread safety is Caffeine's; the switch is synchronized and publishes the new cache through a
 * volatile field. Caffeine's maintenance (draining its read buffers, evicting) runs on the agent's own
 * daemon thread, not on the application's threads (which would pay for it on reads) and not on the
 * common fork-join pool (which the application may have sized for itself).
 *
 * <p>Caffeine still takes its eviction lock on the calling thread for a moment (to hand the maintenance over, or to
 * run it itself when its write buffer is full). An error thrown there ({@code StackOverflowError},
 * {@code OutOfMemoryError}) can leave the lock held by the thread that met it, and every later write of the region
 * would block on it. Releasing it in the failed operation's own catch block rarely works for a stack overflow: the
 * catch block runs at nearly the same depth, and its calls overflow too. So a failed operation marks the store
 * ({@link #failed}, a field write, which needs no stack), and every operation first lets go of a lock its own
 * thread still holds once the store is marked ({@link #letGo}): the thread that overflowed comes back up its stack
 * and calls again (every cached call begins with a {@link #get}), and then it has the room. The store path is
 * entered only with stack to spare ({@link Headroom}); this is the net below, and the hit path's only one.
 */
public final class LocalStore implements Store {

    private final LongAdder removals = new LongAdder();
    private final Executor maintenance;
    private volatile Cache<Object, Entry> cache;
    /** The eviction lock of {@link #cache}, or {@code null} if this Caffeine keeps it elsewhere. */
    private volatile ReentrantLock evictionLock;
    /**
     * An operation failed with an error since the store was made, so some thread may hold {@link #evictionLock}
     * left over. Written and read without a fence: the thread that must let go is the one that wrote it. Never
     * reset (another thread may be the one still holding); after that, each operation asks the lock whether it is
     * held by its thread, a read of two fields.
     */
    private boolean failed;
    /** The TTL every entry shares, or {@code null} once methods with different TTLs share the region. */
    private Duration fixedTtl;
    /** No method that writes entries has joined yet (the region was created by an eviction). */
    private boolean undecided;
    private long maxSize;

    /** @param ttl the TTL of the method creating the region, or {@code null} if it writes no entries */
    public LocalStore(long maxSize, Duration ttl, Executor maintenance) {
        this.maintenance = maintenance;
        this.maxSize = maxSize;
        this.fixedTtl = ttl;
        this.undecided = ttl == null;
        use(ttl == null ? perEntry(maxSize) : builder(maxSize).expireAfterWrite(ttl).build());
    }

    private Cache<Object, Entry> perEntry(long size) {
        return builder(size).expireAfter(new PerEntryTtl()).build();
    }

    private Caffeine<Object, Entry> builder(long size) {
        return Caffeine.newBuilder()
                .maximumSize(size)
                .evictionListener((Object k, Entry v, RemovalCause cause) -> removals.increment())
                .executor(maintenance);
    }

    /**
     * Called as each method of the region registers: the TTL of the entries it writes ({@code null} for
     * an eviction, which writes none), and the room it asks for.
     */
    public synchronized void addMethod(Duration ttl, long size) {
        if (size > maxSize) {
            maxSize = size;
            cache.policy().eviction().ifPresent(e -> e.setMaximum(size));
        }
        if (ttl == null) {
            return;
        }
        if (undecided) {
            undecided = false;
            fixedTtl = ttl;
            replace(builder(maxSize).expireAfterWrite(ttl).build());
        } else if (fixedTtl != null && !fixedTtl.equals(ttl)) {
            fixedTtl = null;
            replace(perEntry(maxSize));
        }
    }

    private void replace(Cache<Object, Entry> next) {
        next.putAll(cache.asMap());
        use(next);
    }

    private void use(Cache<Object, Entry> next) {
        evictionLock = evictionLockOf(next);
        cache = next;
    }

    /** Caffeine's eviction lock of a bounded cache, read once per cache; {@code null} if it is not where expected. */
    static ReentrantLock evictionLockOf(Cache<?, ?> cache) {
        try {
            Object inner = field(cache, "cache");
            return inner == null ? null : (ReentrantLock) field(inner, "evictionLock");
        } catch (Throwable t) {
            return null;
        }
    }

    private static Object field(Object of, String name) throws IllegalAccessException {
        for (Class<?> c = of.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f.get(of);
            } catch (NoSuchFieldException e) {
                // declared higher up
            }
        }
        return null;
    }

    /** Releases Caffeine's eviction lock if this thread holds it though none of its operations is under way. */
    private void letGo() {
        ReentrantLock lock = evictionLock;
        if (lock != null) {
            while (lock.isHeldByCurrentThread()) {
                lock.unlock();
            }
        }
    }

    @Override
    public Entry get(Object key, Accessor accessor) {
        if (failed) {
            letGo();
        }
        try {
            return cache.getIfPresent(key);
        } catch (Throwable t) {
            failed = true;
            throw t;
        }
    }

    @Override
    public void put(Object key, Entry entry, Accessor accessor) {
        if (failed) {
            letGo();
        }
        try {
            cache.put(key, entry);
        } catch (Throwable t) {
            failed = true;
            throw t;
        }
    }

    @Override
    public void remove(Object key, Entry expected) {
        if (failed) {
            letGo();
        }
        try {
            cache.asMap().remove(key, expected);
        } catch (Throwable t) {
            failed = true;
            throw t;
        }
    }

    @Override
    public void invalidate(Object key) {
        if (failed) {
            letGo();
        }
        try {
            cache.invalidate(key);
        } catch (Throwable t) {
            failed = true;
            throw t;
        }
    }

    @Override
    public void invalidateAll() {
        if (failed) {
            letGo();
        }
        try {
            cache.invalidateAll();
        } catch (Throwable t) {
            failed = true;
            throw t;
        }
    }

    @Override
    public long size() {
        return cache.estimatedSize();
    }

    @Override
    public long removals() {
        return removals.sum();
    }

    @Override
    public Iterable<Object> keys() {
        return cache.asMap().keySet();
    }

    /** Caffeine's default ticker is System.nanoTime(), the clock entry deadlines are on. */
    private static final class PerEntryTtl implements Expiry<Object, Entry> {
        @Override
        public long expireAfterCreate(Object key, Entry value, long currentTime) {
            return value.keptNanos(currentTime);
        }

        @Override
        public long expireAfterUpdate(Object key, Entry value, long currentTime, long currentDuration) {
            return value.keptNanos(currentTime);
        }

        @Override
        public long expireAfterRead(Object key, Entry value, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
