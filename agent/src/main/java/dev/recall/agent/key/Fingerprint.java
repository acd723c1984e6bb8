package dev.recall.agent.key;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A 64-bit summary of an object's state, so that two states can be compared without keeping a copy: the
 * values of its fields, the elements of its collections, bounded in depth and in the number of objects
 * visited. Equal states give equal fingerprints; a change within those bounds gives a different one
 * except by a 2^-64 chance, and a change beyond them (deeper than six references, past 10,000 objects or
 * 1,000 elements) goes unseen: never a difference where there is none.
 *
 * <p>Never triggers the application's own code beyond {@code hashCode} of value types and iteration of
 * the JDK's own collections: an object is read through its fields (so a JPA lazy collection or proxy is
 * read as it stands, never initialized), and a collection is iterated only when its elements live in a
 * JDK collection class (a {@code LinkedHashMap} subclass such as Spring's {@code ModelMap} is; a
 * Hibernate {@code PersistentBag} is read through its fields instead). What cannot be read (a field of a
 * module that is not open) counts as its identity: a change there goes unseen, never falsely seen.
 *
 * <p>Stateless and thread-safe; the per-class field lists live in a {@link ClassValue}, released with
 * their class.
 */
public final class Fingerprint {

    private static final int MAX_DEPTH = 6;
    private static final int RECEIVER_DEPTH = 3;
    private static final int MAX_ELEMENTS = 1_000;
    private static final int MAX_NODES = 10_000;
    private static final long EMPTY = 0x9E3779B97F4A7C15L;
    private static final long BACK_REFERENCE = 0x7A3D5E1F2B4C6D8EL;
    private static final long BEYOND = 0x1B873593CC9E2D51L;

    private static final ClassValue<Field[]> FIELDS = new ClassValue<>() {
        @Override
        protected Field[] computeValue(Class<?> type) {
            return readableFields(type);
        }
    };

    private Fingerprint() {
    }

    /** The fingerprint of {@code value}'s state. */
    public static long of(Object value) {
        return new Walk(MAX_DEPTH, MAX_NODES).of(value, 0);
    }

    /**
     * As {@link #of}, visiting at most {@code maxNodes} objects: for a caller that fingerprints often and must
     * stay cheap (the advisor), at the price of not seeing changes past that many objects.
     */
    public static long of(Object value, int maxNodes) {
        return new Walk(MAX_DEPTH, Math.min(maxNodes, MAX_NODES)).of(value, 0);
    }

    /**
     * The state of a receiver, to tell instances apart: shallower than {@link #of} (the receiver's own
     * fields and what they hold, three references deep), so that runtime machinery far below it (a pool's
     * counters under a data source) does not split receivers that are configured alike. The same in every
     * JVM for equal state: nothing identity-based goes in (enums by name, classes by name).
     */
    public static long ofReceiver(Object receiver) {
        return new Walk(RECEIVER_DEPTH, MAX_NODES).of(receiver, 0);
    }

    /** As {@link #ofReceiver}, visiting at most {@code maxNodes} objects. */
    public static long ofReceiver(Object receiver, int maxNodes) {
        return new Walk(RECEIVER_DEPTH, Math.min(maxNodes, MAX_NODES)).of(receiver, 0);
    }

    /** Whether {@code type}'s instances are values whose {@code hashCode} is their whole state. */
    static boolean isValue(Class<?> type) {
        return type == String.class || type == Boolean.class || type == Character.class || Number.class.isAssignableFrom(type)
                && type.getName().startsWith("java.") && (type.getName().startsWith("java.lang.") || type == BigDecimal.class
                || type == BigInteger.class) || type.isEnum() || type == UUID.class || type == Class.class
                || type.getName().startsWith("java.time.") && !type.isInterface();
    }

    private static final class Walk {
        private final int maxDepth;
        private final int maxNodes;

        Walk(int maxDepth, int maxNodes) {
            this.maxDepth = maxDepth;
            this.maxNodes = maxNodes;
        }

        /** Each object visited, with the order it was first seen in: a second visit is a back-reference. */
        private final IdentityHashMap<Object, Integer> seen = new IdentityHashMap<>();
        private int nodes;

        long of(Object v, int depth) {
            if (v == null) {
                return 0;
            }
            Class<?> type = v.getClass();
            if (isValue(type)) {
                // Enums and classes hash by identity, which differs from JVM to JVM: by name instead.
                Object stable = v instanceof Enum<?> e ? e.name() : v instanceof Class<?> c ? c.getName() : v;
                return mix(type.getName().hashCode(), stable.hashCode());
            }
            Integer visited = seen.get(v);
            if (visited != null) {
                return mix(BACK_REFERENCE, visited); // by position, so equal graphs agree
            }
            if (depth > maxDepth || nodes >= maxNodes) {
                return BEYOND; // unseen rather than falsely seen: equal states must agree
            }
            seen.put(v, nodes++);
            long h = mix(EMPTY, type.getName().hashCode());
            Object jdkState = jdkState(v);
            if (jdkState != null) {
                return mix(h, jdkState.hashCode());
            }
            // Holders of one reference are walked on, within this walk's bounds: a reference held back to an
            // object being walked (a cycle, common in drivers and pools) is a back-reference like any other.
            if (v instanceof AtomicReference<?> a) {
                return mix(h, of(a.get(), depth + 1));
            }
            if (v instanceof Optional<?> o) {
                return mix(h, o.isPresent() ? of(o.get(), depth + 1) : 0);
            }
            if (type.isArray()) {
                int n = Array.getLength(v);
                h = mix(h, n);
                for (int i = 0; i < Math.min(n, MAX_ELEMENTS); i++) {
                    h = mix(h, of(Array.get(v, i), depth + 1));
                }
                return h;
            }
            if (v instanceof Map<?, ?> map && heldByTheJdk(type)) {
                long sum = 0;
                int i = 0;
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (i++ == MAX_ELEMENTS) {
                        break;
                    }
                    // Order-free: a map rehashed by growth keeps its fingerprint.
                    sum += mix(of(e.getKey(), depth + 1), of(e.getValue(), depth + 1));
                }
                return mix(mix(h, map.size()), sum);
            }
            if (v instanceof Collection<?> items && heldByTheJdk(type)) {
                boolean ordered = !(v instanceof Set);
                long acc = 0;
                int i = 0;
                for (Object item : items) {
                    if (i++ == MAX_ELEMENTS) {
                        break;
                    }
                    long f = of(item, depth + 1);
                    acc = ordered ? mix(acc, f) : acc + f;
                }
                return mix(mix(h, items.size()), acc);
            }
            for (Field f : FIELDS.get(type)) {
                try {
                    Class<?> ft = f.getType();
                    if (ft.isPrimitive()) {
                        h = mix(h, primitive(f, v, ft));
                    } else {
                        h = mix(h, of(f.get(v), depth + 1));
                    }
                } catch (IllegalAccessException | RuntimeException unreadable) {
                    h = mix(h, 1);
                }
            }
            return h;
        }
    }

    /** The state of the JDK's common mutable holders that have no readable fields, or {@code null}. */
    private static Object jdkState(Object v) {
        if (v instanceof StringBuilder || v instanceof StringBuffer) {
            return v.toString();
        }
        if (v instanceof Date d) {
            return d.getTime();
        }
        if (v instanceof AtomicInteger a) {
            return a.get();
        }
        if (v instanceof AtomicLong a) {
            return a.get();
        }
        if (v instanceof AtomicBoolean a) {
            return a.get();
        }
        return null;
    }

    private static long primitive(Field f, Object owner, Class<?> type) throws IllegalAccessException {
        if (type == long.class) {
            return f.getLong(owner);
        }
        if (type == double.class) {
            return Double.doubleToLongBits(f.getDouble(owner));
        }
        if (type == float.class) {
            return Float.floatToIntBits(f.getFloat(owner));
        }
        if (type == boolean.class) {
            return f.getBoolean(owner) ? 1 : 2;
        }
        if (type == char.class) {
            return f.getChar(owner);
        }
        return f.getInt(owner); // int, short, byte widen
    }

    /**
     * Whether the elements of a collection or map of {@code type} live in a JDK collection class it is or
     * extends, so that iterating it reads them and runs nothing of the application's or a library's.
     */
    static boolean heldByTheJdk(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getName().startsWith("java.util.")) {
                // A concrete JDK class holds the elements; an abstract one (AbstractList) leaves them to the subclass.
                return !Modifier.isAbstract(c.getModifiers()) && (Collection.class.isAssignableFrom(c) || Map.class.isAssignableFrom(c));
            }
        }
        return false;
    }

    /**
     * The instance fields of {@code type} and its superclasses below the JDK that can be read, but for what a JPA
     * provider keeps there for its session rather than for the entity: the fields Hibernate's bytecode enhancement adds
     * ({@code $$_hibernate_tracker}, the entity entry), and of a Hibernate persistent collection everything but its
     * elements ({@code bag}, {@code set}, {@code list}, {@code map}; {@code null} while it is lazy), as its session,
     * owner and snapshot differ from one session to the next for equal data. Otherwise the same row read twice, or a
     * managed entity flushed, would seem two states: a difference where there is none.
     */
    private static Field[] readableFields(Class<?> type) {
        List<Field> out = new ArrayList<>();
        for (Class<?> c = type; c != null && !isJdk(c) && !isPersistentCollectionBase(c); c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || f.getName().startsWith("$$_hibernate_")) {
                    continue;
                }
                try {
                    f.setAccessible(true);
                    out.add(f);
                } catch (RuntimeException notOpen) {
                    // A module that is not open to us: that part of the state goes unseen.
                }
            }
        }
        return out.toArray(new Field[0]);
    }

    /** Hibernate's base of its persistent collections (5: {@code internal}, 6: {@code spi}): session bookkeeping. */
    private static boolean isPersistentCollectionBase(Class<?> c) {
        return c.getName().equals("org.hibernate.collection.spi.AbstractPersistentCollection")
                || c.getName().equals("org.hibernate.collection.internal.AbstractPersistentCollection");
    }

    private static boolean isJdk(Class<?> c) {
        String n = c.getName();
        return n.startsWith("java.") || n.startsWith("javax.") || n.startsWith("jdk.") || n.startsWith("sun.");
    }

    /** Mixes {@code v} into the running hash {@code h} (SplitMix64's finalizer): how fingerprints combine. */
    public static long mix(long h, long v) {
        long x = (h ^ v) * 0xBF58476D1CE4E5B9L;
        x ^= x >>> 31;
        return x * 0x94D049BB133111EBL + 0x632BE59BD9B4E5BL;
    }
}
