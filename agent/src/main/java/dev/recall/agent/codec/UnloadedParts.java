package dev.recall.agent.codec;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What Hibernate had not loaded in an entity graph (a lazy collection, a lazy reference), copied as it is: still not
 * loaded, and detached, as the original was when the method returned. Such a copy behaves as the original would
 * have for a caller with no session: reading it throws {@code LazyInitializationException} (with the same role in
 * the message), the proxy's identifier and {@code Hibernate.isInitialized} answer as before, and a factory that
 * allows loading outside a transaction ({@code hibernate.enable_lazy_load_no_trans}) loads it with a temporary
 * session as it would have loaded the original. An original still attached to an open session is refused: its
 * caller could load it, a copy could not ({@link UncacheableValueException}).
 *
 * <p>A collection is a new instance of its class with the original's fields (role, key, cached size, session
 * factory), the owner being the owner's copy, and neither session nor queued operations. A proxy is what
 * Hibernate's own serialization makes of it ({@code writeReplace}, then {@code readResolve}): a new proxy of the
 * same entity and identifier with no session.
 *
 * <p>Stateless; the reflective handles are found once per class and kept in {@link ClassValue}s.
 */
final class UnloadedParts {

    private static final String COLLECTION_BASE = "org.hibernate.collection.spi.AbstractPersistentCollection";

    /** Per persistent collection class: its constructor and instance fields, made accessible; or why not. */
    private static final ClassValue<Object> COLLECTIONS = new ClassValue<>() {
        @Override
        protected Object computeValue(Class<?> type) {
            try {
                Constructor<?> c = type.getDeclaredConstructor();
                c.setAccessible(true);
                List<Field> fields = new ArrayList<>();
                boolean base = false;
                for (Class<?> k = type; k != null && k != Object.class; k = k.getSuperclass()) {
                    base |= k.getName().equals(COLLECTION_BASE);
                    for (Field f : k.getDeclaredFields()) {
                        if (!Modifier.isStatic(f.getModifiers())) {
                            f.setAccessible(true);
                            fields.add(f);
                        }
                    }
                }
                if (!base) {
                    return "it does not extend " + COLLECTION_BASE;
                }
                return new CollectionShape(c, fields.toArray(new Field[0]));
            } catch (ReflectiveOperationException | RuntimeException e) {
                return e.toString();
            }
        }
    };

    private record CollectionShape(Constructor<?> constructor, Field[] fields) {
    }

    /** Per proxy class: {@code writeReplace()}; per serialized form: its private {@code readResolve()}. */
    private static final ClassValue<Method> REPLACE = new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> type) {
            return declared(type, "writeReplace");
        }
    };
    private static final ClassValue<Method> RESOLVE = new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> type) {
            return declared(type, "readResolve");
        }
    };

    private UnloadedParts() {
    }

    /** The owner the persistent collection {@code v} records (an entity of the graph being copied, usually). */
    static Object owner(Object v) throws CodecException {
        return field(shape(v), "owner", v);
    }

    /** Its key (the owner's identifier). */
    static Object key(Object v) throws CodecException {
        return field(shape(v), "key", v);
    }

    /**
     * A detached, unloaded copy of the unloaded persistent collection {@code v}, owned by {@code owner} with key
     * {@code key} (copies of the original's).
     */
    static Object collection(Object v, Object owner, Object key) throws CodecException {
        CollectionShape shape = shape(v);
        try {
            Object copy = shape.constructor.newInstance();
            for (Field f : shape.fields) {
                Object value = f.get(v);
                switch (f.getName()) {
                    case "session":
                        if (value != null) {
                            throw attached(v.getClass().getSimpleName() + " of " + field(shape, "role", v));
                        }
                        break;
                    case "operationQueue":
                        if (value != null && !((Collection<?>) value).isEmpty()) {
                            throw new UncacheableValueException(UncacheableValueException.LAZY_ASSOCIATION, "a lazy collection ("
                                    + field(shape, "role", v) + ") not loaded, with changes queued on it");
                        }
                        break;
                    case "isTempSession":
                    case "initializing":
                    case "directlyAccessible":
                        break; // false, as in a collection that is not being loaded
                    case "owner":
                        f.set(copy, owner);
                        break;
                    case "key":
                        f.set(copy, key);
                        break;
                    default:
                        if (f.getType().isPrimitive() || value == null || value instanceof String || ValueCopier.isImmutable(value)) {
                            f.set(copy, value);
                        } else {
                            throw new UncacheableValueException(UncacheableValueException.LAZY_ASSOCIATION, "a lazy collection ("
                                    + v.getClass().getName() + ") not loaded, whose field " + f.getName() + " holds a "
                                    + value.getClass().getName() + " the agent cannot copy");
                        }
                }
            }
            return copy;
        } catch (InvocationTargetException e) {
            throw unreadable(v, e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw unreadable(v, e);
        }
    }

    /** A detached, unloaded copy of the unloaded proxy {@code proxy}, made as Hibernate's serialization makes one. */
    static Object proxy(Object proxy, Object initializer, Method getSession, Method getIdentifier) throws CodecException {
        try {
            if (getSession == null || getIdentifier == null) {
                throw unreadable(proxy, null);
            }
            if (getSession.invoke(initializer) != null) {
                throw attached("proxy of " + proxy.getClass().getSuperclass().getName());
            }
            if (!ValueCopier.isImmutable(getIdentifier.invoke(initializer))) {
                // Its serialized form would share the identifier with the original.
                throw new UncacheableValueException(UncacheableValueException.LAZY_ASSOCIATION, "a lazy reference (a proxy of "
                        + proxy.getClass().getSuperclass().getName() + ") not loaded, with an identifier that can change");
            }
            Method replace = REPLACE.get(proxy.getClass());
            Object form = replace == null ? null : replace.invoke(proxy);
            Method resolve = form == null ? null : RESOLVE.get(form.getClass());
            Object copy = resolve == null ? null : resolve.invoke(form);
            if (copy == null || copy.getClass().getSuperclass() != proxy.getClass().getSuperclass()) {
                throw unreadable(proxy, null);
            }
            return copy;
        } catch (InvocationTargetException e) {
            throw unreadable(proxy, e.getCause());
        } catch (IllegalAccessException | RuntimeException e) {
            throw unreadable(proxy, e);
        }
    }

    private static CollectionShape shape(Object v) throws CodecException {
        Object s = COLLECTIONS.get(v.getClass());
        if (s instanceof CollectionShape shape) {
            return shape;
        }
        throw new UncacheableValueException(UncacheableValueException.LAZY_ASSOCIATION, "a lazy collection ("
                + v.getClass().getName() + ") not loaded, which the agent cannot copy unloaded: " + s);
    }

    private static Object field(CollectionShape shape, String name, Object v) throws CodecException {
        for (Field f : shape.fields) {
            if (f.getName().equals(name)) {
                try {
                    return f.get(v);
                } catch (IllegalAccessException | RuntimeException e) {
                    throw unreadable(v, e);
                }
            }
        }
        return null;
    }

    private static UncacheableValueException attached(String what) {
        return new UncacheableValueException(UncacheableValueException.LAZY_ASSOCIATION, "a lazy " + what + " not loaded, "
                + "and still attached to an open session when the method returned (open-session-in-view, a transaction or a "
                + "request-scoped session around the call): the caller could load it, a copy could not. Results like this one "
                + "are not cached (the method stays cached for complete ones, and for this kind of result where no session "
                + "is open around the call); to cache them, fetch the association in the query (a fetch join or an entity "
                + "graph), or cache the method that uses it");
    }

    private static UncacheableValueException unreadable(Object v, Throwable why) {
        return new UncacheableValueException(UncacheableValueException.LAZY_ASSOCIATION, "a lazy part (" + v.getClass().getName()
                + ") not loaded, which the agent could not copy unloaded" + (why == null ? "" : ": " + why));
    }

    private static Method declared(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Method m = c.getDeclaredMethod(name);
                m.setAccessible(true);
                return m;
            } catch (NoSuchMethodException e) {
                // look further up
            } catch (RuntimeException | LinkageError e) {
                return null;
            }
        }
        return null;
    }
}
