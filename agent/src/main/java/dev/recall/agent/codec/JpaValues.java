package dev.recall.agent.codec;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Hibernate's machinery inside an entity graph, read through the value's own classes (the agent has no
 * compile-time dependency on Hibernate): a persistent collection becomes the plain JDK collection of its contract
 * (bag and list {@code ArrayList}, set {@code LinkedHashSet}, sorted set and map {@code TreeSet}/{@code TreeMap}
 * with their comparator, map {@code LinkedHashMap}); a proxy becomes its target; an enhanced entity's
 * {@code $$_hibernate_*} fields are not part of its {@link Layout}. What is not loaded yet cannot be copied: a
 * copy would answer {@code null} or throw where the original loads, so {@link UncacheableValueException} says
 * "do not store this result". No copy refers to a session: the collections and proxies that hold one are replaced.
 *
 * <p>Stateless; the reflective handles are found once per class and kept in a {@link ClassValue}.
 */
final class JpaValues {

    static final String PERSISTENT_COLLECTION = "org.hibernate.collection.spi.PersistentCollection";
    static final String PROXY = "org.hibernate.proxy.HibernateProxy";
    static final String INTERCEPTABLE = "org.hibernate.engine.spi.PersistentAttributeInterceptable";
    /** Fields bytecode enhancement adds: the entity entry, the interceptor, the dirty tracker. */
    static final String ENHANCEMENT_FIELD_PREFIX = "$$_hibernate_";

    static final int NONE = 0;
    static final int COLLECTION = 1;
    static final int PROXY_KIND = 2;

    /** Per Hibernate class: the public methods used on its instances, looked up on its public interfaces. */
    private static final ClassValue<Method[]> METHODS = new ClassValue<>() {
        @Override
        protected Method[] computeValue(Class<?> type) {
            int kind = kindOf(type);
            if (kind == COLLECTION) {
                return new Method[] {publicMethod(type, "wasInitialized")};
            }
            if (kind == PROXY_KIND) {
                return new Method[] {publicMethod(type, "getHibernateLazyInitializer")};
            }
            if (implementsNamed(type, INTERCEPTABLE)) {
                return new Method[] {publicMethod(type, "$$_hibernate_getInterceptor")};
            }
            // A lazy initializer or an interceptor: what says whether it is loaded.
            return new Method[] {publicMethod(type, "isUninitialized"), publicMethod(type, "getImplementation"),
                publicMethod(type, "hasAnyUninitializedAttributes"), publicMethod(type, "getSession"),
                publicMethod(type, "getIdentifier")};
        }
    };

    private JpaValues() {
    }

    /** Whether {@code type} is a persistent collection, a proxy, or neither. */
    static int kindOf(Class<?> type) {
        if (!type.getName().contains("hibernate") && !type.getName().contains("Hibernate")) {
            // Hibernate's own classes, and the proxies it generates, have it in their name; an entity class does not.
            return NONE;
        }
        if (implementsNamed(type, PERSISTENT_COLLECTION)) {
            return COLLECTION;
        }
        if (implementsNamed(type, PROXY)) {
            return PROXY_KIND;
        }
        return NONE;
    }

    /** Whether instances carry bytecode enhancement's interceptor (Quarkus enhances entities by default). */
    static boolean enhanced(Class<?> type) {
        return implementsNamed(type, INTERCEPTABLE);
    }

    /**
     * An empty plain JDK collection or map of the persistent collection {@code v}'s contract, to be filled with
     * (copies of) its elements.
     *
     * @throws UncacheableValueException if {@code v} was never loaded
     */
    static Object plainFor(Object v) throws CodecException {
        if (!initialized(v)) {
            throw lazy(v.getClass(), "a lazy collection (" + v.getClass().getSimpleName() + ") not loaded");
        }
        if (v instanceof SortedSet<?> s) {
            return new TreeSet<>((Comparator<Object>) s.comparator());
        }
        if (v instanceof Set) {
            return new LinkedHashSet<>();
        }
        if (v instanceof SortedMap<?, ?> m) {
            return new TreeMap<>((Comparator<Object>) m.comparator());
        }
        if (v instanceof Map) {
            return new LinkedHashMap<>();
        }
        if (v instanceof Collection) {
            return new ArrayList<>(); // PersistentBag, PersistentList, PersistentIdentifierBag
        }
        throw new CodecException(v.getClass().getName() + " (a persistent array) cannot be copied; " + HOW);
    }

    /** Whether the persistent collection {@code v} was loaded. */
    static boolean initialized(Object v) throws CodecException {
        return (Boolean) call(METHODS.get(v.getClass())[0], v);
    }

    /** The entity behind an initialized proxy. */
    static Object target(Object proxy) throws CodecException {
        Object target = targetIfLoaded(proxy);
        if (target == null) {
            throw lazy(proxy.getClass(), "a lazy reference (a proxy of " + proxy.getClass().getSuperclass().getName() + ") not loaded");
        }
        return target;
    }

    /** The entity behind a proxy, or {@code null} if the proxy was never loaded. */
    static Object targetIfLoaded(Object proxy) throws CodecException {
        Object initializer = call(METHODS.get(proxy.getClass())[0], proxy);
        Method[] m = METHODS.get(initializer.getClass());
        if (m[0] == null || m[1] == null) {
            throw new CodecException("cannot read the lazy initializer of " + proxy.getClass().getName() + "; " + HOW);
        }
        return (Boolean) call(m[0], initializer) ? null : call(m[1], initializer);
    }

    /** A detached copy of the proxy {@code proxy}, never loaded, as {@link UnloadedParts} makes one. */
    static Object unloadedProxy(Object proxy) throws CodecException {
        Object initializer = call(METHODS.get(proxy.getClass())[0], proxy);
        Method[] m = METHODS.get(initializer.getClass());
        return UnloadedParts.proxy(proxy, initializer, m.length > 4 ? m[3] : null, m.length > 4 ? m[4] : null);
    }

    /** Throws if an enhanced entity has lazy state not loaded yet, which its copy could never load. */
    static void checkLoaded(Object entity) throws CodecException {
        Method get = METHODS.get(entity.getClass())[0];
        Object interceptor = get == null ? null : call(get, entity);
        if (interceptor == null) {
            return;
        }
        if (interceptor.getClass().getSimpleName().startsWith("EnhancementAsProxy")) {
            throw lazy(entity.getClass(), "an enhanced lazy reference to a " + entity.getClass().getName() + " not loaded");
        }
        Method any = METHODS.get(interceptor.getClass())[2];
        if (any != null && (Boolean) call(any, interceptor)) {
            throw new UncacheableValueException(UncacheableValueException.LAZY_ATTRIBUTE, "a " + entity.getClass().getName()
                    + " with a lazy attribute not loaded: its copy would answer null where the original loads. Results "
                    + "like this one are not cached (the method stays cached for complete ones); to cache them, fetch "
                    + "the attribute eagerly in the query, or cache the method that uses it");
        }
    }

    private static final String HOW = "cache a method whose result holds entities and their loaded collections (such as "
            + "the service method that calls this one), or set copy: reference for this method if no caller changes its results";

    private static UncacheableValueException lazy(Class<?> type, String what) {
        return new UncacheableValueException(UncacheableValueException.LAZY_ASSOCIATION, what + ": its copy would be "
                + "empty or throw where the original loads. Results like this one are not cached (the method stays "
                + "cached for complete ones); to cache them, fetch the association in the query (a fetch join or an "
                + "entity graph), or cache the method that uses it");
    }

    private static Object call(Method m, Object target) throws CodecException {
        try {
            return m.invoke(target);
        } catch (InvocationTargetException e) {
            throw new CodecException("Hibernate's " + m.getDeclaringClass().getName() + "." + m.getName() + " failed: "
                    + e.getCause(), e.getCause());
        } catch (IllegalAccessException | RuntimeException e) {
            throw new CodecException("cannot call Hibernate's " + m.getDeclaringClass().getName() + "." + m.getName() + ": " + e, e);
        }
    }

    private static boolean implementsNamed(Class<?> type, String interfaceName) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                if (i.getName().equals(interfaceName) || implementsNamed(i, interfaceName)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A public no-argument method {@code name} declared by a public class or interface {@code type} has, or null. */
    private static Method publicMethod(Class<?> type, String name) {
        List<Class<?>> todo = new ArrayList<>();
        todo.add(type);
        for (int i = 0; i < todo.size(); i++) {
            Class<?> c = todo.get(i);
            if (Modifier.isPublic(c.getModifiers())) {
                try {
                    Method m = c.getDeclaredMethod(name);
                    if (Modifier.isPublic(m.getModifiers())) {
                        return m;
                    }
                } catch (NoSuchMethodException | SecurityException | LinkageError e) {
                    // look further up
                }
            }
            if (c.getSuperclass() != null) {
                todo.add(c.getSuperclass());
            }
            todo.addAll(List.of(c.getInterfaces()));
        }
        return null;
    }
}
