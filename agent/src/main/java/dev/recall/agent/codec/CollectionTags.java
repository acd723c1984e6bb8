package dev.recall.agent.codec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.Stack;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.Vector;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Supplier;

/**
 * Which of the codec's collection shapes a JDK collection class is written as. A copy (and a value read back
 * from Redis) is of the original's class and behaves as it did: a caller's downcast, its {@code synchronized}
 * use of a {@code Vector}, a {@code contains(null)} on an unmodifiable list all work as without the agent.
 *
 * <ul>
 *   <li>{@code ArrayList}, {@code LinkedList}, {@code HashSet}, {@code LinkedHashSet}, {@code TreeSet},
 *       {@code HashMap}, {@code LinkedHashMap}, {@code TreeMap}, {@code EnumSet}, {@code EnumMap}: tags of their own.
 *   <li>The other mutable JDK collections whose state is their contents ({@link Jdk#SAME}): {@code Vector},
 *       {@code Stack}, {@code ArrayDeque}, the copy-on-write and concurrent collections, {@code Hashtable},
 *       {@code ConcurrentHashMap} (and its {@code newKeySet()}), {@code Properties} (with its defaults, flattened),
 *       an access-order {@code LinkedHashMap}: the same class, refilled.
 *   <li>{@code List.of}/{@code List.copyOf} (which reject {@code null}) and {@code Stream.toList} (which accepts it),
 *       {@code Set.of}, {@code Map.of}: rebuilt by the same factories, so the copy rejects what the original rejects.
 *   <li>{@code Collections.unmodifiable*} wrappers: the same wrapper around a copy of what they show
 *       ({@code ArrayList} or {@code LinkedList} by {@code RandomAccess}, {@code LinkedHashSet}/{@code LinkedHashMap}
 *       in the original order, {@code TreeSet}/{@code TreeMap} for the sorted ones).
 *   <li>{@code Collections.empty*}: the same constants; {@code singleton*}: the same factories;
 *       {@code Arrays.asList}: a fixed-size {@code Arrays.asList} again.
 * </ul>
 *
 * Views of another collection ({@code subList}, {@code keySet()}, {@code values()}, {@code synchronized*},
 * {@code checked*}, sub-maps) are refused: a copy cannot stay a view of what the caller never got. Sorted
 * collections are written to Redis in natural order only (a comparator is code); the in-memory copy shares the
 * comparator, as {@code TreeMap.clone} does. Stateless.
 */
final class CollectionTags {

    /** The JDK collections written with {@link Tag#JDK_COLLECTION} and this constant's ordinal. */
    enum Jdk {
        VECTOR(Family.SAME, Vector.class, Vector::new),
        STACK(Family.SAME, Stack.class, Stack::new),
        ARRAY_DEQUE(Family.SAME, ArrayDeque.class, ArrayDeque::new),
        COPY_ON_WRITE_LIST(Family.SAME, CopyOnWriteArrayList.class, CopyOnWriteArrayList::new),
        COPY_ON_WRITE_SET(Family.SAME, CopyOnWriteArraySet.class, CopyOnWriteArraySet::new),
        CONCURRENT_QUEUE(Family.SAME, ConcurrentLinkedQueue.class, ConcurrentLinkedQueue::new),
        CONCURRENT_DEQUE(Family.SAME, ConcurrentLinkedDeque.class, ConcurrentLinkedDeque::new),
        SKIP_LIST_SET(Family.SAME, ConcurrentSkipListSet.class, ConcurrentSkipListSet::new),
        CONCURRENT_KEY_SET(Family.SAME, ConcurrentHashMap.KeySetView.class, ConcurrentHashMap::newKeySet),
        HASHTABLE(Family.SAME, Hashtable.class, Hashtable::new),
        CONCURRENT_MAP(Family.SAME, ConcurrentHashMap.class, ConcurrentHashMap::new),
        SKIP_LIST_MAP(Family.SAME, ConcurrentSkipListMap.class, ConcurrentSkipListMap::new),
        PROPERTIES(Family.SAME, Properties.class, Properties::new),
        ACCESS_ORDER_MAP(Family.SAME, LinkedHashMap.class, () -> new LinkedHashMap<>(16, 0.75f, true)),
        LIST_OF(Family.IMMUTABLE, null, null),
        LIST_NULLS(Family.IMMUTABLE, null, null),
        SET_OF(Family.IMMUTABLE, null, null),
        MAP_OF(Family.IMMUTABLE, null, null),
        UNMODIFIABLE_COLLECTION(Family.WRAPPER, null, null),
        UNMODIFIABLE_LIST(Family.WRAPPER, null, null),
        UNMODIFIABLE_RANDOM_ACCESS_LIST(Family.WRAPPER, null, null),
        UNMODIFIABLE_SET(Family.WRAPPER, null, null),
        UNMODIFIABLE_SORTED_SET(Family.WRAPPER, null, null),
        UNMODIFIABLE_NAVIGABLE_SET(Family.WRAPPER, null, null),
        UNMODIFIABLE_MAP(Family.WRAPPER, null, null),
        UNMODIFIABLE_SORTED_MAP(Family.WRAPPER, null, null),
        UNMODIFIABLE_NAVIGABLE_MAP(Family.WRAPPER, null, null),
        EMPTY_LIST(Family.CONSTANT, null, Collections::emptyList),
        EMPTY_SET(Family.CONSTANT, null, Collections::emptySet),
        EMPTY_MAP(Family.CONSTANT, null, Collections::emptyMap),
        EMPTY_NAVIGABLE_SET(Family.CONSTANT, null, Collections::emptyNavigableSet),
        EMPTY_NAVIGABLE_MAP(Family.CONSTANT, null, Collections::emptyNavigableMap),
        SINGLETON_LIST(Family.IMMUTABLE, null, null),
        SINGLETON_SET(Family.IMMUTABLE, null, null),
        SINGLETON_MAP(Family.IMMUTABLE, null, null),
        ARRAYS_LIST(Family.IMMUTABLE, null, null);

        static final Jdk[] ALL = values();

        final Family family;
        final Class<?> type;
        final Supplier<Object> empty;

        @SuppressWarnings("unchecked")
        Jdk(Family family, Class<?> type, Supplier<?> empty) {
            this.family = family;
            this.type = type;
            this.empty = (Supplier<Object>) empty;
        }

        boolean isMap() {
            switch (this) {
                case HASHTABLE: case CONCURRENT_MAP: case SKIP_LIST_MAP: case PROPERTIES: case ACCESS_ORDER_MAP: case MAP_OF:
                case UNMODIFIABLE_MAP: case UNMODIFIABLE_SORTED_MAP: case UNMODIFIABLE_NAVIGABLE_MAP: case EMPTY_MAP:
                case EMPTY_NAVIGABLE_MAP: case SINGLETON_MAP:
                    return true;
                default:
                    return false;
            }
        }

        boolean sorted() {
            return this == SKIP_LIST_SET || this == SKIP_LIST_MAP || this == UNMODIFIABLE_SORTED_SET
                    || this == UNMODIFIABLE_NAVIGABLE_SET || this == UNMODIFIABLE_SORTED_MAP || this == UNMODIFIABLE_NAVIGABLE_MAP;
        }

        /** Whether nothing can be added to or removed from it (its elements may still change). */
        boolean unmodifiable() {
            return family != Family.SAME;
        }
    }

    /**
     * How a {@link Jdk} collection is rebuilt: {@code SAME}, an empty instance of its class refilled;
     * {@code IMMUTABLE}, a factory given the copied contents; {@code WRAPPER}, the wrapper around a copy of
     * what it shows; {@code CONSTANT}, the JDK's own instance.
     */
    enum Family { SAME, IMMUTABLE, WRAPPER, CONSTANT }

    private CollectionTags() {
    }

    /**
     * The tag for a JDK collection or map class: one of the classic tags, {@link Tag#JDK_COLLECTION} (then
     * {@link #jdkOf} names the shape), -2 for a JDK view that cannot be copied, or -1 if {@code type} is neither.
     */
    static int tagOf(Class<?> type) {
        if (!JdkTypes.isJdk(type) || !Collection.class.isAssignableFrom(type) && !Map.class.isAssignableFrom(type)) {
            return -1;
        }
        if (type == ArrayList.class) {
            return Tag.LIST_ARRAY;
        }
        if (type == LinkedList.class) {
            return Tag.LIST_LINKED;
        }
        if (type == HashSet.class) {
            return Tag.SET_HASH;
        }
        if (type == LinkedHashSet.class) {
            return Tag.SET_LINKED;
        }
        if (type == TreeSet.class) {
            return Tag.SET_TREE;
        }
        if (EnumSet.class.isAssignableFrom(type)) {
            return Tag.SET_ENUM;
        }
        if (type == HashMap.class) {
            return Tag.MAP_HASH;
        }
        if (type == LinkedHashMap.class) {
            return Tag.MAP_LINKED; // or an access-order one: see jdkOf(Object)
        }
        if (type == TreeMap.class) {
            return Tag.MAP_TREE;
        }
        if (type == EnumMap.class) {
            return Tag.MAP_ENUM;
        }
        return jdkOf(type) != null ? Tag.JDK_COLLECTION : -2;
    }

    /** The shape of a JDK collection class written with {@link Tag#JDK_COLLECTION}, or {@code null}. */
    static Jdk jdkOf(Class<?> type) {
        for (Jdk j : Jdk.ALL) {
            if (j.type == type && j != Jdk.ACCESS_ORDER_MAP) {
                return j;
            }
        }
        String name = type.getName();
        if (name.startsWith("java.util.ImmutableCollections$")) {
            String inner = name.substring("java.util.ImmutableCollections$".length());
            if (inner.startsWith("List") || inner.equals("SubList")) {
                return Jdk.LIST_OF; // or LIST_NULLS: see jdkOf(Object)
            }
            if (inner.startsWith("Set")) {
                return Jdk.SET_OF;
            }
            if (inner.startsWith("Map")) {
                return Jdk.MAP_OF;
            }
            return null;
        }
        if (name.equals("java.util.Arrays$ArrayList")) {
            return Jdk.ARRAYS_LIST;
        }
        if (!name.startsWith("java.util.Collections$")) {
            return null;
        }
        switch (name.substring("java.util.Collections$".length())) {
            case "UnmodifiableCollection": return Jdk.UNMODIFIABLE_COLLECTION;
            case "UnmodifiableList": return Jdk.UNMODIFIABLE_LIST;
            case "UnmodifiableRandomAccessList": return Jdk.UNMODIFIABLE_RANDOM_ACCESS_LIST;
            case "UnmodifiableSet": return Jdk.UNMODIFIABLE_SET;
            case "UnmodifiableSortedSet": return Jdk.UNMODIFIABLE_SORTED_SET;
            case "UnmodifiableNavigableSet": return Jdk.UNMODIFIABLE_NAVIGABLE_SET;
            case "UnmodifiableMap": return Jdk.UNMODIFIABLE_MAP;
            case "UnmodifiableSortedMap": return Jdk.UNMODIFIABLE_SORTED_MAP;
            case "UnmodifiableNavigableMap": return Jdk.UNMODIFIABLE_NAVIGABLE_MAP;
            case "EmptyList": return Jdk.EMPTY_LIST;
            case "EmptySet": return Jdk.EMPTY_SET;
            case "EmptyMap": return Jdk.EMPTY_MAP;
            case "UnmodifiableNavigableSet$EmptyNavigableSet": return Jdk.EMPTY_NAVIGABLE_SET;
            case "UnmodifiableNavigableMap$EmptyNavigableMap": return Jdk.EMPTY_NAVIGABLE_MAP;
            case "SingletonList": return Jdk.SINGLETON_LIST;
            case "SingletonSet": return Jdk.SINGLETON_SET;
            case "SingletonMap": return Jdk.SINGLETON_MAP;
            default: return null;
        }
    }

    /**
     * The shape of one instance of a {@link Tag#JDK_COLLECTION} class whose class shape is {@code ofClass}: as its
     * class's, except where the class serves two shapes ({@code List.of} and {@code Stream.toList} share theirs; a
     * {@code ConcurrentHashMap} key set may be a view of a map); {@code null} for a view.
     */
    static Jdk jdkOf(Object v, Jdk ofClass) {
        if (ofClass == Jdk.LIST_OF && acceptsNull((List<?>) v)) {
            return Jdk.LIST_NULLS;
        }
        if (ofClass == Jdk.CONCURRENT_KEY_SET && ((ConcurrentHashMap.KeySetView<?, ?>) v).getMappedValue() != Boolean.TRUE) {
            return null; // a keySet() view of a map, not a newKeySet()
        }
        return ofClass;
    }

    /**
     * {@code Stream.toList} accepts {@code null}, {@code List.of} throws on {@code contains(null)}; nothing public says
     * which one a list is, but {@code List.copyOf} returns a list unchanged exactly when it rejects nulls (asked only of
     * a list holding none, which {@code List.copyOf} could not copy).
     */
    private static boolean acceptsNull(List<?> list) {
        for (Object e : list) {
            if (e == null) {
                return true;
            }
        }
        return List.copyOf(list) != list;
    }

    /**
     * Whether a {@code LinkedHashMap} orders by access, which it says nowhere public: a clone keeps the order
     * mode, and a read of the clone's first key moves it last only in access order. The original is not touched.
     */
    static boolean accessOrder(LinkedHashMap<?, ?> map) {
        @SuppressWarnings("unchecked")
        LinkedHashMap<Object, Object> probe = (LinkedHashMap<Object, Object>) map.clone();
        if (probe.size() < 2) {
            probe.put(new Object(), null);
            probe.put(new Object(), null);
        }
        Object first = probe.keySet().iterator().next();
        probe.get(first);
        return probe.keySet().iterator().next() != first;
    }

    /** The class (or, for the immutable shapes, the interface) the reader rebuilds for a classic tag. */
    static Class<?> restoredAs(int tag) {
        switch (tag) {
            case Tag.LIST_ARRAY: return ArrayList.class;
            case Tag.LIST_LINKED: return LinkedList.class;
            case Tag.SET_HASH: return HashSet.class;
            case Tag.SET_LINKED: return LinkedHashSet.class;
            case Tag.SET_TREE: return TreeSet.class;
            case Tag.SET_ENUM: return EnumSet.class;
            case Tag.MAP_HASH: return HashMap.class;
            case Tag.MAP_LINKED: return LinkedHashMap.class;
            case Tag.MAP_TREE: return TreeMap.class;
            case Tag.MAP_ENUM: return EnumMap.class;
            default: return null;
        }
    }

    /** A copy of a view cannot stay a view; the message names what to do. */
    static String viewProblem(Class<?> type) {
        return type.getName() + " is a view of another collection (a subList, keySet(), values(), a synchronized or "
                + "checked wrapper, a sub-map): a copy cannot stay a view of what the caller never got. Cache the method "
                + "that returns the collection itself, or set copy: reference for this method if no caller changes its results";
    }
}
