package dev.recall.agent.method;

import dev.recall.agent.codec.CodecException;
import dev.recall.agent.store.Entry;
import dev.recall.agent.store.Loading;
import dev.recall.agent.store.Region;
import dev.recall.bridge.Bridge;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The miss path of a bulk call: the method runs once for the elements nobody else is loading, each element it
 * returns is stored, and the elements another thread was loading are taken from that load.
 *
 * <p>Single flight per element ({@code READ_THROUGH}): each missing key is registered in the region's loads in
 * flight ({@link Region#startLoad}), the same registry single-key methods of the region use, so a bulk call and a
 * single-key call, or two bulk calls that overlap, load an element once. A call first loads and ends its own
 * elements, and only then waits for the others' (at most {@code loadWait} each), so it never waits while others
 * wait for it; what it did not get from them (their load failed, or took too long) it loads itself, in a second
 * call. Across JVMs a Redis store guards each fill (a fill never lands on a newer value) but does not take the
 * single-key load lock per element. A result is stored only if no write or eviction of its key happened since
 * the load began (the region's epoch stamp), as for any load. An instance is one call, confined to its thread.
 */
final class BulkLoad {

    private final BulkMethod method;
    private final Region region;
    /** The loads this call registered, by key: ended, whatever happens, by {@link #end}. */
    private final LinkedHashMap<Object, Loading> owned = new LinkedHashMap<>();
    private final Map<Object, Long> stamps = new HashMap<>();

    private BulkLoad(BulkMethod method, Region region) {
        this.method = method;
        this.region = region;
    }

    /**
     * Loads {@code missing} and puts each value (in cached form: {@link Bridge#NULL} for none) into {@code values}.
     *
     * @param byKey each key's element, in the caller's order
     * @return {@code false} if the call must run as without the agent, with the caller's whole collection (the method
     *     threw, or returned what cannot be matched with the elements)
     */
    static boolean run(BulkMethod method, Region region, List<Object> missing, Map<Object, Object> byKey,
                       Map<Object, Object> values, Object self, Object a0, Object a1, Object[] args) throws Throwable {
        BulkLoad load = new BulkLoad(method, region);
        Map<Object, Loading> others = new LinkedHashMap<>();
        List<Object> mine = new ArrayList<>();
        boolean done = false;
        try {
            load.register(missing, mine, others, values);
            if (!mine.isEmpty() && !load.call(mine, byKey, values, self, a0, a1, args)) {
                return false;
            }
            done = true;
        } finally {
            if (!done) {
                load.end();
            }
        }
        if (others.isEmpty()) {
            return true;
        }
        List<Object> left = new ArrayList<>();
        for (Map.Entry<Object, Loading> o : others.entrySet()) {
            Object got = await(o.getValue(), method.loadWaitNanos);
            if (got instanceof Entry e && e != Loading.CYCLE && e != Loading.WAITED_TOO_LONG && e != Loading.SHUTTING_DOWN) {
                values.put(o.getKey(), method.valueFor(e));
            } else {
                left.add(o.getKey());
            }
        }
        if (left.isEmpty()) {
            return true;
        }
        // A second round, stamped now, before it loads: a write or eviction made since its elements' failed loads
        // began is older than its own load, and must not stop its fill; one made while it loads must.
        BulkLoad again = new BulkLoad(method, region);
        for (Object key : left) {
            again.stamp(key);
        }
        return again.call(left, byKey, values, self, a0, a1, args);
    }

    private static Object await(Loading other, long waitNanos) {
        try {
            return other.await(waitNanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // kept for the application; the element is loaded here instead
            return null;
        }
    }

    /** Takes {@code key}'s stamp for this call's load of it: its fill is stored only if no write or eviction came after. */
    private void stamp(Object key) {
        stamps.put(key, region.stamp(key));
    }

    /** Which missing keys this call loads ({@code mine}) and which another thread is loading ({@code others}). */
    private void register(List<Object> missing, List<Object> mine, Map<Object, Loading> others, Map<Object, Object> values)
            throws CodecException {
        for (Object key : missing) {
            stamp(key);
            if (!method.coalesce) {
                mine.add(key);
                continue;
            }
            Loading loading = new Loading();
            Loading other = region.startLoad(key, loading);
            if (other == null) {
                // A load may have ended between the look-up and the registration: where that costs no round trip, look.
                Entry late = region.peekable() ? region.peek(key, method) : null;
                if (late != null && !late.stale(System.nanoTime())) {
                    region.finishLoad(key, loading, late);
                    values.put(key, method.valueFor(late));
                    continue;
                }
                owned.put(key, loading);
                mine.add(key);
            } else if (other.isLoadedByCurrentThread() || other.inFlight() != null) {
                mine.add(key); // its own load further up this thread's stack: waiting would never end
            } else {
                others.put(key, other);
            }
        }
    }

    /**
     * Calls the method once for {@code keys}, stores each element, and ends this call's loads.
     *
     * @return {@code false} if the caller must run the method with its whole collection
     */
    private boolean call(List<Object> keys, Map<Object, Object> byKey, Map<Object, Object> values, Object self, Object a0,
                         Object a1, Object[] args) {
        List<Object> elements = new ArrayList<>(keys.size());
        for (Object key : keys) {
            elements.add(byKey.get(key));
        }
        long start = System.nanoTime();
        Object returned;
        try {
            returned = method.invoke(elements, self, a0, a1, args);
        } catch (InvocationTargetException e) {
            method.stats().loadFailure(System.nanoTime() - start);
            end();
            return false; // the caller's own call shows the application what the method throws
        } catch (Throwable t) {
            method.failedLoading("calling the method for the missing elements", t);
            end();
            return false;
        }
        long now = System.nanoTime();
        long took = now - start;
        method.stats().load(took);
        List<?> aligned = null;
        if (returned == null || !method.returnsMap && (!(returned instanceof List<?> list) || (aligned = list).size() != elements.size())
                || method.returnsMap && !(returned instanceof Map<?, ?>)) {
            method.refuse("bulk: true, but a call for " + elements.size() + " elements returned " + (returned == null ? "null"
                    : method.returnsMap ? "no Map" : "a List of " + (returned instanceof List<?> l ? l.size() : "?")
                    + " values") + ", which cannot be matched with its elements; it runs uncached from now on");
            end();
            return false;
        }
        Map<?, ?> map = method.returnsMap ? (Map<?, ?>) returned : null;
        long share = took / keys.size(); // each element's part of the load, for the time its hits save
        Entry[] made = new Entry[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            Object value = map != null ? map.get(elements.get(i)) : aligned.get(i);
            values.put(keys.get(i), value == null ? Bridge.NULL : value);
            made[i] = value != null || method.cacheNulls ? method.entryOfElement(value, share, now) : null;
        }
        store(keys, made);
        end();
        return true;
    }

    /**
     * Stores the elements' entries ({@code null}: none) in one go ({@link Region#putAllIfUnchanged}: one round trip on
     * Redis) and ends their loads, if this call registered them: waiters get the entry, or retry where it was not stored.
     */
    private void store(List<Object> keys, Entry[] made) {
        List<Object> held = new ArrayList<>(keys.size());
        List<Entry> entries = new ArrayList<>(keys.size());
        List<Integer> at = new ArrayList<>(keys.size());
        try {
            for (int i = 0; i < made.length; i++) {
                if (made[i] == null) {
                    continue;
                }
                Object heldKey = method.heldKey(keys.get(i));
                if (heldKey == null) {
                    made[i] = null;
                    continue;
                }
                held.add(heldKey);
                Loading loading = owned.get(keys.get(i));
                if (loading != null && region.remote()) {
                    region.closeLoad(keys.get(i), loading);
                }
                entries.add(made[i]);
                at.add(i);
            }
            long[] stampsOf = new long[at.size()];
            for (int j = 0; j < stampsOf.length; j++) {
                stampsOf[j] = stamps.get(keys.get(at.get(j)));
            }
            boolean[] offered = region.putAllIfUnchanged(held, entries, stampsOf, method);
            for (int j = 0; j < offered.length; j++) {
                method.stats().put();
                if (!offered[j]) {
                    made[at.get(j)] = null; // another JVM stored a newer value meanwhile: waiters read again
                }
            }
        } catch (Throwable t) {
            Arrays.fill(made, null);
            method.failedLoading("storing elements", t);
        } finally {
            for (int i = 0; i < made.length; i++) {
                Loading loading = owned.remove(keys.get(i));
                if (loading != null) {
                    region.finishLoad(keys.get(i), loading, made[i]);
                }
            }
        }
    }

    /** Ends every load still registered: waiters then load the element themselves. */
    private void end() {
        for (Map.Entry<Object, Loading> o : owned.entrySet()) {
            region.finishLoad(o.getKey(), o.getValue(), null);
        }
        owned.clear();
    }
}
