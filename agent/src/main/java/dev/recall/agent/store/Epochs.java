package dev.recall.agent.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The guard against the lost-invalidation race: a load that started before a write or eviction of its key
 * must not put its older result into the region after it. Every invalidation bumps an epoch, one of 64
 * stripes chosen by key hash so that writes to one key do not stop the caching of others; a load takes a
 * stamp when it starts and stores its result only while the stamp is still current.
 *
 * <p>Shared by all threads of a region; the epochs are an {@link AtomicLongArray}, made once by CAS, and the
 * monitors are made by CAS on their array slots, so every thread takes the same one.
 */
final class Epochs {

    private static final int STRIPES = 64;
    private static final VarHandle EPOCHS;
    private static final VarHandle LOCKS = MethodHandles.arrayElementVarHandle(Object[].class);

    static {
        try {
            EPOCHS = MethodHandles.lookup().findVarHandle(Epochs.class, "epochs", AtomicLongArray.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * {@code null} until the region's first write or invalidation: until then every epoch is 0 (issue 28: most
     * regions are only read and filled, and 64 epochs and their monitors were 1.8 KB of each). Set once, by CAS.
     */
    private volatile AtomicLongArray epochs;
    /** Each stripe's monitor, made the first time a key of that stripe needs it (a region of one key makes one). */
    private final Object[] locks = new Object[STRIPES];

    /**
     * The monitor of {@code key}'s stripe. Held while a loaded result is checked and stored, and while a
     * write bumps the epoch and reaches the store, so that neither can fall between the other's steps.
     */
    Object lock(Object key) {
        int s = stripe(key);
        Object lock = LOCKS.getAcquire(locks, s);
        if (lock == null) {
            Object made = new Object();
            Object witness = LOCKS.compareAndExchangeRelease(locks, s, null, made);
            lock = witness == null ? made : witness;
        }
        return lock;
    }

    /** The stamp of a load of {@code key} that starts now. */
    long stamp(Object key) {
        AtomicLongArray e = epochs;
        return e == null ? 0 : e.get(stripe(key));
    }

    boolean current(Object key, long stamp) {
        return stamp(key) == stamp;
    }

    /** Called before a write or invalidation of {@code key} touches the store. */
    void bump(Object key) {
        epochs().incrementAndGet(stripe(key));
    }

    /** For invalidations whose keys are not known as objects (all entries, or a key by its rendering). */
    void bumpAll() {
        AtomicLongArray e = epochs();
        for (int i = 0; i < STRIPES; i++) {
            e.incrementAndGet(i);
        }
    }

    private AtomicLongArray epochs() {
        AtomicLongArray e = epochs;
        if (e == null) {
            AtomicLongArray made = new AtomicLongArray(STRIPES);
            AtomicLongArray witness = (AtomicLongArray) EPOCHS.compareAndExchange(this, null, made);
            e = witness == null ? made : witness;
        }
        return e;
    }

    private static int stripe(Object key) {
        int h = key.hashCode();
        return (h ^ (h >>> 16)) & (STRIPES - 1);
    }
}
