package dev.recall.bridge;

import java.util.Arrays;

/**
 * The static registry that woven advice reaches: {@code Bridge.site(id)}.
 *
 * <p>Shared by every thread. Registration is rare (class loading) and synchronized, as is release (the
 * agent's background thread, once the class loader of a method is gone); lookups read a volatile array
 * that is replaced, never mutated in place once published, so readers need no lock.
 *
 * <p>A released slot holds {@code null} until a later registration reuses it. Reuse is safe because a
 * slot is released only after its class loader was collected: no code of its classes can run any more,
 * so the woven constant that names the slot is gone with them. Were a null slot ever reached, the woven
 * entry code's handler would catch the {@link NullPointerException} and run the method uncached, and
 * {@link #exit} ignores a call it was not given a {@link Call} for.
 */
public final class Bridge {

    /** Stands for a cached {@code null}, so that "no value" (a miss) and "the value null" differ. */
    public static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "dev.recall.bridge.Bridge.NULL";
        }
    };

    private static final Site[] NONE = new Site[0];
    private static volatile Site[] sites = NONE;
    /** Released slots, reused before the array grows; guarded by the class's lock. */
    private static int[] free = new int[0];
    private static int freeCount;
    /** Slots handed out so far (released ones included); guarded by the class's lock. */
    private static int used;

    private Bridge() {
    }

    /** The site registered under {@code id}; woven code calls this on every invocation. */
    public static Site site(int id) {
        return sites[id];
    }

    /**
     * Registers a site and returns its id, to be bound into the advice as a constant. The array grows by
     * doubling, not by one: a rule over a large application registers thousands of methods while it starts,
     * and a copy per method made that quadratic. A slot beyond the ids handed out is read by no one, so it
     * is written in place and the array published again (the volatile write orders the slot's write
     * before any read of it through {@link #site}).
     */
    public static synchronized int register(Site site) {
        Site[] current = sites;
        int id;
        if (freeCount > 0) {
            id = free[--freeCount];
            current = current.clone(); // a freed slot may still be read by a caller of the released method
        } else {
            id = used++;
            if (id == current.length) {
                current = Arrays.copyOf(current, Math.max(16, current.length * 2));
            }
        }
        current[id] = site;
        sites = current;
        return id;
    }

    /**
     * Puts {@code site} in the slot of {@code id} in place of the site there, for the calls from now on; a
     * thread that read the old one finishes its call with it, so the old site must stay usable. Used once
     * per method, by its first call.
     */
    public static synchronized void replace(int id, Site site) {
        Site[] current = sites;
        current[id] = site; // a reference write: a reader sees the old site or the new, both valid
        sites = current;
    }

    /**
     * Empties the slots of methods whose class loader was collected, for later registrations to reuse;
     * one copy of the array for the whole batch. An id that holds no site is skipped.
     */
    public static synchronized void release(int[] ids) {
        Site[] next = sites.clone();
        for (int id : ids) {
            if (id >= 0 && id < next.length && next[id] != null) {
                next[id] = null;
                if (freeCount == free.length) {
                    free = Arrays.copyOf(free, Math.max(16, free.length * 2));
                }
                free[freeCount++] = id;
            }
        }
        sites = next;
    }

    /**
     * Woven before each return of a method whose body ran: reports the outcome to the site if the
     * method's entry code left a {@link Call}. Never throws, so the method returns what it returned.
     *
     * @param returned the return value, boxed ({@code null} for a void method)
     * @param call what {@link Site#enter} or {@link Site#defer} returned
     */
    public static void returned(Object returned, Object call, int id) {
        exit(call, returned, null, id);
    }

    /** As {@link #returned}, for a body that threw; the woven handler rethrows {@code thrown} afterwards. */
    public static void threw(Throwable thrown, Object call, int id) {
        exit(call, null, thrown, id);
    }

    private static void exit(Object call, Object returned, Throwable thrown, int id) {
        if (call instanceof Call) {
            try {
                // A Call comes only from the site in this slot, so it cannot have been released meanwhile.
                sites[id].exit((Call) call, returned, thrown);
            } catch (Throwable ignored) {
                // The site counts and logs its own failures; the application must see only its own outcome.
            }
        }
    }

    /** Converts the cached form of a value back to what the method returns. */
    public static Object unwrap(Object cached) {
        return cached == NULL ? null : cached;
    }
}
