package dev.recall.bridge;

import java.util.Arrays;

/**
 * The static registry that woven advice reaches: {@code Bridge.site(id)}.
 *
 * <p>Shared by every thread. Registration is rare (class loading) and synchronized; lookups read a
 * volatile array that is replaced, never mutated in place once published, so readers need no lock.
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

    private Bridge() {
    }

    /** The site registered under {@code id}; woven code calls this on every invocation. */
    public static Site site(int id) {
        return sites[id];
    }

    /** Registers a site and returns its id, to be bound into the advice as a constant. */
    public static synchronized int register(Site site) {
        Site[] current = sites;
        Site[] next = Arrays.copyOf(current, current.length + 1);
        next[current.length] = site;
        sites = next;
        return current.length;
    }

    /** Converts the cached form of a value back to what the method returns. */
    public static Object unwrap(Object cached) {
        return cached == NULL ? null : cached;
    }
}
