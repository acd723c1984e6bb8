package dev.recall.agent.key;

import java.lang.reflect.Array;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Key value types. A key must be usable in a hash map and identify its arguments exactly. Each value is a
 * {@link #part}: a JDK value type as it is, anything else its class and state at the call ({@link State}).
 * A single value is its part itself ({@code null} wrapped), so a reader keyed by {@code {0}} (a {@code Long})
 * and a writer keyed by {@code {0.id}} (the same {@code Long}) meet in the same entry. Anything else is a
 * tuple: the arguments ({@link Pair}, {@link ArgsKey}), or a template's literal text and the values it reads
 * ({@link One}, {@link Tuple2}, {@link Tuple}), each part compared by its class and {@code equals}, never by how it renders.
 * Every key is immutable once built, except for a part whose state could not be read and is kept as it is
 * ({@code HeldKeys} copies those on a miss). Shared by every thread: nothing here is mutable.
 */
public final class Keys {

    /** The key of a method without arguments, and of a {@code null} single argument. */
    static final Object NO_ARGUMENTS = new Constant("()");
    static final Object NULL = new Constant("null");

    private Keys() {
    }

    /**
     * Makes a single value usable as a key. Small on purpose: it is on the hit path, and the JIT inlines it;
     * the commonest keys (strings, longs, ints) are kept as they are without a look-up.
     */
    public static Object of(Object value) {
        if (value == null) {
            return NULL;
        }
        Class<?> type = value.getClass();
        if (type == String.class || type == Long.class || type == Integer.class) {
            return value;
        }
        Object p = part(value);
        return p.getClass().isArray() ? new ArgsKey(new Object[] {p}) : p; // an array compares by identity
    }

    /**
     * A value as a part of a key: as it is if its class's {@code equals} is exact for it (a JDK value type, an
     * enum), else a {@link State}, its class and its whole state at the time of the call ({@link KeyBytes}).
     * So a key never depends on what an application's {@code equals} says (one that calls everything equal, one
     * that throws), on the identity of an object whose state the caller changes after the call (a
     * {@code StringBuilder}, a bean without {@code equals}), or on a JDK collection's {@code equals}, which
     * calls an {@code ArrayList} and a {@code List.of} equal although the method can tell them apart. A value
     * whose state cannot be read ({@link KeyBytes.Unnameable}: a cycle, a hidden class, a field of a closed
     * module) is kept as it is, as before, and compared by its {@code equals}.
     */
    static Object part(Object value) {
        if (value == null) {
            return null;
        }
        Class<?> type = value.getClass();
        if (type == String.class || type == Long.class || type == Integer.class
                || AS_IT_IS.get(type) && !nanWithPayload(value)) {
            return value;
        }
        byte[] state;
        try {
            state = KeyBytes.ofValue(value);
        } catch (KeyBytes.Unnameable e) {
            return value;
        }
        return new State(type, state, value);
    }

    /** Whether {@code p} is a part {@link #part} made of a value's state: immutable, nothing to copy. */
    public static boolean isState(Object p) {
        return p instanceof State;
    }

    /** A NaN whose bits are not the canonical NaN's: {@code Double.equals} calls all NaNs equal, the bits differ. */
    private static boolean nanWithPayload(Object v) {
        if (v instanceof Double d) {
            return d.isNaN() && Double.doubleToRawLongBits(d) != Double.doubleToLongBits(d);
        }
        return v instanceof Float f && f.isNaN() && Float.floatToRawIntBits(f) != Float.floatToIntBits(f);
    }

    /**
     * Per class, whether its instances are key parts as they are: immutable JDK value types whose
     * {@code equals} compares their whole state, and enums (one instance per value). Everything else,
     * collections, arrays, records and the application's own classes included, is keyed by its state.
     */
    private static final ClassValue<Boolean> AS_IT_IS = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            if (Enum.class.isAssignableFrom(type) || type == Class.class) {
                return true;
            }
            if (type.isHidden()) {
                return true; // a lambda: no state to read that names it; by identity, as before
            }
            return type == String.class || type == Long.class || type == Integer.class || type == Short.class
                    || type == Byte.class || type == Character.class || type == Boolean.class || type == Double.class
                    || type == Float.class || type == BigInteger.class || type == BigDecimal.class
                    || type == UUID.class || type == Locale.class
                    || type.getName().startsWith("java.time.") && Modifier.isFinal(type.getModifiers());
        }
    };

    /**
     * A value's class and its state as {@link KeyBytes} writes it, taken when the key was made: equal exactly when
     * the classes are one class (of one class loader) and the states are equal. Holds the value too, only to
     * show the key ({@link #render}); never compared. Immutable; its bytes are never handed out.
     */
    static final class State {
        final Class<?> type;
        final byte[] bytes;
        private final Object shown;
        private final int hash;

        State(Class<?> type, byte[] bytes, Object shown) {
            this.type = type;
            this.bytes = bytes;
            this.shown = shown;
            this.hash = Arrays.hashCode(bytes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof State s && s.hash == hash && s.type == type && Arrays.equals(s.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public String toString() {
            return render(shown);
        }
    }

    /**
     * The same key with each of its argument parts passed through {@code part} (a key of one argument: the
     * key itself); the key as it is if no part changed. For the miss path, which stores a key that must
     * not change afterwards: the caller may keep mutating an argument it passed.
     */
    public static Object mapParts(Object key, UnaryOperator<Object> part) {
        if (key instanceof Constant) {
            return key;
        }
        if (key instanceof Pair p) {
            Object a0 = part.apply(p.a0);
            Object a1 = part.apply(p.a1);
            return a0 == p.a0 && a1 == p.a1 ? key : new Pair(a0, a1);
        }
        if (key instanceof ArgsKey k) {
            Object[] mapped = mapAll(k.args, part);
            return mapped == k.args ? key : new ArgsKey(mapped);
        }
        if (key instanceof One k) {
            Object v = part.apply(k.value);
            return v == k.value ? key : new One(k.shape, Arrays.hashCode(k.shape), v);
        }
        if (key instanceof Tuple2 k) {
            Object v0 = part.apply(k.v0);
            Object v1 = part.apply(k.v1);
            return v0 == k.v0 && v1 == k.v1 ? key : new Tuple2(k.shape, Arrays.hashCode(k.shape), v0, v1);
        }
        if (key instanceof Tuple k) {
            Object[] mapped = mapAll(k.values, part);
            return mapped == k.values ? key : new Tuple(k.shape, Arrays.hashCode(k.shape), mapped);
        }
        return part.apply(key);
    }

    /** {@code values} with each passed through {@code part}: the same array if none changed, else a copy. */
    private static Object[] mapAll(Object[] values, UnaryOperator<Object> part) {
        Object[] mapped = values;
        for (int i = 0; i < values.length; i++) {
            Object m = part.apply(values[i]);
            if (m != values[i]) {
                if (mapped == values) {
                    mapped = values.clone();
                }
                mapped[i] = m;
            }
        }
        return mapped;
    }

    /** How a key is shown to people, for example in {@code invalidate(String)} over JMX. */
    public static String render(Object value) {
        if (value instanceof State s) {
            return render(s.shown);
        }
        if (value != null && value.getClass().isArray()) {
            String wrapped = Arrays.deepToString(new Object[] {value});
            return wrapped.substring(1, wrapped.length() - 1);
        }
        return String.valueOf(value);
    }

    /**
     * How a key is shown in messages (logs, MBean strings, errors): the types of its parts and their sizes, never
     * their values, which may be an e-mail address or a card number. {@code "(String[16 chars], Long)"}.
     */
    public static String describe(Object key) {
        if (key instanceof Constant c) {
            return c.name;
        }
        if (key instanceof Pair p) {
            return "(" + shape(p.a0) + ", " + shape(p.a1) + ")";
        }
        if (key instanceof ArgsKey k) {
            StringBuilder out = new StringBuilder("(");
            for (int i = 0; i < k.args.length; i++) {
                out.append(i == 0 ? "" : ", ").append(shape(k.args[i]));
            }
            return out.append(')').toString();
        }
        return shape(key);
    }

    /** A value's type and size, never its content: for messages that must not print data of a call. */
    static String shape(Object value) {
        if (value instanceof State s) {
            return shape(s.shown);
        }
        if (value == null) {
            return "null";
        }
        Class<?> type = value.getClass();
        String name = type.getName().startsWith("java.") ? type.getSimpleName() : type.getName();
        if (value instanceof CharSequence s) {
            return name + "[" + s.length() + " chars]";
        }
        if (type.isArray()) {
            return type.getComponentType().getSimpleName() + "[" + Array.getLength(value) + "]";
        }
        if (value instanceof Collection<?> c) {
            return name + "[" + c.size() + " elements]";
        }
        if (value instanceof Map<?, ?> m) {
            return name + "[" + m.size() + " entries]";
        }
        return name;
    }

    private record Constant(String name) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** The key of several arguments, compared structurally (arrays by content). */
    static Object ofArguments(Object[] args) {
        return args.length == 2 ? new Pair(part(args[0]), part(args[1])) : new ArgsKey(parts(args));
    }

    /** The key of exactly two arguments, as the two-argument advice passes them. */
    static Object ofArguments(Object a0, Object a1) {
        return new Pair(part(a0), part(a1));
    }

    /** {@code values} as key parts: the same array if each is its own part, else a new one (the caller's stays). */
    static Object[] parts(Object[] values) {
        Object[] out = values;
        for (int i = 0; i < values.length; i++) {
            Object p = part(values[i]);
            if (p != values[i]) {
                if (out == values) {
                    out = values.clone();
                }
                out[i] = p;
            }
        }
        return out;
    }

    /**
     * The key of a template with literal text or several placeholders: {@code shape} is the template's
     * literal text cut at its placeholders (one piece more than there are values, shared by every key of
     * the template), {@code values} what the placeholders read, in order.
     */
    static Object ofTemplate(String[] shape, int shapeHash, Object[] values) {
        return values.length == 1 ? new One(shape, shapeHash, part(values[0]))
                : values.length == 2 ? new Tuple2(shape, shapeHash, part(values[0]), part(values[1]))
                : new Tuple(shape, shapeHash, parts(values));
    }

    /** The key of a template with two placeholders: always a {@link Tuple2}, however it was built, so keys meet. */
    static Object ofTemplate(String[] shape, int shapeHash, Object v0, Object v1) {
        return new Tuple2(shape, shapeHash, part(v0), part(v1));
    }

    static Object ofTemplate(String[] shape, int shapeHash, Object value) {
        return new One(shape, shapeHash, part(value));
    }

    /**
     * A part's hash. The commonest parts' classes are tested first: this code is shared by every key of every
     * method, so a plain {@code o.hashCode()} here is a megamorphic call, while a test of a final class is one
     * comparison after which the JIT calls (and inlines) that class's own method.
     */
    private static int hash(Object o) {
        if (o instanceof String s) {
            return s.hashCode();
        }
        if (o instanceof Long l) {
            return Long.hashCode(l);
        }
        if (o instanceof Integer i) {
            return i;
        }
        return o == null ? 0 : o.getClass().isArray() ? Arrays.deepHashCode(new Object[] {o}) : o.hashCode();
    }

    /**
     * Whether two parts of keys are the same value: of the same class (so {@code 5} is not {@code 5L}, and
     * an application's class is not the same-named class of another class loader), equal, arrays by
     * content. The class and array checks cost little next to {@code equals}, and only the array check
     * waits until plain equality has failed.
     */
    static boolean same(Object x, Object y) {
        if (x == y) {
            return true;
        }
        if (x == null || y == null || x.getClass() != y.getClass()) {
            return false;
        }
        // One class: the commonest compared without the megamorphic call of equals (see hash).
        if (x instanceof String s) {
            return s.equals(y);
        }
        if (x instanceof Long l) {
            return l.longValue() == (Long) y;
        }
        if (x instanceof Integer i) {
            return i.intValue() == (Integer) y;
        }
        return x.equals(y) || (x.getClass().isArray() && Objects.deepEquals(x, y));
    }

    private static boolean sameShape(String[] a, String[] b) {
        return a == b || Arrays.equals(a, b);
    }

    /**
     * Two arguments, held in fields: 24 bytes, no array. Every two-argument key is a Pair, however the
     * advice passed the arguments, so a reader and a writer of one region always meet.
     */
    static final class Pair {
        final Object a0;
        final Object a1;
        private final int hash;

        Pair(Object a0, Object a1) {
            this.a0 = a0;
            this.a1 = a1;
            this.hash = 31 * hash(a0) + hash(a1);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Pair p && p.hash == hash && same(a0, p.a0) && same(a1, p.a1);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public String toString() {
            return render(a0) + ',' + render(a1);
        }
    }

    /**
     * Three or more arguments (or one array), held in the array the advice allocated for this call (never
     * reused by the caller), so building the key copies nothing.
     */
    static final class ArgsKey {
        final Object[] args;
        private final int hash;

        ArgsKey(Object[] args) {
            this.args = args;
            this.hash = Arrays.deepHashCode(args);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ArgsKey k && k.hash == hash && sameValues(k.args, args);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < args.length; i++) {
                if (i > 0) {
                    b.append(',');
                }
                b.append(render(args[i]));
            }
            return b.toString();
        }
    }

    private static boolean sameValues(Object[] a, Object[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (!same(a[i], b[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * The key of a template with one placeholder and literal text ({@code "user:{0}"}): the template's
     * shape and the value, in fields. Shown as the template renders it.
     */
    static final class One {
        final String[] shape;
        final Object value;
        private final int hash;

        One(String[] shape, int shapeHash, Object value) {
            this.shape = shape;
            this.value = value;
            this.hash = 31 * shapeHash + hash(value);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof One k && k.hash == hash && same(value, k.value) && sameShape(shape, k.shape);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public String toString() {
            return shape[0] + render(value) + shape[1];
        }
    }

    /**
     * The key of a template with two placeholders ({@code "sku:{0}:{1}"}): as a {@link Tuple} of two values, in
     * fields instead of an array (32 bytes instead of a 24-byte Tuple and a 24-byte array). Every two-value key of a
     * template is a Tuple2, so keys built in any way meet.
     */
    static final class Tuple2 {
        final String[] shape;
        final Object v0;
        final Object v1;
        private final int hash;

        Tuple2(String[] shape, int shapeHash, Object v0, Object v1) {
            this.shape = shape;
            this.v0 = v0;
            this.v1 = v1;
            this.hash = 31 * (31 * shapeHash + hash(v0)) + hash(v1); // as a Tuple of the two values
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Tuple2 k && k.hash == hash && same(v0, k.v0) && same(v1, k.v1) && sameShape(shape, k.shape);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public String toString() {
            return shape[0] + render(v0) + shape[1] + render(v1) + shape[2];
        }
    }

    /**
     * The key of a template with three placeholders or more, or none: the template's shape and the values read,
     * in the array built for this call. Two keys are equal only if their shapes are and each value is the
     * same value ({@link #same}): the literal text and the values never run into each other, so no
     * character inside a value can move a boundary.
     */
    static final class Tuple {
        final String[] shape;
        final Object[] values;
        private final int hash;

        Tuple(String[] shape, int shapeHash, Object[] values) {
            this.shape = shape;
            this.values = values;
            int h = shapeHash;
            for (Object v : values) {
                h = 31 * h + hash(v);
            }
            this.hash = h;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Tuple k && k.hash == hash && sameValues(values, k.values) && sameShape(shape, k.shape);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder(shape[0]);
            for (int i = 0; i < values.length; i++) {
                b.append(render(values[i])).append(shape[i + 1]);
            }
            return b.toString();
        }
    }
}
