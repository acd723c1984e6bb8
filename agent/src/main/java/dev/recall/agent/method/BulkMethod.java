package dev.recall.agent.method;

import dev.recall.agent.codec.CodecException;
import dev.recall.agent.codec.UncacheableValueException;
import dev.recall.agent.key.Keys;
import dev.recall.agent.store.Entry;
import dev.recall.agent.store.Headroom;
import dev.recall.agent.store.Region;
import dev.recall.bridge.Bridge;
import dev.recall.bridge.Call;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A bulk method ({@code bulk: true}): {@code Map<K, V> m(Collection<K> keys)} or {@code List<V> m(List<K> keys)},
 * cached per element of its collection parameter. Each element's key is the one a single-key method of the same
 * region makes for it (the method's key template, applied with the element in the collection's place), so the
 * two share entries and an eviction of one key evicts that element only.
 *
 * <p>A call reads every element in one multi-get ({@link Region#getAll}: one MGET on Redis), runs the method once
 * with only the missing elements ({@link BulkLoad}: the agent calls it through reflection, and the woven code
 * of that call runs the body uncached), stores each element it returned, and answers in the caller's order: a
 * {@link LinkedHashMap} of the elements that have a value, or an {@link ArrayList} with one value per element of
 * the argument (duplicates included, {@code null} for an absent one). Hits and misses are counted per element.
 *
 * <p>Shared by every thread that calls the method; its state is final, and which call on this thread is the
 * agent's own is thread-confined ({@link #OWN_CALL}). Any failure of the agent runs the method with the caller's
 * whole collection, as without the agent.
 */
final class BulkMethod extends CachedMethod {

    /** The method whose next woven call on this thread is the agent's load of missing elements: run its body. */
    private static final ThreadLocal<BulkMethod> OWN_CALL = new ThreadLocal<>();

    private final int index;
    private final boolean singleArgumentKey;
    final boolean returnsMap;
    final boolean cacheNulls;
    final boolean coalesce;
    final long loadWaitNanos;
    /** The declared kind of the collection parameter, which decides the kind of collection the agent passes. */
    private final String parameterType;
    private volatile Method target;
    private volatile boolean uncallable;

    BulkMethod(MethodSpec spec, Region region) {
        super(spec, region);
        MethodSettings.Read settings = (MethodSettings.Read) spec.settings();
        this.index = settings.bulkIndex();
        this.singleArgumentKey = spec.arity() == 1 && spec.key().isSingleArgument();
        this.returnsMap = spec.returnType().is(Map.class);
        this.cacheNulls = settings.entries().cacheNulls();
        this.coalesce = settings.strategy() == dev.recall.agent.config.StrategyKind.READ_THROUGH;
        this.loadWaitNanos = settings.loadWait().toNanos();
        this.parameterType = spec.signature().parameterTypes().get(index);
    }

    @Override
    public Object enter(Object self, Object a0, Object a1, Object[] args) {
        if (OWN_CALL.get() == this) {
            OWN_CALL.remove();
            return null; // the agent's own call for the missing elements: its body runs
        }
        if (!enabled() || inWriteTransaction()) {
            return null;
        }
        if (!Headroom.enough()) {
            nearStackEnd();
            return null;
        }
        try {
            Region region = regionFor(self);
            Object argument = argument(a0, a1, args);
            if (region == null || !(argument instanceof Collection<?> elements)) {
                return null; // a null collection: the method decides what that means
            }
            return answer(region, elements, self, a0, a1, args);
        } catch (Throwable t) {
            failed("answering a bulk call", t);
            return null;
        }
    }

    /** The call: one multi-get, one load of what is missing, the answer in the caller's order; {@code null}: run it all. */
    private Object answer(Region region, Collection<?> elements, Object self, Object a0, Object a1, Object[] args)
            throws Throwable {
        // Distinct keys in the caller's order, each with the first element that has it.
        LinkedHashMap<Object, Object> byKey = new LinkedHashMap<>();
        List<Object> keyOfEach = new ArrayList<>(elements.size());
        for (Object element : elements) {
            Object key = keyOf(self, element, a0, a1, args);
            byKey.putIfAbsent(key, element);
            keyOfEach.add(key);
        }
        List<Object> keys = new ArrayList<>(byKey.keySet());
        Entry[] found = region.getAll(keys, this);
        Map<Object, Object> values = new HashMap<>(keys.size() * 2);
        List<Object> missing = new ArrayList<>();
        long now = System.nanoTime();
        for (int i = 0; i < found.length; i++) {
            Entry e = found[i];
            Object key = keys.get(i);
            if (e != null && !e.stale(now)) {
                values.put(key, valueFor(e));
                stats.hit(e.loadNanos());
                continue;
            }
            Object pending = region.pendingValue(key);
            if (pending != null) {
                // A write-back of the key not yet made: the system of record still holds the old value.
                values.put(key, pending == Bridge.NULL || dev.recall.agent.codec.ValueCopier.isImmutable(pending) ? pending
                        : dev.recall.agent.codec.ValueCopier.copy(pending));
                stats.hit(0);
                continue;
            }
            stats.miss();
            missing.add(key);
        }
        if (!missing.isEmpty() && !BulkLoad.run(this, region, missing, byKey, values, self, a0, a1, args)) {
            return null;
        }
        return returnsMap ? mapOf(byKey, values) : listOf(keyOfEach, values);
    }

    /** The answer of a Map method: the elements that have a value, in the caller's order. */
    private static Map<Object, Object> mapOf(LinkedHashMap<Object, Object> byKey, Map<Object, Object> values) {
        LinkedHashMap<Object, Object> result = new LinkedHashMap<>(byKey.size() * 2);
        for (Map.Entry<Object, Object> e : byKey.entrySet()) {
            Object v = Bridge.unwrap(values.get(e.getKey()));
            if (v != null) {
                result.put(e.getValue(), v);
            }
        }
        return result;
    }

    /** The answer of a List method: one value per element of the argument, duplicates included. */
    private static List<Object> listOf(List<Object> keyOfEach, Map<Object, Object> values) {
        List<Object> result = new ArrayList<>(keyOfEach.size());
        for (Object key : keyOfEach) {
            result.add(Bridge.unwrap(values.get(key)));
        }
        return result;
    }

    /** An element's key: the method's key with the element in the collection parameter's place. */
    private Object keyOf(Object self, Object element, Object a0, Object a1, Object[] args) {
        if (singleArgumentKey) {
            return Keys.of(element);
        }
        return switch (spec.arity()) {
            case 1 -> keys.key(self, element, null, null);
            case 2 -> index == 0 ? keys.key(self, element, a1, null) : keys.key(self, a0, element, null);
            default -> {
                Object[] each = args.clone();
                each[index] = element;
                yield keys.key(self, null, null, each);
            }
        };
    }

    private Object argument(Object a0, Object a1, Object[] args) {
        return switch (spec.arity()) {
            case 1 -> a0;
            case 2 -> index == 0 ? a0 : a1;
            default -> args[index];
        };
    }

    /**
     * A collection of the missing elements of the kind the method declares, and for {@code Collection} of the kind
     * the caller passed: a {@code LinkedHashSet} for a set, else an {@code ArrayList}; in the caller's order.
     */
    Collection<Object> collectionOf(Collection<Object> elements, Object callerArgument) {
        boolean set = "java.util.Set".equals(parameterType)
                || "java.util.Collection".equals(parameterType) && callerArgument instanceof Set;
        return set ? new LinkedHashSet<>(elements) : new ArrayList<>(elements);
    }

    /**
     * Runs the method itself with {@code elements} in the collection parameter's place, the rest as the caller
     * passed them.
     *
     * @return what it returned
     * @throws InvocationTargetException if it threw
     * @throws ReflectiveOperationException if the agent cannot call it
     */
    Object invoke(Collection<Object> elements, Object self, Object a0, Object a1, Object[] args)
            throws ReflectiveOperationException {
        Method m = target();
        Object[] all = MethodTarget.arguments(spec.arity(), a0, a1, args).clone();
        all[index] = collectionOf(elements, all[index]);
        OWN_CALL.set(this);
        try {
            return m.invoke(self, all);
        } finally {
            OWN_CALL.remove(); // normally done by enter already; not if the call never reached the woven code
        }
    }

    private Method target() throws ReflectiveOperationException {
        Method m = target;
        if (m == null) {
            if (uncallable) {
                throw new NoSuchMethodException("cannot call " + spec.signature());
            }
            try {
                Class<?> type = Class.forName(spec.signature().className(), false, loader());
                m = MethodTarget.resolve(type, spec.signature());
                target = m;
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                uncallable = true;
                refuse("bulk: true needs the agent to call the method itself with the missing elements, which it cannot ("
                        + e + ")");
                throw e instanceof ReflectiveOperationException r ? r : new NoSuchMethodException(e.toString());
            }
        }
        return m;
    }

    /** The entry an element's value becomes; {@code null} when it is not stored. */
    Entry entryOfElement(Object value, long loadNanos, long nowNanos) {
        try {
            return entryOf(value, loadNanos, nowNanos);
        } catch (UncacheableValueException e) {
            uncacheableResult(e);
            return null;
        } catch (CodecException e) {
            refuse("its results cannot be held by value, and a caller that changed one would change it for every later "
                    + "caller: " + e.getMessage() + ". Return an immutable type, or set copy: reference if no caller ever "
                    + "changes a result");
            return null;
        }
    }

    /** For {@link BulkLoad}: a key not stored because it holds an argument that cannot be copied. */
    void failedLoading(String during, Throwable t) {
        failed(during, t);
    }

    @Override
    public void exit(Call call, Object returned, Throwable thrown) {
        // enter never returns a Call: nothing to do
    }
}
