package dev.recall.agent.codec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which of the codec's collection shapes a JDK collection class is written as, and what class the
 * reader rebuilds for it. Collection classes outside the JDK are ordinary classes to the codec (their
 * fields are written), subject to the allowlist.
 *
 * <ul>
 *   <li>{@code ArrayList}, {@code LinkedList}, {@code HashSet}, {@code LinkedHashSet}, {@code TreeSet},
 *       {@code HashMap}, {@code LinkedHashMap}, {@code TreeMap}, {@code EnumSet}, {@code EnumMap}: the same
 *       class. An empty {@code EnumMap} is refused: its key type cannot be observed.
 *   <li>{@code List.of}, {@code List.copyOf}, {@code Stream.toList}, {@code Collections.unmodifiableList},
 *       {@code emptyList}, {@code singletonList}, {@code unmodifiableCollection}: {@code List.of}, or an
 *       unmodifiable {@code ArrayList} when it holds {@code null} (which {@code List.of} rejects).
 *   <li>{@code Set.of}, {@code Collections.unmodifiableSet}, {@code emptySet}, {@code singleton}: an
 *       unmodifiable {@code LinkedHashSet}, which keeps the original iteration order ({@code Set.of}'s
 *       differs from JVM to JVM). Maps likewise, as an unmodifiable {@code LinkedHashMap}.
 *   <li>{@code Collections.unmodifiableSortedSet/NavigableSet}, {@code emptySortedSet} (and the map
 *       forms): an unmodifiable {@code TreeSet} / {@code TreeMap}.
 *   <li>Other JDK lists ({@code Arrays.asList}, {@code CopyOnWriteArrayList}, {@code Vector},
 *       {@code subList} views): {@code ArrayList}. Other JDK sorted sets and maps
 *       ({@code ConcurrentSkipListMap}, views of a {@code TreeMap}): {@code TreeSet} / {@code TreeMap}.
 *       Other JDK sets and maps ({@code ConcurrentHashMap}, {@code Hashtable}, {@code keySet()} views):
 *       {@code LinkedHashSet} / {@code LinkedHashMap}, in the original iteration order. Other JDK
 *       collections ({@code ArrayDeque}, queues, {@code values()} views): {@code LinkedList}, which is
 *       both a {@code List} and a {@code Deque}.
 * </ul>
 *
 * Sorted collections are rebuilt in natural order only; one with a comparator (code) is refused. A
 * field, record component or array element whose declared type the rebuilt class does not fit (a field
 * of type {@code ConcurrentHashMap}) makes the encoder refuse the value, rather than every read fail.
 * Stateless.
 */
final class CollectionTags {

    private CollectionTags() {
    }

    /** The tag for a JDK collection or map class, or -1 if {@code type} is neither. */
    static int tagOf(Class<?> type) {
        if (!JdkTypes.isJdk(type)) {
            return -1;
        }
        boolean immutable = immutable(type);
        if (List.class.isAssignableFrom(type)) {
            return type == LinkedList.class ? Tag.LIST_LINKED : immutable ? Tag.LIST_IMMUTABLE : Tag.LIST_ARRAY;
        }
        if (Set.class.isAssignableFrom(type)) {
            if (type == HashSet.class) {
                return Tag.SET_HASH;
            }
            if (EnumSet.class.isAssignableFrom(type)) {
                return Tag.SET_ENUM;
            }
            if (SortedSet.class.isAssignableFrom(type)) {
                return immutable ? Tag.SET_IMMUTABLE_SORTED : Tag.SET_TREE;
            }
            return immutable ? Tag.SET_IMMUTABLE : Tag.SET_LINKED;
        }
        if (Map.class.isAssignableFrom(type)) {
            if (type == HashMap.class) {
                return Tag.MAP_HASH;
            }
            if (type == EnumMap.class) {
                return Tag.MAP_ENUM;
            }
            if (SortedMap.class.isAssignableFrom(type)) {
                return immutable ? Tag.MAP_IMMUTABLE_SORTED : Tag.MAP_TREE;
            }
            return immutable ? Tag.MAP_IMMUTABLE : Tag.MAP_LINKED;
        }
        if (Collection.class.isAssignableFrom(type)) {
            return immutable ? Tag.LIST_IMMUTABLE : Tag.LIST_LINKED;
        }
        return -1;
    }

    /** The class (or, for the immutable shapes, the interface) the reader rebuilds for a tag. */
    static Class<?> restoredAs(int tag) {
        switch (tag) {
            case Tag.LIST_ARRAY: return ArrayList.class;
            case Tag.LIST_LINKED: return LinkedList.class;
            case Tag.LIST_IMMUTABLE: return List.class;
            case Tag.SET_HASH: return HashSet.class;
            case Tag.SET_LINKED: return LinkedHashSet.class;
            case Tag.SET_TREE: return TreeSet.class;
            case Tag.SET_IMMUTABLE: return Set.class;
            case Tag.SET_IMMUTABLE_SORTED: return NavigableSet.class;
            case Tag.SET_ENUM: return EnumSet.class;
            case Tag.MAP_HASH: return HashMap.class;
            case Tag.MAP_LINKED: return LinkedHashMap.class;
            case Tag.MAP_TREE: return TreeMap.class;
            case Tag.MAP_IMMUTABLE: return Map.class;
            case Tag.MAP_IMMUTABLE_SORTED: return NavigableMap.class;
            case Tag.MAP_ENUM: return EnumMap.class;
            default: throw new IllegalArgumentException("not a collection tag: " + tag);
        }
    }

    /** The JDK's unmodifiable collections: List.of and friends, and the Collections.unmodifiable/empty/singleton wrappers. */
    private static boolean immutable(Class<?> type) {
        String name = type.getName();
        if (name.startsWith("java.util.ImmutableCollections$")) {
            return true;
        }
        if (!name.startsWith("java.util.Collections$")) {
            return false;
        }
        String inner = name.substring("java.util.Collections$".length());
        return inner.startsWith("Unmodifiable") || inner.startsWith("Empty") || inner.startsWith("Singleton");
    }
}
