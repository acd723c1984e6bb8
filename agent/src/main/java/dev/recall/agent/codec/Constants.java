package dev.recall.agent.codec;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The static constants of a class: the objects its {@code static final} fields hold that are instances of it
 * (typesafe-enum constants of a class that is not an enum, singletons, {@code NONE}-style sentinels, keys compared
 * by identity), and those an array or unmodifiable collection held by such a field lists (not those of a mutable
 * registry or cache of instances, which come and go). A copy never duplicates one: the
 * application compares them with {@code ==} or finds them in identity-keyed maps, so a hit gives the constant
 * itself, and the codec writes it as its class and field name ({@link Tag#CONSTANT}).
 *
 * <p>Read only for a class an instance of which is being copied, so the class is initialized already: the copier
 * never runs a static initializer the application did not. Kept in a {@link ClassValue} on the class; immutable.
 */
final class Constants {

    /** A class's constants and the field each is found by; {@link #NONE} for most classes. */
    private static final ClassValue<Constants> OF = new ClassValue<>() {
        @Override
        protected Constants computeValue(Class<?> type) {
            return read(type);
        }
    };

    private static final Constants NONE = new Constants(null);

    /** Each constant and the field that holds it (directly, or in an array or collection). */
    private final IdentityHashMap<Object, Field> fields;

    private Constants(IdentityHashMap<Object, Field> fields) {
        this.fields = fields;
    }

    /**
     * The field {@code v} is a constant of, declared by its class or a superclass, or {@code null}. {@code v}'s
     * class is initialized, since {@code v} exists; so are its superclasses.
     */
    static Field fieldOf(Object v) {
        IdentityHashMap<Object, Field> fields = OF.get(v.getClass()).fields; // its own and its superclasses'
        return fields == null ? null : fields.get(v);
    }

    /**
     * The field of {@code holder} (the class of the object that refers to {@code marker}) that holds the bare
     * {@code Object} {@code marker}, or {@code null}. {@code holder} is initialized: an instance of it exists.
     */
    static Field markerOf(Class<?> holder, Object marker) {
        IdentityHashMap<Object, Field> fields = holder == null ? null : OF.get(holder).fields;
        return fields == null ? null : fields.get(marker);
    }

    /** Whether {@code type} has constants (read only for an initialized class). */
    static boolean any(Class<?> type) {
        return OF.get(type).fields != null;
    }

    /** Whether {@code v} is a constant of its class (a quick test for the hit path: most classes have none). */
    static boolean isConstant(Object v) {
        return fieldOf(v) != null;
    }

    private static Constants read(Class<?> type) {
        if (type.isEnum() || type.isArray() || type.isPrimitive() || JdkTypes.isJdk(type) || type.isHidden()) {
            return NONE;
        }
        Class<?> superclass = type.getSuperclass();
        IdentityHashMap<Object, Field> inherited = superclass == null ? null : OF.get(superclass).fields;
        IdentityHashMap<Object, Field> found = inherited == null ? null : new IdentityHashMap<>(inherited);
        try {
            for (Field f : type.getDeclaredFields()) {
                int m = f.getModifiers();
                if (!Modifier.isStatic(m) || !Modifier.isFinal(m) || f.getType().isPrimitive() || !f.trySetAccessible()) {
                    continue;
                }
                Object held = f.get(null);
                if (held == null) {
                    continue;
                }
                if (type.isInstance(held) || held.getClass() == Object.class) { // an instance, or a bare marker
                    found = put(found, held, f);
                } else if (held instanceof Object[] array) {
                    for (Object e : array) {
                        if (type.isInstance(e)) {
                            found = put(found, e, f);
                        }
                    }
                } else if (held instanceof Collection<?> c && unmodifiable(held)) {
                    for (Object e : c) {
                        if (type.isInstance(e)) {
                            found = put(found, e, f);
                        }
                    }
                } else if (held instanceof Map<?, ?> map && unmodifiable(held)) {
                    for (Object e : map.values()) {
                        if (type.isInstance(e)) {
                            found = put(found, e, f);
                        }
                    }
                }
            }
        } catch (IllegalAccessException | RuntimeException | LinkageError e) {
            // Unreadable statics: the class's instances are copied as any others.
        }
        return found == null ? NONE : new Constants(found);
    }

    /**
     * Whether a collection a static field holds is fixed ({@code List.of}, an unmodifiable wrapper): its elements are
     * constants. A mutable one (a registry of instances, a cache) is not: what it holds comes and goes.
     */
    private static boolean unmodifiable(Object collection) {
        CollectionTags.Jdk shape = TypeInfo.of(collection.getClass()).jdk;
        return shape != null && shape.unmodifiable() && shape != CollectionTags.Jdk.ARRAYS_LIST;
    }

    private static IdentityHashMap<Object, Field> put(IdentityHashMap<Object, Field> found, Object constant, Field f) {
        IdentityHashMap<Object, Field> m = found == null ? new IdentityHashMap<>() : found;
        m.putIfAbsent(constant, f);
        return m;
    }
}
