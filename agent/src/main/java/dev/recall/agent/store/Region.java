package dev.recall.agent.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * A named set of entries shared by the methods that name it: readers, writers and evictors. It puts
 * together the region's {@link Store} and four guards, each a class of its own: the {@link Epochs} that
 * keep a load from storing a result older than a write, the {@link WritesInFlight} that keep two racing
 * write-throughs from leaving the older value, the {@link LoadsInFlight} that READ_THROUGH callers of a
 * key wait on, and the {@link WriteBackValues} not yet written. A write or invalidation goes through them
 * in one order: epoch first, then the load under way, then the store.
 *
 * <p>A miss makes one call here before its load, {@link #load}, whose {@link LoadTicket} stores the result and
 * ends the load; a write-through makes one, {@link #beginWrite}, whose {@link WriteTicket} ends the write. Where
 * the store is shared by other JVMs ({@link RemoteStore}) the region also asks it for what their sharing needs.
 *
 * <p>Shared by all threads; all state is in those concurrent parts.
 */
public final class Region {

    private final String name;
    /** Replaced at most once, before traffic: a region created by an eviction takes its readers' store. */
    private volatile Store store;
    /**
     * {@link #store} when it is shared by several JVMs, else {@code null}, set with it. The paths test this field, not
     * {@code store instanceof RemoteStore}: an instanceof of an interface the local store does not implement scans
     * the class's interfaces each time, and cost every local hit some 13 ns (a quarter of it) in RecallBench.
     */
    private volatile RemoteStore shared;
    private volatile boolean decided;
    private final Epochs epochs = new Epochs();
    private final LoadsInFlight loads = new LoadsInFlight();
    private final WritesInFlight writes = new WritesInFlight();
    private final WriteBackValues writeBacks = new WriteBackValues();
    /** Some method of the region keeps entries past their TTL ({@code staleIfError}): every reader must check. */
    private volatile boolean holdsStale;

    public Region(String name, Store store) {
        this.name = name;
        this.store = store;
        this.shared = store instanceof RemoteStore r ? r : null;
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
    synchronized Store decide(Supplier<Store> storeOfFirstMethod) {
        if (!decided) {
            decided = true;
            Store chosen = storeOfFirstMethod.get();
            shared = chosen instanceof RemoteStore r ? r : null;
            store = chosen;
        }
        return store;
    }

    public Store store() {
        return store;
    }

    /**
     * Called as a method whose entries are kept past their TTL ({@code staleIfError}) joins: from now on the
     * region's readers check each entry's deadline, so that none takes a stale entry for a hit.
     */
    public void holdStale() {
        holdsStale = true;
    }

    /** Whether entries past their TTL may be in the store (see {@link #holdStale}). */
    public boolean holdsStale() {
        return holdsStale;
    }

    public Entry get(Object key, Accessor accessor) {
        return store.get(key, accessor);
    }

    /** The entries of {@code keys}, aligned with them; one multi-get (see {@link Store#getAll}). */
    public Entry[] getAll(List<?> keys, Accessor accessor) {
        return store.getAll(keys, accessor);
    }

    /**
     * Stores a bulk method's loaded elements, each unless its key was invalidated or written since its stamp, as
     * {@link #putIfUnchanged} does. In a store in the JVM, one by one under the key's lock; in a shared store (whose
     * fills land only where the key holds what the miss saw) in one round trip, each taken back if its epoch moved
     * meanwhile.
     *
     * @return aligned with {@code keys}: whether the load's waiters may take each entry
     */
    public boolean[] putAllIfUnchanged(List<?> keys, List<Entry> entries, long[] stamps, Accessor accessor) {
        boolean[] offered = new boolean[keys.size()];
        RemoteStore shared = this.shared;
        if (shared == null) {
            for (int i = 0; i < offered.length; i++) {
                offered[i] = putIfUnchanged(keys.get(i), entries.get(i), stamps[i], accessor);
            }
            return offered;
        }
        Arrays.fill(offered, true);
        List<Object> current = new ArrayList<>();
        List<Entry> theirs = new ArrayList<>();
        List<Integer> at = new ArrayList<>();
        for (int i = 0; i < offered.length; i++) {
            if (epochs.current(keys.get(i), stamps[i])) {
                current.add(keys.get(i));
                theirs.add(entries.get(i));
                at.add(i);
            }
        }
        boolean[] sent = shared.offerAll(current, theirs, accessor);
        for (int j = 0; j < sent.length; j++) {
            int i = at.get(j);
            offered[i] = sent[j];
            if (!epochs.current(keys.get(i), stamps[i])) {
                store.remove(keys.get(i), entries.get(i));
            }
        }
        return offered;
    }

    /** Registers the queue of a write-back method of this region. */
    public void acceptPendingWrites(PendingWrites writes) {
        writeBacks.add(writes);
    }

    /**
     * The value of a write of {@code key} accepted by a write-back method and not yet made, in cached form;
     * {@code null} if there is none. Asked on a miss: the entry may have been evicted before the write ran.
     */
    public Object pendingValue(Object key) {
        return writeBacks.pendingValue(key);
    }

    /** Whether the store is shared with other JVMs, so that reads may go over the network. */
    public boolean remote() {
        return shared != null;
    }

    /** Whether the advice's quick look-up ({@link #peek}) can answer without the network. */
    public boolean peekable() {
        RemoteStore remote = shared;
        return remote == null || remote.peekable();
    }

    /** The entry this JVM holds for {@code key} (its local store, or its near cache), or {@code null}. */
    public Entry peek(Object key, Accessor accessor) {
        RemoteStore remote = shared;
        return remote != null ? remote.peek(key, accessor) : store.get(key, accessor);
    }

    /** The stamp to pass to {@link #putIfUnchanged} for a load of {@code key} starting now. */
    public long stamp(Object key) {
        return epochs.stamp(key);
    }

    /**
     * Stores a loaded result unless the key was invalidated or written since {@code stamp}. A write or
     * invalidation bumps the epoch before it touches the store; so if the epoch moved while we stored,
     * we take back our entry (only ours: the writer's stays). A reader in that instant may see the loaded
     * value, which is what it would have seen had it read just before the write.
     *
     * @return whether the load's waiters may take {@code entry}: {@code false} when a shared store holds a newer
     *     value (see {@link RemoteStore#offer})
     */
    boolean putIfUnchanged(Object key, Entry entry, long stamp, Accessor accessor) {
        boolean offered;
        synchronized (epochs.lock(key)) {
            if (!epochs.current(key, stamp)) {
                // A write or invalidation here: it let go of the load, so only waiters from before it remain.
                return true;
            }
            RemoteStore shared = this.shared;
            if (shared != null) {
                offered = shared.offer(key, entry, accessor);
            } else {
                store.put(key, entry, accessor);
                offered = true;
            }
        }
        // Whole-region invalidations bump every epoch without the stripes' locks.
        if (!epochs.current(key, stamp)) {
            store.remove(key, entry);
        }
        return offered;
    }

    /** Stores a written value; loads of the key already under way will not overwrite it. */
    public void write(Object key, Entry entry, Accessor accessor) {
        synchronized (epochs.lock(key)) {
            supersedeLoads(key);
            RemoteStore shared = this.shared;
            if (shared != null) {
                shared.write(key, entry, accessor, null);
            } else {
                store.put(key, entry, accessor);
            }
        }
    }

    /**
     * Loads of {@code key} under way neither store their result nor hand it to new callers: the key is about to
     * change. Called under the key's stripe lock.
     */
    private void supersedeLoads(Object key) {
        epochs.bump(key);
        loads.forget(key);
    }

    /**
     * Called before a write-through's method runs: the write's one call on the region before its end, which its
     * {@link WriteTicket} makes.
     */
    public WriteTicket beginWrite(Object key, Accessor accessor) {
        long token;
        synchronized (epochs.lock(key)) {
            token = writes.begin(key);
        }
        RemoteStore shared = this.shared;
        if (shared == null) {
            return new WriteTicket(this, key, token, null); // this JVM's writes are all there are, and WritesInFlight sees them
        }
        Object marked;
        try {
            marked = shared.beginWrite(key, accessor);
        } catch (RuntimeException e) {
            writes.end(key);
            throw e;
        }
        return new WriteTicket(this, key, token, marked);
    }

    /**
     * Called once a write-through's method has returned or thrown, always: sets {@code entry} as the key's
     * entry if this write had the key to itself, else (another write or an eviction overlapped it, or
     * {@code entry} is {@code null}) invalidates the key. The check and the store are one step under the
     * stripe's lock, as {@link #beginWrite} is, so no write can begin between them; a store shared by other
     * JVMs makes the same check for their writes ({@link RemoteStore#write}); where it could not mark the key,
     * the key is invalidated, since nothing tells what overlapped the write.
     */
    void endWrite(Object key, long token, Object mark, Entry entry, Accessor accessor) {
        try {
            synchronized (epochs.lock(key)) {
                if (entry != null && writes.hadTheKeyAlone(key, token)) {
                    supersedeLoads(key);
                    RemoteStore shared = this.shared;
                    if (shared == null) {
                        store.put(key, entry, accessor);
                    } else if (mark != null) {
                        shared.write(key, entry, accessor, mark);
                    } else {
                        store.invalidate(key);
                    }
                } else {
                    invalidate(key);
                }
            }
        } finally {
            writes.end(key);
        }
    }

    /** Ends a write-through that leaves the entry as it is (a newer write-back of the key owns it). */
    void leaveWrite(Object key) {
        writes.end(key);
    }

    public void invalidate(Object key) {
        synchronized (epochs.lock(key)) {
            supersedeLoads(key);
            writes.touch(key);
            store.invalidate(key);
        }
    }

    public void invalidateAll() {
        epochs.bumpAll();
        writes.touchAll();
        loads.forgetAll();
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
        epochs.bumpAll();
        writes.touchAll();
        loads.forgetRendered(rendered);
        return store.invalidateRendered(rendered);
    }

    /**
     * Registers the current thread as the loader of {@code key}.
     *
     * @return {@code null} if it now is the loader, else the load already under way
     */
    public Loading startLoad(Object key, Loading mine) {
        Loading other = loads.start(key, mine);
        if (other == null) {
            mine.began();
        }
        return other;
    }

    /**
     * Lets no more callers wait for {@code mine}, before its result is offered to a store shared with other
     * JVMs. Once the fill has landed there, another JVM may overwrite or invalidate it, and a caller that
     * begins after that must not be handed this result: it reads the store (or takes the next turn)
     * instead. Callers already waiting began before the fill, so the result is not older than what they
     * may see.
     */
    public void closeLoad(Object key, Loading mine) {
        loads.abandon(key, mine);
    }

    /** Ends a load: its waiters receive {@code entry} ({@code null}: it failed, they retry). */
    public void finishLoad(Object key, Loading mine, Entry entry) {
        loads.finish(key, mine, entry);
    }

    /**
     * Decides who loads {@code key} after a miss: the one call a miss makes on the region. Without
     * {@code coalesce} ({@code CACHE_ASIDE}) the caller loads. Otherwise ({@code READ_THROUGH}) one thread of
     * this JVM per key does, once it has looked again (a load may have finished since the caller's read) and,
     * where the store is shared, has its JVM's turn; the others wait for its result, up to {@code waitNanos}. A
     * caller that would wait for its own thread, or close a cycle of waits, or waits longer, or finds the JVM
     * shutting down, or is interrupted (the interrupt is kept), loads uncoalesced. A load that failed is retried,
     * one waiter at a time.
     *
     * @param bornAfterNanos only an entry born at or after this answers instead of a load ({@link Entry#ANY_AGE}:
     *     any fresh one); a refresh-ahead passes when it was scheduled, so the entry it replaces does not
     * @return the {@link LoadTicket} of the load the caller runs; or the {@link Entry} another thread or JVM loaded
     *     meanwhile, or the {@link Loading.InFlight} future of an asynchronous one, to answer without loading
     */
    public Object load(Object key, Accessor accessor, boolean coalesce, long bornAfterNanos, long waitNanos) {
        if (!coalesce) {
            return new LoadTicket(this, key, stamp(key), null, null, null);
        }
        while (true) {
            long stamp = stamp(key);
            Loading mine = new Loading();
            Loading other = startLoad(key, mine);
            if (other == null) {
                // A load may have finished between the caller's read and this registration: look again. Where the
                // store is shared, this JVM also waits for its turn among the JVMs (another may be loading).
                LoadTurn turn = null;
                Entry late;
                try {
                    RemoteStore shared = this.shared;
                    if (shared != null) {
                        turn = shared.takeTurn(key, accessor, bornAfterNanos);
                        late = turn.loaded();
                    } else {
                        late = store.get(key, accessor);
                        late = late == null || !late.answers(System.nanoTime(), bornAfterNanos) ? null : late;
                    }
                } catch (Throwable t) {
                    finishLoad(key, mine, null);
                    throw t;
                }
                if (late != null) {
                    finishLoad(key, mine, late);
                    return late;
                }
                return new LoadTicket(this, key, stamp, mine, turn, null);
            }
            Loading.InFlight shared = other.inFlight();
            if (shared != null) {
                return shared; // even to the loading thread itself: its body has returned, the future runs on
            }
            if (other.isLoadedByCurrentThread()) {
                return new LoadTicket(this, key, stamp, null, null, null);
            }
            Object result;
            try {
                result = other.await(waitNanos);
            } catch (InterruptedException e) {
                // Keep the interrupt for the application and do the work ourselves rather than fail it.
                Thread.currentThread().interrupt();
                return new LoadTicket(this, key, stamp, null, null, null);
            }
            if (result == Loading.CYCLE || result == Loading.WAITED_TOO_LONG) {
                return new LoadTicket(this, key, stamp, null, null, (Entry) result);
            }
            if (result == Loading.SHUTTING_DOWN) {
                // The load may never finish (its thread may be the one that called System.exit): a shutdown
                // hook must not wait loadWait for it.
                return new LoadTicket(this, key, stamp, null, null, null);
            }
            if (result != null) {
                return result; // an entry, or an asynchronous load's future
            }
            // The load failed or its thread died: drop its marker, so that one of its waiters takes over.
            loads.abandon(key, other);
        }
    }
}
