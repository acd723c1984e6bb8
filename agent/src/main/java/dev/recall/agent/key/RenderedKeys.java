package dev.recall.agent.key;

import java.io.Serializable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * The keys a text typed by an operator can stand for ({@code invalidate} over JMX): the text is cut where
 * the template's literal pieces can be, and each cut is read as the type its placeholder has (a parameter's
 * declared type, or the type its property path ends in). Text says neither where a value ends nor its
 * type, so there may be several keys: all of them are given, and invalidating a few more entries than meant
 * is safe. A placeholder whose type cannot be written as text (a bean, a date) gives none; the entries of
 * such keys are found by their rendering only where they are held in this JVM.
 *
 * <p>Stateless; for the rare operator's call, never on a call's path.
 */
final class RenderedKeys {

    /** More than anyone types: a text with many separators inside values would otherwise cut many ways. */
    private static final int MAX_KEYS = 256;

    private static final Map<Class<?>, Class<?>> BOXES = Map.of(boolean.class, Boolean.class, byte.class, Byte.class,
            short.class, Short.class, char.class, Character.class, int.class, Integer.class, long.class, Long.class,
            float.class, Float.class, double.class, Double.class);

    private RenderedKeys() {
    }

    /**
     * @param pieces the literal text around the placeholders (one more than {@code types})
     * @param types each placeholder's type ({@code null}: unknown, read as text or a number)
     * @param key how the values read become the key, as the key function builds it
     */
    static List<Object> of(String text, String[] pieces, Class<?>[] types, Function<Object[], Object> key) {
        List<Object> keys = new ArrayList<>();
        if (!text.startsWith(pieces[0])) {
            return keys;
        }
        cut(text, pieces[0].length(), 0, pieces, types, new Object[types.length], key, keys);
        return keys;
    }

    private static void cut(String text, int from, int i, String[] pieces, Class<?>[] types, Object[] values,
                            Function<Object[], Object> key, List<Object> keys) {
        if (keys.size() >= MAX_KEYS) {
            return;
        }
        if (i == types.length) {
            if (from == text.length()) {
                Object k = key.apply(values.clone());
                if (!keys.contains(k)) {
                    keys.add(k);
                }
            }
            return;
        }
        String after = pieces[i + 1];
        boolean last = i == types.length - 1;
        for (int end = from; end <= text.length(); end++) {
            boolean fits = last ? end + after.length() == text.length() && text.endsWith(after)
                    : text.startsWith(after, end);
            if (!fits) {
                continue;
            }
            for (Object v : valuesOf(text.substring(from, end), types[i])) {
                values[i] = v;
                cut(text, end + after.length(), i + 1, pieces, types, values, key, keys);
            }
        }
    }

    /** The values of {@code type} that render as {@code s}: none if that type cannot be read from text. */
    static List<Object> valuesOf(String s, Class<?> type) {
        List<Object> out = new ArrayList<>(2);
        if ((type == null || !type.isPrimitive()) && s.equals("null")) {
            out.add(null);
        }
        Class<?> t = type == null ? Object.class : BOXES.getOrDefault(type, type);
        try {
            if (t == String.class || t == CharSequence.class) {
                out.add(s);
            } else if (t == Object.class || t == Serializable.class || t == Comparable.class) {
                out.add(s);
                addNumbers(s, out);
            } else if (t == Long.class) {
                out.add(Long.valueOf(s));
            } else if (t == Integer.class) {
                out.add(Integer.valueOf(s));
            } else if (t == Short.class) {
                out.add(Short.valueOf(s));
            } else if (t == Byte.class) {
                out.add(Byte.valueOf(s));
            } else if (t == Double.class) {
                out.add(Double.valueOf(s));
            } else if (t == Float.class) {
                out.add(Float.valueOf(s));
            } else if (t == Boolean.class) {
                if (s.equals("true") || s.equals("false")) {
                    out.add(Boolean.valueOf(s));
                }
            } else if (t == Character.class) {
                if (s.length() == 1) {
                    out.add(s.charAt(0));
                }
            } else if (t == BigDecimal.class) {
                out.add(new BigDecimal(s));
            } else if (t == BigInteger.class) {
                out.add(new BigInteger(s));
            } else if (t == UUID.class) {
                out.add(UUID.fromString(s));
            } else if (t.isEnum()) {
                for (Object c : t.getEnumConstants()) {
                    if (c.toString().equals(s) || ((Enum<?>) c).name().equals(s)) {
                        out.add(c);
                    }
                }
            } else if (t.getName().startsWith("java.time.")) {
                out.add(t.getMethod("parse", CharSequence.class).invoke(null, s));
            }
        } catch (ReflectiveOperationException | RuntimeException notThatType) {
            // The text is not a value of the type: no key with it.
        }
        return out;
    }

    private static void addNumbers(String s, List<Object> out) {
        try {
            long l = Long.parseLong(s);
            out.add(l);
            if (l == (int) l) {
                out.add((int) l);
            }
        } catch (NumberFormatException notANumber) {
            // only the text
        }
    }

    /**
     * The declared type that {@code steps} reach from {@code root} (a getter's return type, an accessor's,
     * or a field's), as {@link PropertyPath} reads them; {@code null} where a step is not found.
     */
    static Class<?> typeOf(Class<?> root, List<String> steps) {
        Class<?> t = root;
        for (String name : steps) {
            if (t == null) {
                return null;
            }
            t = stepType(t, name);
        }
        return t;
    }

    private static Class<?> stepType(Class<?> type, String name) {
        String cap = Character.toUpperCase(name.charAt(0)) + name.substring(1);
        for (String candidate : new String[] {"get" + cap, "is" + cap, name}) {
            try {
                Method m = type.getMethod(candidate);
                if (m.getReturnType() != void.class && !Modifier.isStatic(m.getModifiers())) {
                    return m.getReturnType();
                }
            } catch (NoSuchMethodException | RuntimeException e) {
                // the next way
            }
        }
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                if (!Modifier.isStatic(f.getModifiers())) {
                    return f.getType();
                }
            } catch (NoSuchFieldException | RuntimeException e) {
                // the superclass
            }
        }
        return null;
    }
}
