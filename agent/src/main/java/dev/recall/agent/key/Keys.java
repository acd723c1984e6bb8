package dev.recall.agent.key;

import java.util.Arrays;
import java.util.Objects;

/**
 * Key value types. A key must be usable in a hash map: {@code null} and arrays (identity equality) are
 * wrapped; everything else is used as it is, so a reader keyed by {@code {0}} (a {@code Long}) and a
 * writer keyed by {@code {0.id}} (the same {@code Long}) meet in the same entry.
 */
public final class Keys {

    /** The key of a method without arguments, and of a {@code null} single argument. */
    public static final Object NO_ARGUMENTS = new Constant("()");
    public static final Object NULL = new Constant("null");

    private Keys() {
    }

    /** Makes a single value usable as a key. Tiny on purpose: it is on the hit path, and the JIT inlines it. */
    public static Object of(Object value) {
        return value != null && !value.getClass().isArray() ? value : special(value);
    }

    private static Object special(Object value) {
        return value == null ? NULL : new ArgsKey(new Object[] {value});
    }

    /**
     * The same key with each of its argument parts passed through {@code part} (a key of one argument: the
     * key itself); the key as it is if no part changed. For the miss path, which stores a key that must
     * not change afterwards: the caller may keep mutating an argument it passed.
     */
    public static Object mapParts(Object key, java.util.function.UnaryOperator<Object> part) {
        if (key instanceof Constant) {
            return key;
        }
        if (key instanceof Pair p) {
            Object a0 = part.apply(p.a0);
            Object a1 = part.apply(p.a1);
            return a0 == p.a0 && a1 == p.a1 ? key : new Pair(a0, a1);
        }
        if (key instanceof ArgsKey k) {
            Object[] mapped = null;
            for (int i = 0; i < k.args.length; i++) {
                Object m = part.apply(k.args[i]);
                if (m != k.args[i]) {
                    if (mapped == null) {
                        mapped = k.args.clone();
                    }
                    mapped[i] = m;
                }
            }
            return mapped == null ? key : new ArgsKey(mapped);
        }
        return part.apply(key);
    }

    /** How a key is shown to people, for example in {@code invalidate(String)} over JMX. */
    public static String render(Object value) {
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
    public static String shape(Object value) {
        if (value == null) {
            return "null";
        }
        Class<?> type = value.getClass();
        String name = type.getName().startsWith("java.") ? type.getSimpleName() : type.getName();
        if (value instanceof CharSequence s) {
            return name + "[" + s.length() + " chars]";
        }
        if (type.isArray()) {
            return type.getComponentType().getSimpleName() + "[" + java.lang.reflect.Array.getLength(value) + "]";
        }
        if (value instanceof java.util.Collection<?> c) {
            return name + "[" + c.size() + " elements]";
        }
        if (value instanceof java.util.Map<?, ?> m) {
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
    public static Object ofArguments(Object[] args) {
        return args.length == 2 ? new Pair(args[0], args[1]) : new ArgsKey(args);
    }

    /** The key of exactly two arguments, as the two-argument advice passes them. */
    public static Object ofArguments(Object a0, Object a1) {
        return new Pair(a0, a1);
    }

    private static int hash(Object o) {
        return o == null ? 0 : o.getClass().isArray() ? Arrays.deepHashCode(new Object[] {o}) : o.hashCode();
    }

    /**
     * Two arguments, held in fields: 24 bytes, no array. Every two-argument key is a Pair, however the
     * advice passed the arguments, so a reader and a writer of one region always meet.
     */
    static final class Pair {
        private final Object a0;
        private final Object a1;
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

        /** {@code equals}, arrays by content; the array check only once plain equality has failed. */
        private static boolean same(Object x, Object y) {
            if (x == y) {
                return true;
            }
            if (x == null || y == null) {
                return false;
            }
            return x.equals(y) || (x.getClass().isArray() && Objects.deepEquals(x, y));
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
     * Three or more arguments, held in the array the advice allocated for this call (never reused by the
     * caller), so building the key copies nothing.
     */
    static final class ArgsKey {
        private final Object[] args;
        private final int hash;

        ArgsKey(Object[] args) {
            this.args = args;
            this.hash = Arrays.deepHashCode(args);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ArgsKey k && k.hash == hash && Arrays.deepEquals(k.args, args);
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
}
