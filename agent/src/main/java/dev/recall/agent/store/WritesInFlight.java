package dev.recall.agent.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Write-throughs of a key that overlap in time. Two callers writing one key run the method concurrently,
 * and the agent cannot know in which order the system of record applied their writes; so a write may set
 * the entry from its own value only if no other write of its key was under way at any moment of its own
 * call. Otherwise it invalidates, and the next read loads what the system of record holds. This is the
 * invalidate-then-fill design: a write that raced costs one load, never a stale entry.
 *
 * <p>Per stripe of keys (64, by hash), so the state is bounded; two keys of one stripe that are written at
 * once only lose an entry they could have kept. Shared by all threads; atomic arrays.
 */
final class WritesInFlight {

    private static final int STRIPES = 64;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(WritesInFlight.class, "state", State.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final class State {
        final AtomicIntegerArray active = new AtomicIntegerArray(STRIPES);
        final AtomicLongArray starts = new AtomicLongArray(STRIPES);
    }

    /**
     * {@code null} until the region's first write-through: most regions never have one (issue 28: 800 B of each).
     * An eviction before it has no write to mark (a write that begins later is not affected by it either). Set
     * once, by CAS.
     */
    private volatile State state;

    /**
     * Called before the method runs.
     *
     * @return the token for {@link #hadTheKeyAlone} and {@link #end}: positive if no other write of the
     *     stripe was under way at this start
     */
    long begin(Object key) {
        State st = state();
        int s = stripe(key);
        long mark = st.starts.incrementAndGet(s);
        boolean alone = st.active.getAndIncrement(s) == 0;
        return alone ? mark : -mark;
    }

    /**
     * Whether no other write of the stripe was under way when {@code token}'s write began, nor began (nor
     * an eviction happened) since.
     */
    boolean hadTheKeyAlone(Object key, long token) {
        return token > 0 && state().starts.get(stripe(key)) == token;
    }

    void end(Object key) {
        state().active.decrementAndGet(stripe(key));
    }

    /**
     * An eviction of {@code key}: a write under way may have written the system of record before the
     * eviction's own write there, so it must not set its value afterwards.
     */
    void touch(Object key) {
        State st = state;
        if (st != null) {
            st.starts.incrementAndGet(stripe(key));
        }
    }

    void touchAll() {
        State st = state;
        if (st != null) {
            for (int i = 0; i < STRIPES; i++) {
                st.starts.incrementAndGet(i);
            }
        }
    }

    private State state() {
        State st = state;
        if (st == null) {
            State made = new State();
            State witness = (State) STATE.compareAndExchange(this, null, made);
            st = witness == null ? made : witness;
        }
        return st;
    }

    private static int stripe(Object key) {
        int h = key.hashCode();
        return (h ^ (h >>> 16)) & (STRIPES - 1);
    }
}
