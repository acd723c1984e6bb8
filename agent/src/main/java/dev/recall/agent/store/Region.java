package dev.recall.agent.store;

import dev.recall.agent.key.Keys;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A named set of entries shared by the methods that name it: readers, writers and evictors.
 *
 * <p>Besides its {@link Store}, a region guards against the classic lost-invalidation race: a load that
 * started before a write or eviction of its key must not put its older result into the region after it.
 * Every invalidation bumps an epoch (one of 64 stripes chosen by key hash, so writes to one key do not
 * stop the caching of others); a load remembers the epoch when it starts and stores its result only if
 * the epoch is unchanged, atomically with respect to the key's other writes.
 *
 * <p>It also holds the loads under way, so that every READ_THROUGH method of the region waits on the
 * same load of a key. Shared by all threads; all state is in concurrent structures.
 */
public final class Region {

    private static final int STRIPES = 64;

    private final String name;
    /** Replaced at most once, before traffic: a region created by an eviction takes its readers' store. */
    private volatile Store store;
    private volatile boolean decided;
    private final AtomicLongArray epochs = new AtomicLongArray(STRIPES);
    private final ConcurrentHashMap<Object, Loading> loading = new ConcurrentHashMap<>();
    /** The queues of the region's write-back methods; almost always empty, and then free to ask. */
    private final List<PendingWrites> pendingWrites = new CopyOnWriteArrayList<>();

    public Region(String name, Store store) {
        this.name = name;
        this.store = store;
    }

    public String name() {
        return name;
    }

    /**
     * Gives the region the store its first reader or writer asks for. Later methods share what the
     * first decided.
     *
     * @return the store the region uses from now on
     */
    synchronized Store decide(java.util.function.Supplier<Store> storeOfFirstMethod) {
        if (!decided) {
            decided = true;
            store = storeOfFirstMethod.get();
        }
        return store;
    }

    public Store store() {
        return store;
    }

    public Entry get(Object key, Accessor accessor) {
        return store.get(key, accessor);
    }

    /** A read with no method behind it (operators, tests): a remote store counts nothing for it. */
    public Entry get(Object key) {
        return get(key, Accessor.NONE);
    }

    public void write(Object key, Entry entry) {
        write(key, entry, Accessor.NONE);
    }

    public void putIfUnchanged(Object key, Entry entry, long stamp) {
        putIfUnchanged(key, entry, stamp, Accessor.NONE);
    }

    /** Registers the queue of a write-back method of this region. */
    public void acceptPendingWrites(PendingWrites writes) {
        pendingWrites.add(writes);
    }

    /**
     * The value of a write of {@code key} accepted by a write-back method and not yet made, in cached form;
     * {@code null} if there is none. Asked on a miss: the entry may have been evicted before the write ran.
     */
    public Object pendingValue(Object key) {
        for (PendingWrites p : pendingWrites) {
            Object v = p.pendingValue(key);
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /** Whether reads may go over the network (then the advice's quick look-up is skipped). */
    public boolean remote() {
        return store.remote();
    }

    /** The epoch to pass to {@link #putIfUnchanged} for a load of {@code key} starting now. */
    public long stamp(Object key) {
        return epochs.get(stripe(key));
    }

    /**
     * Stores a loaded result unless the key was invalidated or written since {@code stamp}. A write or
     * invalidation bumps the epoch before it touches the store; so if the epoch moved while we stored,
     * we take back our entry (only ours: the writer's stays). A reader in that instant may see the loaded
     * value, which is what it would have seen had it read just before the write.
     */
    public void putIfUnchanged(Object key, Entry entry, long stamp, Accessor accessor) {
        int stripe = stripe(key);
        if (epochs.get(stripe) != stamp) {
            return;
        }
        store.put(key, entry, accessor);
        if (epochs.get(stripe) != stamp) {
            store.remove(key, entry);
        }
    }

    /** Stores a written value; loads of the key already under way will not overwrite it. */
    public void write(Object key, Entry entry, Accessor accessor) {
        epochs.incrementAndGet(stripe(key));
        loading.remove(key);
        store.write(key, entry, accessor);
    }

    public void invalidate(Object key) {
        epochs.incrementAndGet(stripe(key));
        loading.remove(key);
        store.invalidate(key);
    }

    public void invalidateAll() {
        for (int i = 0; i < STRIPES; i++) {
            epochs.incrementAndGet(i);
        }
        loading.clear();
        store.invalidateAll();
    }

    public long size() {
        return store.size();
    }

    /**
     * Invalidates the entries whose key renders as {@code rendered} (how operators write a key over JMX).
     *
     * @return how many entries were invalidated
     */
    public int invalidateRendered(String rendered) {
        // The key objects are not known from their rendering: every load under way must not store its result.
        for (int i = 0; i < STRIPES; i++) {
            epochs.incrementAndGet(i);
        }
        loading.keySet().removeIf(key -> Keys.render(key).equals(rendered));
        return store.invalidateRendered(rendered);
    }

    /**
     * Registers the current thread as the loader of {@code key}.
     *
     * @return {@code null} if it now is the loader, else the load already under way
     */
    public Loading startLoad(Object key, Loading mine) {
        return loading.putIfAbsent(key, mine);
    }

    /** Ends a load: its waiters receive {@code entry} ({@code null}: it failed, they retry). */
    public void finishLoad(Object key, Loading mine, Entry entry) {
        loading.remove(key, mine);
        if (entry == null) {
            mine.fail();
        } else {
            mine.complete(entry);
        }
    }

    /**
     * For the thread that registered as the loader of {@code key}: the entry stored meanwhile, here or by
     * another JVM, or the turn to load it.
     */
    public LoadTurn takeTurn(Object key, Accessor accessor) {
        return store.takeTurn(key, accessor);
    }

    /** Drops a load marker whose thread died, so that waiters can take over. */
    public void abandonLoad(Object key, Loading stale) {
        loading.remove(key, stale);
    }

    private static int stripe(Object key) {
        int h = key.hashCode();
        return (h ^ (h >>> 16)) & (STRIPES - 1);
    }
}
