package dev.recall.agent.codec;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * Copies of cached values, so that a caller who changes what it got (binds a form into a returned entity,
 * adds to a returned list) changes nobody else's: values held by value, as a Redis store holds them, but
 * without the bytes. A copy is what the caller could not tell from the original: the same classes for
 * ordinary classes (every field, transient ones included, on an instance no constructor of theirs ran for),
 * records (through a canonical constructor that runs only JDK code, see {@link RecordConstructors}), the same
 * JDK collection classes with the same behaviour (see {@link CollectionTags}), constants of their class and
 * shared references kept as they were ({@link Constants}), a fresh {@code Object} for a private lock. A
 * Hibernate persistent collection or proxy becomes the plain collection or entity it stands for
 * ({@link JpaValues}). What the codec refuses to write (a thread, a class of a closed module, a view of
 * another collection) the copier refuses too, with the codec's message.
 *
 * <p>{@link #isImmutable} decides, once per stored value, whether it can be shared as it is: JDK value
 * types, enums, constants of their class, records and final classes with only final fields, and
 * unmodifiable JDK collections whose contents are all themselves immutable. Stateless; the per-class facts live in {@link TypeInfo}'s and
 * this class's {@link ClassValue}s.
 */
public final class ValueCopier {

    /** How deep {@link #isImmutable} looks before it answers "copy it" (a deeper graph is copied, not shared). */
    private static final int IMMUTABLE_DEPTH = 16;

    /** Whether every instance field of a class, its own and inherited, is final. */
    private static final ClassValue<Boolean> ALL_FINAL = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    int m = f.getModifiers();
                    if (!Modifier.isStatic(m) && !Modifier.isFinal(m)) {
                        return false;
                    }
                }
            }
            return true;
        }
    };

    /**
     * Per class, for each field of its {@link Layout}: whether its declared type is a final JDK value type
     * (String, the boxes, {@code java.time}, {@code BigDecimal}, {@code UUID}) or an enum, so that the copy
     * takes the reference as it is without looking at the value: most fields of an entity are of these.
     */
    private static final ClassValue<boolean[]> SHARED_FIELDS = new ClassValue<>() {
        @Override
        protected boolean[] computeValue(Class<?> type) {
            try {
                Layout layout = TypeInfo.of(type).layout();
                boolean[] shared = new boolean[layout.fields.length];
                for (int i = 0; i < shared.length; i++) {
                    Class<?> t = layout.types[i];
                    shared[i] = t.isEnum() || Modifier.isFinal(t.getModifiers()) && sharedAsItIs(TypeInfo.of(t).tag);
                }
                return shared;
            } catch (CodecException e) {
                return new boolean[0];
            }
        }
    };

    private ValueCopier() {
    }

    /** For {@link FieldCopiers}: which fields of {@code type}'s layout are taken as they are. */
    static boolean[] sharedFields(Class<?> type) {
        return SHARED_FIELDS.get(type);
    }

    /** Whether {@code value} may be handed to every caller as it is: nothing reachable from it can change. */
    public static boolean isImmutable(Object value) {
        try {
            return immutable(value, 0);
        } catch (CodecException | RuntimeException unreadable) {
            return false;
        }
    }

    /**
     * A deep copy of {@code value}; immutable parts are shared.
     *
     * @throws CodecException if some part of it cannot be copied, saying which and why
     */
    public static Object copy(Object value) throws CodecException {
        Object fast = plainCopy(value);
        return fast != null ? fast : new Copies(false).copy(value);
    }

    /**
     * A copy that holds what Hibernate had not loaded in an entity graph, still not loaded and detached (see
     * {@link UnloadedParts}). Such a copy may be handed only to a caller that no session could load those parts
     * for: the caller of the original, had it been in a session, could have.
     */
    public record Unloaded(Object copy) {
    }

    /**
     * A deep copy of {@code value} as {@link #copy} makes it, except that unloaded lazy associations detached from
     * any session are copied unloaded: then the copy comes wrapped in an {@link Unloaded}. Given an
     * {@link Unloaded}'s copy, a new copy of it (wrapped again).
     *
     * @throws CodecException if some part of it cannot be copied, saying which and why
     */
    public static Object copyKeepingUnloaded(Object value) throws CodecException {
        Object fast = plainCopy(value);
        if (fast != null) {
            return fast;
        }
        Copies c = new Copies(true);
        Object copy = c.copy(value);
        return c.unloaded ? new Unloaded(copy) : copy;
    }

    /** The copy of an entity of plain fields, or null if {@code value} is not one. */
    private static Object plainCopy(Object value) throws CodecException {
        if (value != null) {
            // The common value held by value, an entity of plain fields: an allocation and the generated moves.
            FieldCopiers.Plain plain = FieldCopiers.of(value.getClass());
            if (plain != null && plain.whole() != null) {
                return plain.whole().apply(value);
            }
            if (plain != null && plain.all()) {
                try {
                    Object copy = plain.constructor().newInstance();
                    plain.copy(value, copy);
                    return copy;
                } catch (ReflectiveOperationException | IllegalArgumentException e) {
                    throw new CodecException("cannot copy a " + value.getClass().getName() + ": " + e, e);
                }
            }
        }
        return null;
    }

    private static boolean immutable(Object v, int depth) throws CodecException {
        if (v == null) {
            return true;
        }
        if (depth > IMMUTABLE_DEPTH) {
            return false;
        }
        Class<?> type = v.getClass();
        if (type == Object.class && depth == 0) {
            // A result that is a bare object has no state, only an identity (a marker, a sentinel): a copy could
            // differ only by ==, so it is shared. Inside a result one stays a private lock (copy, BARE_OBJECT).
            return true;
        }
        TypeInfo info = TypeInfo.of(type);
        info.check();
        int tag = info.tag;
        if (tag == Tag.OPTIONAL) {
            return immutable(((Optional<?>) v).orElse(null), depth + 1);
        }
        if (sharedAsItIs(tag)) {
            return true;
        }
        switch (tag) {
            case Tag.JDK_COLLECTION:
                if (info.jdk.family == CollectionTags.Family.SAME || info.jdk == CollectionTags.Jdk.ARRAYS_LIST) {
                    return false;
                }
                if (v instanceof Map<?, ?> map) {
                    for (Map.Entry<?, ?> e : map.entrySet()) {
                        if (!immutable(e.getKey(), depth + 1) || !immutable(e.getValue(), depth + 1)) {
                            return false;
                        }
                    }
                    return true;
                }
                for (Object e : (Collection<?>) v) {
                    if (!immutable(e, depth + 1)) {
                        return false;
                    }
                }
                return true;
            case Tag.RECORD:
            case Tag.OBJECT:
                if (Constants.isConstant(v)) {
                    return true; // the method hands out this very object; so does the cache
                }
                if (tag == Tag.OBJECT && (!Modifier.isFinal(type.getModifiers()) || !ALL_FINAL.get(type))) {
                    return false;
                }
                if (tag == Tag.RECORD && !ALL_FINAL.get(type)) {
                    return false;
                }
                Layout layout = info.layout();
                for (int i = 0; i < layout.fields.length; i++) {
                    if (layout.kinds[i] == 'L' && !immutable(get(layout.fields[i], v), depth + 1)) {
                        return false;
                    }
                }
                return true;
            default:
                return false;
        }
    }

    /** Tags whose instances never change: JDK value types, zones, enums. */
    static boolean sharedAsItIs(int tag) {
        return tag >= 0 && tag < Tag.OPTIONAL_EMPTY && tag != Tag.DATE && tag != Tag.BARE_OBJECT || tag == Tag.OPTIONAL_EMPTY
                || tag == Tag.OPTIONAL_INT || tag == Tag.OPTIONAL_INT_EMPTY || tag == Tag.OPTIONAL_LONG
                || tag == Tag.OPTIONAL_LONG_EMPTY || tag == Tag.OPTIONAL_DOUBLE || tag == Tag.OPTIONAL_DOUBLE_EMPTY
                || tag == Tag.ENUM;
    }

    private static Object get(Field f, Object owner) throws CodecException {
        try {
            return f.get(owner);
        } catch (IllegalAccessException e) {
            throw new CodecException("cannot read " + f.getDeclaringClass().getName() + "." + f.getName() + ": " + e, e);
        }
    }

    /** Marks an object whose copy is built from its contents (a record, an immutable collection) while they are copied. */
    private static final Object PENDING = new Object();

    /**
     * One copy's originals and their copies, so shared references and cycles stay shared and cyclic. The
     * first object copied (the root, usually an entity of plain fields) is kept in two fields; a map is
     * made only for a second one, so a flat object's copy allocates nothing but itself.
     */
    private static final class Copies {
        private Object rootOriginal;
        private Object rootCopy;
        private IdentityHashMap<Object, Object> done;
        /** The class of the innermost object being copied, whose static markers a bare Object may be. */
        private Class<?> holder;
        /** Whether unloaded lazy parts are copied unloaded (else they make the value uncacheable). */
        private final boolean keepUnloaded;
        /** Whether some were. */
        private boolean unloaded;

        Copies(boolean keepUnloaded) {
            this.keepUnloaded = keepUnloaded;
        }

        private Object known(Object original) {
            if (original == rootOriginal) {
                return rootCopy;
            }
            return done == null ? null : done.get(original);
        }

        private <T> T remember(Object original, T copy) {
            if (rootOriginal == null) {
                rootOriginal = original;
                rootCopy = copy;
                return copy;
            }
            if (rootOriginal == original) {
                rootCopy = copy;
                return copy;
            }
            if (done == null) {
                done = new IdentityHashMap<>();
            }
            done.put(original, copy);
            return copy;
        }

        Object copy(Object v) throws CodecException {
            if (v == null) {
                return null;
            }
            Object already = known(v);
            if (already != null) {
                if (already == PENDING) {
                    throw new CodecException("a cycle runs through a " + v.getClass().getName() + ", which is built from its"
                            + " contents (a record or an immutable collection) and so cannot contain itself; set copy: "
                            + "reference for this method if no caller changes its results");
                }
                return already;
            }
            Class<?> type = v.getClass();
            TypeInfo info = TypeInfo.of(type);
            info.check();
            int tag = info.tag;
            if (sharedAsItIs(tag)) {
                return v;
            }
            try {
                switch (tag) {
                    case Tag.OPTIONAL:
                        return Optional.ofNullable(copy(((Optional<?>) v).get()));
                    case Tag.DATE:
                        return remember(v, new Date(((Date) v).getTime()));
                    case Tag.BARE_OBJECT:
                        // A marker of the object holding it stays that marker; any other is a private lock.
                        return Constants.markerOf(holder, v) != null ? v : remember(v, new Object());
                    case Tag.OBJECT_ARRAY:
                        return array(v, type);
                    case Tag.RECORD:
                        return Constants.isConstant(v) ? v : record(v, info.layout());
                    case Tag.OBJECT:
                        if (Constants.isConstant(v)) {
                            return v;
                        }
                        if (info.enhanced) {
                            JpaValues.checkLoaded(v);
                        }
                        return object(v, info.layout());
                    case Tag.THROWABLE:
                        return remember(v, ThrowableCopier.copy((Throwable) v));
                    case Tag.HIBERNATE:
                        return hibernate(v, info);
                    case Tag.SUBCLASS:
                        return subclass(v, info);
                    case Tag.JDK_COLLECTION:
                        return jdk(v, CollectionTags.jdkOf(v, info.jdk));
                    default:
                        if (type.isArray()) { // primitive arrays
                            return remember(v, primitiveArray(v, type));
                        }
                        return collection(v, tag);
                }
            } catch (InvocationTargetException e) {
                throw new CodecException("cannot copy a " + type.getName() + ": " + e.getCause(), e.getCause());
            } catch (ReflectiveOperationException | IllegalArgumentException e) {
                throw new CodecException("cannot copy a " + type.getName() + ": " + e, e);
            }
        }

        private Object array(Object v, Class<?> type) throws CodecException {
            int n = Array.getLength(v);
            Object[] copy = (Object[]) Array.newInstance(type.getComponentType(), n);
            remember(v, copy);
            Object[] original = (Object[]) v;
            for (int i = 0; i < n; i++) {
                copy[i] = copy(original[i]);
            }
            return copy;
        }

        private static Object primitiveArray(Object v, Class<?> type) {
            int n = Array.getLength(v);
            Object copy = Array.newInstance(type.getComponentType(), n);
            System.arraycopy(v, 0, copy, 0, n);
            return copy;
        }

        private Object record(Object v, Layout layout) throws ReflectiveOperationException, CodecException {
            if (layout.rebuildProblem != null) {
                throw new CodecException(layout.rebuildProblem);
            }
            remember(v, PENDING); // a reference back to it from its components cannot be rebuilt: refused above
            Class<?> outer = holder;
            holder = v.getClass();
            Object[] components = new Object[layout.fields.length];
            for (int i = 0; i < components.length; i++) {
                Object c = layout.fields[i].get(v);
                components[i] = layout.kinds[i] == 'L' ? copy(c) : c;
            }
            holder = outer;
            return remember(v, layout.constructor.newInstance(components));
        }

        private Object object(Object v, Layout layout) throws ReflectiveOperationException, CodecException {
            Object copy = remember(v, layout.constructor.newInstance());
            Field[] fields = layout.fields;
            FieldCopiers.Plain plain = FieldCopiers.of(v.getClass());
            boolean[] shared;
            if (plain != null) {
                plain.copy(v, copy);
                shared = plain.covered(); // what is left are the references to copy
            } else {
                shared = SHARED_FIELDS.get(v.getClass());
            }
            Class<?> outer = holder;
            holder = v.getClass();
            for (int i = 0; i < fields.length; i++) {
                if (plain != null && shared[i]) {
                    continue;
                }
                Field f = fields[i];
                switch (layout.kinds[i]) {
                    case 'J': f.setLong(copy, f.getLong(v)); break;
                    case 'I': f.setInt(copy, f.getInt(v)); break;
                    case 'Z': f.setBoolean(copy, f.getBoolean(v)); break;
                    case 'D': f.setDouble(copy, f.getDouble(v)); break;
                    case 'F': f.setFloat(copy, f.getFloat(v)); break;
                    case 'S': f.setShort(copy, f.getShort(v)); break;
                    case 'B': f.setByte(copy, f.getByte(v)); break;
                    case 'C': f.setChar(copy, f.getChar(v)); break;
                    default: f.set(copy, shared[i] ? f.get(v) : copy(f.get(v)));
                }
            }
            holder = outer;
            return copy;
        }

        /** A persistent collection as the plain one of its contract, a proxy as (a copy of) its entity. */
        @SuppressWarnings("unchecked")
        private Object hibernate(Object v, TypeInfo info) throws CodecException {
            if (info.kind == JpaValues.PROXY_KIND) {
                if (!keepUnloaded) {
                    return remember(v, copy(JpaValues.target(v)));
                }
                Object target = JpaValues.targetIfLoaded(v);
                if (target != null) {
                    return remember(v, copy(target));
                }
                unloaded = true;
                return remember(v, JpaValues.unloadedProxy(v));
            }
            if (keepUnloaded && !JpaValues.initialized(v)) {
                unloaded = true;
                Object owner = UnloadedParts.owner(v);
                Object ownerCopy = owner == null ? null : known(owner); // its owner is copied first, in the usual graph
                return remember(v, UnloadedParts.collection(v, ownerCopy == PENDING ? null : ownerCopy, copy(UnloadedParts.key(v))));
            }
            Object plain = remember(v, JpaValues.plainFor(v));
            return plain instanceof Map ? put((Map<Object, Object>) plain, v) : fill((Collection<Object>) plain, v);
        }

        /** An application's stateless subclass of a JDK collection: the same class, filled by the JDK's copy constructor. */
        private Object subclass(Object v, TypeInfo info) throws ReflectiveOperationException, CodecException {
            remember(v, PENDING);
            Object contents = v instanceof Map ? put(new LinkedHashMap<>(), v) : fill(new ArrayList<>(), v);
            return remember(v, info.rebuild.newInstance(contents));
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private Object jdk(Object v, CollectionTags.Jdk j) throws CodecException {
            if (j == null) {
                throw new CodecException(CollectionTags.viewProblem(v.getClass()));
            }
            switch (j.family) {
                case CONSTANT:
                    return v;
                case SAME:
                    switch (j) {
                        case PROPERTIES: {
                            // Its clone keeps its defaults: the same object the original's defaults are, held by whoever made them.
                            Properties c = remember(v, (Properties) ((Properties) v).clone());
                            c.clear();
                            return put((Map) c, v);
                        }
                        case SKIP_LIST_SET:
                            return fill(remember(v, new ConcurrentSkipListSet<>(((SortedSet) v).comparator())), v);
                        case SKIP_LIST_MAP:
                            return put(remember(v, new ConcurrentSkipListMap<>(((SortedMap) v).comparator())), v);
                        default:
                            Object c = remember(v, j.empty.get());
                            return c instanceof Map ? put((Map<Object, Object>) c, v) : fill((Collection<Object>) c, v);
                    }
                case WRAPPER: {
                    remember(v, PENDING);
                    Object wrapped;
                    switch (j) {
                        case UNMODIFIABLE_COLLECTION:
                            wrapped = Collections.unmodifiableCollection(fill(new ArrayList<>(), v));
                            break;
                        case UNMODIFIABLE_LIST:
                            wrapped = Collections.unmodifiableList(fill(new LinkedList<>(), v));
                            break;
                        case UNMODIFIABLE_RANDOM_ACCESS_LIST:
                            wrapped = Collections.unmodifiableList(fill(new ArrayList<>(), v));
                            break;
                        case UNMODIFIABLE_SET:
                            wrapped = Collections.unmodifiableSet(fill(new LinkedHashSet<>(), v));
                            break;
                        case UNMODIFIABLE_SORTED_SET:
                            wrapped = Collections.unmodifiableSortedSet(fill(new TreeSet<>(((SortedSet) v).comparator()), v));
                            break;
                        case UNMODIFIABLE_NAVIGABLE_SET:
                            wrapped = Collections.unmodifiableNavigableSet(fill(new TreeSet<>(((SortedSet) v).comparator()), v));
                            break;
                        case UNMODIFIABLE_MAP:
                            wrapped = Collections.unmodifiableMap(put(new LinkedHashMap<>(), v));
                            break;
                        case UNMODIFIABLE_SORTED_MAP:
                            wrapped = Collections.unmodifiableSortedMap(put(new TreeMap<>(((SortedMap) v).comparator()), v));
                            break;
                        default:
                            wrapped = Collections.unmodifiableNavigableMap(put(new TreeMap<>(((SortedMap) v).comparator()), v));
                    }
                    return remember(v, wrapped);
                }
                default:
                    return immutable(v, j);
            }
        }

        /** List.of and friends: the same factory, given the copied contents. */
        @SuppressWarnings({"unchecked", "rawtypes"})
        private Object immutable(Object v, CollectionTags.Jdk j) throws CodecException {
            if (j == CollectionTags.Jdk.ARRAYS_LIST) {
                // Fixed-size but writable: built before its elements, which may refer back to it.
                Object[] elements = new Object[((Collection<?>) v).size()];
                List<Object> c = remember(v, Arrays.asList(elements));
                int i = 0;
                for (Object e : (Collection<?>) v) {
                    elements[i++] = copy(e);
                }
                return c;
            }
            remember(v, PENDING);
            Object made;
            try {
                switch (j) {
                    case LIST_OF:
                        made = List.of(fill(new ArrayList<>(), v).toArray());
                        break;
                    case LIST_NULLS:
                        made = Arrays.stream(fill(new ArrayList<>(), v).toArray()).toList();
                        break;
                    case SET_OF:
                        made = Set.of(fill(new ArrayList<>(), v).toArray());
                        break;
                    case MAP_OF:
                        made = Map.ofEntries(put(new LinkedHashMap<>(), v).entrySet().toArray(new Map.Entry[0]));
                        break;
                    case SINGLETON_LIST:
                        made = Collections.singletonList(copy(((List<?>) v).get(0)));
                        break;
                    case SINGLETON_SET:
                        made = Collections.singleton(copy(((Set<?>) v).iterator().next()));
                        break;
                    default: {
                        Map.Entry<?, ?> e = ((Map<?, ?>) v).entrySet().iterator().next();
                        made = Collections.singletonMap(copy(e.getKey()), copy(e.getValue()));
                    }
                }
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new CodecException("cannot copy a " + v.getClass().getName() + ": its copied elements are not what "
                        + "its factory accepts (" + e + ")", e);
            }
            return remember(v, made);
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private Object collection(Object v, int tag) throws CodecException {
            switch (tag) {
                case Tag.LIST_ARRAY:
                    return fill(remember(v, new ArrayList<>(((Collection<?>) v).size())), v);
                case Tag.LIST_LINKED:
                    return fill(remember(v, new LinkedList<>()), v);
                case Tag.SET_HASH:
                    return fill(remember(v, new HashSet<>()), v);
                case Tag.SET_LINKED:
                    return fill(remember(v, new LinkedHashSet<>()), v);
                case Tag.SET_TREE:
                    // The comparator is shared, as TreeSet.clone shares it.
                    return fill(remember(v, new TreeSet<Object>(((SortedSet) v).comparator())), v);
                case Tag.SET_ENUM:
                    return remember(v, ((EnumSet) v).clone()); // enums are shared as they are
                case Tag.MAP_HASH:
                    return put(remember(v, new HashMap<>()), v);
                case Tag.MAP_LINKED:
                    return linked((LinkedHashMap<Object, Object>) v);
                case Tag.MAP_TREE:
                    return put(remember(v, new TreeMap<Object, Object>(((SortedMap) v).comparator())), v);
                case Tag.MAP_ENUM:
                    return put(remember(v, new EnumMap<>((EnumMap) v)), v);
                default:
                    throw new CodecException("cannot copy a " + v.getClass().getName());
            }
        }

        /**
         * A LinkedHashMap through its clone, which keeps its order mode (an access-order map stays one; nothing
         * public says which it is); its values replaced by copies, or all of it refilled when a key is copied.
         */
        @SuppressWarnings("unchecked")
        private Object linked(LinkedHashMap<Object, Object> v) throws CodecException {
            LinkedHashMap<Object, Object> c = remember(v, (LinkedHashMap<Object, Object>) v.clone());
            boolean keysShared = true;
            for (Object k : c.keySet()) {
                if (copy(k) != k) {
                    keysShared = false;
                    break;
                }
            }
            if (!keysShared) {
                c.clear();
                return put(c, v);
            }
            for (Map.Entry<Object, Object> e : c.entrySet()) {
                e.setValue(copy(e.getValue())); // no access: the order stays
            }
            return c;
        }

        private <C extends Collection<Object>> C fill(C into, Object from) throws CodecException {
            for (Object e : (Collection<?>) from) {
                into.add(copy(e));
            }
            return into;
        }

        private <M extends Map<Object, Object>> M put(M into, Object from) throws CodecException {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) from).entrySet()) {
                into.put(copy(e.getKey()), copy(e.getValue()));
            }
            return into;
        }
    }
}
