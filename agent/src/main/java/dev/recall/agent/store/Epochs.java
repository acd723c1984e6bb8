package dev.recall.agent.store;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The guard against the lost-invalidation race: a load that started before a write or eviction of its key
 * must not put its older result into the region after it. Every invalidation bumps an epoch, one of 64
 * stripes chosen by key hash so that writes to one key do not stop the caching of others; a load takes a
 * stamp when it starts and stores its result only while the stamp is still current.
 *
 * <p>Shared by all threads of a region; the epochs are an {@link AtomicLongArray}.
 */
final class Epochs {

    private static final int STRIPES = 64;

    private final AtomicLongArray epochs = new AtomicLongArray(STRIPES);
    private final Object[] locks = new Object[STRIPES];

    Epochs() {
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    /**
     * The monitor of {@code key}'s stripe. Held while a loaded result is checked and stored, and while a
     * write bumps the epoch and reaches the store, so that neither can fall between the other's steps.
     */
    Object lock(Object key) {
        return locks[stripe(key)];
    }

    /** The stamp of a load of {@code key} that starts now. */
    long stamp(Object key) {
        return epochs.get(stripe(key));
    }

    boolean current(Object key, long stamp) {
        return epochs.get(stripe(key)) == stamp;
    }

    /** Called before a write or invalidation of {@code key} touches the store. */
    void bump(Object key) {
        epochs.incrementAndGet(stripe(key));
    }

    /** For invalidations whose keys are not known as objects (all entries, or a key by its rendering). */
    void bumpAll() {
        for (int i = 0; i < STRIPES; i++) {
            epochs.incrementAndGet(i);
        }
    }

    private static int stripe(Object key) {
        int h = key.hashCode();
        return (h ^ (h >>> 16)) & (STRIPES - 1);
    }
}
