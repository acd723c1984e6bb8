package dev.recall.agent.codec;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
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
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Copies of cached values, so that a caller who changes what it got (binds a form into a returned entity,
 * adds to a returned list) changes nobody else's: values held by value, as a Redis store holds them, but
 * without the bytes. A copy is what the codec would rebuild: the same classes for records and ordinary
 * classes (their non-transient fields, through a constructor that runs no code of theirs), the codec's
 * classes for JDK collections (see {@link CollectionTags}), shared references and cycles kept as they
 * were. What the codec refuses to write (a Hibernate proxy's machinery, a thread, a class of a closed
 * module) the copier refuses too, with the codec's message.
 *
 * <p>{@link #isImmutable} decides, once per stored value, whether it can be shared as it is: JDK value
 * types, enums, and records, final classes with only final fields, and unmodifiable JDK collections whose
 * contents are all themselves immutable. Stateless; the per-class facts live in {@link TypeInfo}'s and
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
        return new Copies().copy(value);
    }

    private static boolean immutable(Object v, int depth) throws CodecException {
        if (v == null) {
            return true;
        }
        if (depth > IMMUTABLE_DEPTH) {
            return false;
        }
        Class<?> type = v.getClass();
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
            case Tag.LIST_IMMUTABLE:
            case Tag.SET_IMMUTABLE:
            case Tag.SET_IMMUTABLE_SORTED:
                for (Object e : (Collection<?>) v) {
                    if (!immutable(e, depth + 1)) {
                        return false;
                    }
                }
                return true;
            case Tag.MAP_IMMUTABLE:
            case Tag.MAP_IMMUTABLE_SORTED:
                for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                    if (!immutable(e.getKey(), depth + 1) || !immutable(e.getValue(), depth + 1)) {
                        return false;
                    }
                }
                return true;
            case Tag.RECORD:
            case Tag.OBJECT:
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
    private static boolean sharedAsItIs(int tag) {
        return tag >= 0 && tag < Tag.OPTIONAL_EMPTY && tag != Tag.DATE || tag == Tag.OPTIONAL_EMPTY || tag == Tag.OPTIONAL_INT
                || tag == Tag.OPTIONAL_INT_EMPTY || tag == Tag.OPTIONAL_LONG || tag == Tag.OPTIONAL_LONG_EMPTY
                || tag == Tag.OPTIONAL_DOUBLE || tag == Tag.OPTIONAL_DOUBLE_EMPTY || tag == Tag.ENUM;
    }

    private static Object get(Field f, Object owner) throws CodecException {
        try {
            return f.get(owner);
        } catch (IllegalAccessException e) {
            throw new CodecException("cannot read " + f.getDeclaringClass().getName() + "." + f.getName() + ": " + e, e);
        }
    }

    /**
     * One copy's originals and their copies, so shared references and cycles stay shared and cyclic. The
     * first object copied (the root, usually an entity of plain fields) is kept in two fields; a map is
     * made only for a second one, so a flat object's copy allocates nothing but itself.
     */
    private static final class Copies {
        private Object rootOriginal;
        private Object rootCopy;
        private IdentityHashMap<Object, Object> done;

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
                    case Tag.OBJECT_ARRAY:
                        return array(v, type);
                    case Tag.RECORD:
                        return record(v, info.layout());
                    case Tag.OBJECT:
                        return object(v, info.layout());
                    default:
                        if (type.isArray()) { // primitive arrays
                            return remember(v, primitiveArray(v, type));
                        }
                        return collection(v, tag);
                }
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
            Object[] components = new Object[layout.fields.length];
            for (int i = 0; i < components.length; i++) {
                Object c = layout.fields[i].get(v);
                components[i] = layout.kinds[i] == 'L' ? copy(c) : c;
            }
            // A record that refers back to itself cannot be rebuilt through its constructor; the codec refuses it too.
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
            return copy;
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private Object collection(Object v, int tag) throws CodecException {
            switch (tag) {
                case Tag.LIST_ARRAY:
                    return fill(remember(v, new ArrayList<>(((Collection<?>) v).size())), v);
                case Tag.LIST_LINKED:
                    return fill(remember(v, new LinkedList<>()), v);
                case Tag.LIST_IMMUTABLE: {
                    List<Object> items = fill(new ArrayList<>(((Collection<?>) v).size()), v);
                    return remember(v, items.contains(null) ? Collections.unmodifiableList(items) : List.copyOf(items));
                }
                case Tag.SET_HASH:
                    return fill(remember(v, new HashSet<>()), v);
                case Tag.SET_LINKED:
                    return fill(remember(v, new LinkedHashSet<>()), v);
                case Tag.SET_TREE:
                    return fill(remember(v, naturalOnly(((SortedSet<?>) v).comparator(), v, new TreeSet<Object>())), v);
                case Tag.SET_IMMUTABLE:
                    return remember(v, Collections.unmodifiableSet(fill(new LinkedHashSet<>(), v)));
                case Tag.SET_IMMUTABLE_SORTED:
                    return remember(v, Collections.unmodifiableNavigableSet(
                            fill(naturalOnly(((SortedSet<?>) v).comparator(), v, new TreeSet<Object>()), v)));
                case Tag.SET_ENUM:
                    return remember(v, ((EnumSet) v).clone()); // enums are shared as they are
                case Tag.MAP_HASH:
                    return put(remember(v, new HashMap<>()), v);
                case Tag.MAP_LINKED:
                    return put(remember(v, new LinkedHashMap<>()), v);
                case Tag.MAP_TREE:
                    return put(remember(v, naturalOnly(((SortedMap<?, ?>) v).comparator(), v, new TreeMap<Object, Object>())), v);
                case Tag.MAP_IMMUTABLE:
                    return remember(v, Collections.unmodifiableMap(put(new LinkedHashMap<>(), v)));
                case Tag.MAP_IMMUTABLE_SORTED:
                    return remember(v, Collections.unmodifiableNavigableMap(
                            put(naturalOnly(((SortedMap<?, ?>) v).comparator(), v, new TreeMap<Object, Object>()), v)));
                case Tag.MAP_ENUM:
                    return put(remember(v, new EnumMap<>((EnumMap) v)), v);
                default:
                    throw new CodecException("cannot copy a " + v.getClass().getName());
            }
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

        /** {@code empty}, the natural-order collection to fill, unless {@code sorted} has a comparator. */
        private static <T> T naturalOnly(Object comparator, Object sorted, T empty) throws CodecException {
            if (comparator != null) {
                throw new CodecException("cannot copy a " + sorted.getClass().getName() + " sorted by a comparator (code, "
                        + "not data); sort in natural order, or copy: reference if no caller changes it");
            }
            return empty;
        }
    }
}
