package dev.recall.agent.key;

import java.io.File;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Currency;
import java.util.Date;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A key as bytes that name it in every JVM: what a remote store hashes into an entry's name. The encoding
 * is a tree of type-tagged, length-prefixed parts (no part can be read as the end of the one before), so
 * two different keys never give the same bytes, and equal keys of equal deployments give the same bytes
 * in every JVM (nothing identity-based goes in: classes by name, enums by name).
 *
 * <p>Values by their whole state, never {@code toString()}: strings by their UTF-16 units, numbers by
 * their bits ({@code BigDecimal} with its scale), dates by their milliseconds (a {@code Timestamp} with its
 * nanoseconds), {@code java.time} values by their ISO form (which is lossless), arrays, lists, sets and
 * maps of the JDK by their elements (sets and maps in a canonical order), records and the application's
 * own classes by their class name and their fields (not {@code transient} or {@code static} ones, read
 * reflectively: no application code runs). A value that cannot be named so is refused with
 * {@link Unnameable}, and the call that needs it runs uncached: a JDK class that compares by identity or
 * whose state is hidden, a hidden class (a lambda), a class whose fields cannot be read, a cycle, a graph
 * deeper than {@value #MAX_DEPTH} or larger than {@value #MAX_NODES} objects.
 *
 * <p>Stateless and thread-safe; per-class field lists live in a {@link ClassValue}, released with their class.
 */
public final class KeyBytes {

    /** The first byte of every encoding: a later format changes it, and names every key anew. */
    static final byte VERSION = 1;
    private static final int MAX_DEPTH = 64;
    private static final int MAX_NODES = 10_000;

    private static final ClassValue<Object> FIELDS = new ClassValue<>() {
        @Override
        protected Object computeValue(Class<?> type) {
            return stateFields(type);
        }
    };

    private KeyBytes() {
    }

    /** A key that has no name outside this JVM; the message says which value and why. */
    static final class Unnameable extends RuntimeException {
        Unnameable(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The bytes of {@code key}, as built by a {@link KeyFunction} or {@link Keys}.
     *
     * @throws Unnameable if a value of the key cannot be named across JVMs
     */
    public static byte[] of(Object key) {
        Writer w = new Writer();
        w.out.write(VERSION);
        if (key == Keys.NO_ARGUMENTS) {
            w.out.write('N');
        } else if (key == Keys.NULL) {
            w.out.write('1');
            w.value(null, 0);
        } else if (key instanceof Keys.Pair p) {
            w.out.write('2');
            w.value(p.a0, 0);
            w.value(p.a1, 0);
        } else if (key instanceof Keys.ArgsKey k && k.args.length == 1) {
            w.out.write('1'); // the single argument that is an array (Keys.of)
            w.value(k.args[0], 0);
        } else if (key instanceof Keys.ArgsKey k) {
            w.out.write('A');
            w.out.varint(k.args.length);
            for (Object v : k.args) {
                w.value(v, 0);
            }
        } else if (key instanceof Keys.One k) {
            w.out.write('T');
            w.shape(k.shape);
            w.value(k.value, 0);
        } else if (key instanceof Keys.Tuple2 k) {
            w.out.write('T'); // as a Tuple of two values
            w.shape(k.shape);
            w.value(k.v0, 0);
            w.value(k.v1, 0);
        } else if (key instanceof Keys.Tuple k) {
            w.out.write('T');
            w.shape(k.shape);
            for (Object v : k.values) {
                w.value(v, 0);
            }
        } else {
            w.out.write('1');
            w.value(key, 0);
        }
        return w.out.toByteArray();
    }

    /**
     * The bytes of one value, as {@link #of} writes it inside a key: a key part by its state ({@link Keys#part}).
     *
     * @throws Unnameable if the value cannot be named by its state
     */
    static byte[] ofValue(Object value) {
        Writer w = new Writer();
        w.value(value, 0);
        return w.out.toByteArray();
    }

    /** A growable byte array; nothing shared. */
    private static final class Bytes {
        private byte[] buf = new byte[64];
        private int size;

        void write(int b) {
            if (size == buf.length) {
                buf = Arrays.copyOf(buf, size * 2);
            }
            buf[size++] = (byte) b;
        }

        void write(byte[] b) {
            varint(b.length);
            for (byte x : b) {
                write(x);
            }
        }

        void varint(int n) {
            while ((n & ~0x7F) != 0) {
                write((n & 0x7F) | 0x80);
                n >>>= 7;
            }
            write(n);
        }

        void fixed(long v, int bytes) {
            for (int i = bytes - 1; i >= 0; i--) {
                write((int) (v >>> (8 * i)));
            }
        }

        /** UTF-16 units, not UTF-8: a string with a lone surrogate keeps it (UTF-8 would make it '?'). */
        void string(String s) {
            varint(s.length());
            for (int i = 0; i < s.length(); i++) {
                fixed(s.charAt(i), 2);
            }
        }

        /** Bytes already written by another {@code Bytes} as a whole part: as they are, no length. */
        void raw(byte[] b) {
            if (size + b.length > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + b.length));
            }
            System.arraycopy(b, 0, buf, size, b.length);
            size += b.length;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, size);
        }
    }

    private static final class Writer {
        final Bytes out = new Bytes();
        /** The objects on the path from the key to the value being written: meeting one again is a cycle. */
        private IdentityHashMap<Object, Boolean> path; // made at the first composite value: most keys have none
        private int nodes;

        void shape(String[] pieces) {
            out.varint(pieces.length);
            for (String p : pieces) {
                out.string(p);
            }
        }

        void value(Object v, int depth) {
            if (v == null) {
                out.write('n');
                return;
            }
            if (v instanceof Keys.State s) {
                out.raw(s.bytes); // a key part made of this value's state when the key was made
                return;
            }
            Class<?> type = v.getClass();
            if (scalar(v)) {
                return;
            }
            if (++nodes > MAX_NODES || depth > MAX_DEPTH) {
                throw new Unnameable("a key value of " + type.getName() + " is part of a graph deeper than "
                        + MAX_DEPTH + " or with more than " + MAX_NODES + " objects");
            }
            if (path == null) {
                path = new IdentityHashMap<>();
            }
            if (path.put(v, Boolean.TRUE) != null) {
                throw new Unnameable("a key value of " + type.getName() + " refers back to itself (a cycle)");
            }
            try {
                composite(v, type, depth);
            } finally {
                path.remove(v);
            }
        }

        /** Writes {@code v} if it is a value without parts; {@code false} if it has parts. */
        private boolean scalar(Object v) {
            if (v instanceof String s) {
                out.write('s');
                out.string(s);
            } else if (v instanceof Integer i) {
                out.write('i');
                out.fixed(i, 4);
            } else if (v instanceof Long l) {
                out.write('j');
                out.fixed(l, 8);
            } else if (v instanceof Boolean b) {
                out.write('z');
                out.write(b ? 1 : 0);
            } else if (v instanceof Character c) {
                out.write('c');
                out.fixed(c, 2);
            } else if (v instanceof Short s) {
                out.write('h');
                out.fixed(s, 2);
            } else if (v instanceof Byte b) {
                out.write('b');
                out.write(b);
            } else if (v instanceof Double d) {
                out.write('d');
                out.fixed(Double.doubleToRawLongBits(d), 8); // NaNs of different payloads are different values
            } else if (v instanceof Float f) {
                out.write('f');
                out.fixed(Float.floatToRawIntBits(f), 4);
            } else if (v.getClass() == BigInteger.class) {
                out.write('I');
                out.write(((BigInteger) v).toByteArray());
            } else if (v.getClass() == BigDecimal.class) {
                BigDecimal d = (BigDecimal) v;
                out.write('D');
                out.write(d.unscaledValue().toByteArray());
                out.fixed(d.scale(), 4); // 1.0 and 1.00 are not equal, and not one key
            } else if (v instanceof UUID u) {
                out.write('u');
                out.fixed(u.getMostSignificantBits(), 8);
                out.fixed(u.getLeastSignificantBits(), 8);
            } else if (v instanceof StringBuilder || v instanceof StringBuffer) {
                // Compares by identity, but its characters are its whole state: the state at the call is the key.
                out.write('B');
                out.string(v.getClass().getName());
                out.string(v.toString());
            } else if (v instanceof AtomicInteger
                    || v instanceof AtomicLong) {
                out.write('a');
                out.string(v.getClass().getName());
                out.fixed(((Number) v).longValue(), 8);
            } else if (v instanceof AtomicBoolean b) {
                out.write('a');
                out.string(v.getClass().getName());
                out.fixed(b.get() ? 1 : 0, 8);
            } else if (v instanceof Enum<?> e) {
                out.write('e');
                out.string(e.getDeclaringClass().getName());
                out.string(e.name());
            } else if (v instanceof Class<?> c) {
                out.write('C');
                out.string(c.getName());
            } else if (v instanceof Date d) {
                out.write('t');
                out.string(d.getClass().getName());
                out.fixed(d.getTime(), 8);
                out.fixed(d instanceof Timestamp ts ? ts.getNanos() : 0, 4);
            } else if (v.getClass().getName().startsWith("java.time.") || v instanceof Locale
                    || v instanceof URI || v instanceof Currency || v instanceof File) {
                // JDK values whose text is their whole state: every java.time value prints in a lossless ISO
                // form (zone and offset included), a URI as written, a locale with its script and extensions.
                out.write('m');
                out.string(v.getClass().getName());
                out.string(v.toString());
            } else if (v instanceof Path p) {
                out.write('p');
                out.string(p.getFileSystem().provider().getScheme());
                out.string(p.toString());
            } else {
                return false;
            }
            return true;
        }

        private void composite(Object v, Class<?> type, int depth) {
            if (type.isArray()) {
                out.write('[');
                out.string(type.getComponentType().getName());
                int n = Array.getLength(v);
                out.varint(n);
                for (int i = 0; i < n; i++) {
                    value(Array.get(v, i), depth + 1);
                }
            } else if (v instanceof Optional<?> o) {
                out.write('o');
                value(o.orElse(null), depth + 1);
                out.write(o.isPresent() ? 1 : 0);
            } else if (v instanceof Map<?, ?> map && Fingerprint.heldByTheJdk(type)) {
                out.write('M');
                out.string(type.getName());
                List<byte[]> entries = new ArrayList<>(map.size());
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    entries.add(part(e.getKey(), true, e.getValue(), depth));
                }
                sorted(entries);
            } else if (v instanceof Set<?> set && Fingerprint.heldByTheJdk(type)) {
                out.write('S');
                out.string(type.getName());
                List<byte[]> elements = new ArrayList<>(set.size());
                for (Object e : set) {
                    elements.add(part(e, false, null, depth));
                }
                sorted(elements);
            } else if (v instanceof Collection<?> items && Fingerprint.heldByTheJdk(type)) {
                out.write('L');
                out.string(type.getName());
                out.varint(items.size());
                for (Object e : items) {
                    value(e, depth + 1);
                }
            } else {
                object(v, type, depth);
            }
        }

        /**
         * The bytes of an element of a set or map (a map entry: its key, then its value), written apart so
         * that the elements can be put in one order whatever order the JVM keeps them in.
         */
        private byte[] part(Object element, boolean entry, Object mapped, int depth) {
            Writer sub = new Writer();
            if (path != null) {
                sub.path = new IdentityHashMap<>(path);
            }
            sub.nodes = nodes;
            sub.value(element, depth + 1);
            if (entry) {
                sub.value(mapped, depth + 1);
            }
            nodes = sub.nodes;
            return sub.out.toByteArray();
        }

        private void sorted(List<byte[]> parts) {
            parts.sort(Arrays::compareUnsigned);
            out.varint(parts.size());
            for (byte[] p : parts) {
                out.write(p);
            }
        }

        private void object(Object v, Class<?> type, int depth) {
            Object fields = FIELDS.get(type);
            if (fields instanceof String why) {
                throw new Unnameable("a key value of " + type.getName() + " " + why);
            }
            out.write('O');
            out.string(type.getName());
            Field[] all = (Field[]) fields;
            out.varint(all.length);
            for (Field f : all) {
                try {
                    Class<?> ft = f.getType();
                    if (ft.isPrimitive()) {
                        scalar(f.get(v)); // boxed by reflection, written with its type's tag
                    } else {
                        value(f.get(v), depth + 1);
                    }
                } catch (IllegalAccessException e) {
                    throw new Unnameable("a key value of " + type.getName() + " has a field " + f.getName() + " that cannot be read");
                }
            }
        }
    }

    /**
     * The fields that make up the state of {@code type}'s instances, or why its instances have no name:
     * its own fields and its superclasses' below the JDK, without {@code static} and {@code transient} ones.
     */
    private static Object stateFields(Class<?> type) {
        if (type.isHidden()) {
            return "is a hidden class (a lambda, or generated at run time), which has no name in another JVM";
        }
        if (isJdk(type)) {
            return "is a JDK class whose state cannot be read (" + (overridesEquals(type) ? "not one of the value types keys know"
                    : "it compares by identity") + "); key on a value it holds instead, e.g. a String or a number";
        }
        List<Field> out = new ArrayList<>();
        Class<?> c = type;
        for (; c != null && !isJdk(c); c = c.getSuperclass()) {
            Field[] declared = c.getDeclaredFields();
            Arrays.sort(declared, (a, b) -> a.getName().compareTo(b.getName())); // the order reflection gives is not specified
            for (Field f : declared) {
                int m = f.getModifiers();
                if (Modifier.isStatic(m) || Modifier.isTransient(m)) {
                    continue;
                }
                try {
                    f.setAccessible(true);
                } catch (RuntimeException notOpen) {
                    return "has a field " + f.getName() + " in a module that is not open to the agent";
                }
                out.add(f);
            }
        }
        if (c != null && c != Object.class && c != Record.class) {
            return "extends " + c.getName() + ", whose state the agent cannot read; key on a value it holds instead";
        }
        return out.toArray(new Field[0]);
    }

    private static boolean overridesEquals(Class<?> type) {
        try {
            Method m = type.getMethod("equals", Object.class);
            return m.getDeclaringClass() != Object.class;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    private static boolean isJdk(Class<?> c) {
        String n = c.getName();
        return n.startsWith("java.") || n.startsWith("javax.") || n.startsWith("jdk.") || n.startsWith("sun.") || n.startsWith("com.sun.");
    }
}
