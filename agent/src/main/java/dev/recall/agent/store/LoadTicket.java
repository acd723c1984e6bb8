package dev.recall.agent.store;

import java.util.concurrent.CompletableFuture;

/**
 * One load of one key that the calling thread runs, as {@link Region#load} handed it out: what the region
 * needs at its end, the epoch stamp (a write or invalidation since then wins over the result), the load others
 * of this JVM wait on, and this JVM's turn among those sharing the store. Its holder stores the result
 * ({@link #store}), if any, and then always {@link #end}s it.
 *
 * <p>Confined to the thread that runs the load (an asynchronous method's future may end it on another thread,
 * after the body's thread let go of it).
 */
public final class LoadTicket {

    private final Region region;
    private final Object key;
    private final long stamp;
    /** The load others may wait on; {@code null} when nobody can (cache-aside, a recursive call, a wait given up). */
    private final Loading loading;
    /** This JVM's turn among the JVMs sharing the store, released once the result is stored; {@code null}: none to take. */
    private final LoadTurn turn;
    /** Why this thread loads rather than wait for another's load: {@link Loading#CYCLE}, {@link Loading#WAITED_TOO_LONG}, or {@code null}. */
    private final Entry stoppedWaiting;

    LoadTicket(Region region, Object key, long stamp, Loading loading, LoadTurn turn, Entry stoppedWaiting) {
        this.region = region;
        this.key = key;
        this.stamp = stamp;
        this.loading = loading;
        this.turn = turn;
        this.stoppedWaiting = stoppedWaiting;
    }

    /** Whether this thread gave up waiting for another thread's load of the key (a cycle, or {@code loadWait}). */
    public boolean stoppedWaiting() {
        return stoppedWaiting != null;
    }

    /** Whether the wait given up would have closed a cycle of waits (else it lasted {@code loadWait}). */
    public boolean cycle() {
        return stoppedWaiting == Loading.CYCLE;
    }

    /**
     * For an asynchronous method whose body returned a future not complete yet: the load's waiters from now on
     * share it instead of waiting for its value. The load stays under way until {@link #end}.
     */
    public void share(CompletableFuture<?> future) {
        if (loading != null) {
            loading.share(future);
        }
    }

    /**
     * Stores the result under {@code heldKey} unless the key was written or invalidated since the load began
     * ({@link Region#putIfUnchanged}). Where the store is shared by other JVMs, no caller of this JVM may join the
     * load from now on ({@link Region#closeLoad}).
     *
     * @return whether the load's waiters may take {@code entry}: {@code false} when a shared store holds a newer value
     */
    public boolean store(Object heldKey, Entry entry, Accessor accessor) {
        if (loading != null && region.remote()) {
            region.closeLoad(key, loading);
        }
        return region.putIfUnchanged(heldKey, entry, stamp, accessor);
    }

    /**
     * Ends the load, whatever happened, once: releases this JVM's turn (after storing, so other JVMs' waiters
     * find the stored entry the moment they get theirs) and hands {@code entry} to the waiters ({@code null}: the
     * load failed or lost, and they retry).
     */
    public void end(Entry entry) {
        try {
            if (turn != null) {
                turn.release();
            }
        } finally {
            if (loading != null) {
                region.finishLoad(key, loading, entry);
            }
        }
    }
}
