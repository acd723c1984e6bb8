package dev.recall.agent.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.agent.config.StrategyKind;
import dev.recall.agent.key.KeyBytes;
import dev.recall.agent.key.KeyFunction;
import dev.recall.agent.key.KeyTemplate;
import dev.recall.bridge.Call;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The site made for each read method ({@link CompiledSites}, of a class made for its kind of key) keys its calls exactly as the shared key function
 * does: the same key for the same values (so a compiled reader and any other method of its region meet), a key
 * of its own for every value that differs by class or state. Each value below is of another type class: null,
 * strings (and the string "null"), boxes of each primitive, the same number in two boxes, arrays by content,
 * a bean by its state, an enum, JDK value types.
 */
class CompiledReadsTest {

    /** A bean without equals: keyed by its state, never by identity. */
    static final class Bean {
        long id;
        String name;

        Bean(long id, String name) {
            this.id = id;
            this.name = name;
        }

        public long getId() {
            return id;
        }
    }

    enum Colour { RED, GREEN }

    /** One value of each type class, and values that must stay apart from one another. */
    private static List<Object> values() {
        List<Object> v = new ArrayList<>();
        v.add(null);
        v.add("null");
        v.add("5");
        v.add("");
        v.add(5);
        v.add(5L);
        v.add((short) 5);
        v.add((byte) 5);
        v.add(5.0);
        v.add(5.0f);
        v.add('5');
        v.add(true);
        v.add(1_000_000);
        v.add(1_000_000L);
        v.add(new BigDecimal("5"));
        v.add(new BigDecimal("5.0"));
        v.add(UUID.fromString("00000000-0000-0000-0000-000000000005"));
        v.add(LocalDate.of(2026, 12, 7));
        v.add(Colour.RED);
        v.add(Colour.GREEN);
        v.add(new int[] {5});
        v.add(new long[] {5});
        v.add(new String[] {"5"});
        v.add(new Bean(5, "five"));
        v.add(new Bean(5, "FIVE"));
        v.add(List.of(5));
        v.add(new ArrayList<>(List.of(5))); // the same elements in another class: another key
        return v;
    }

    /** The same value as {@code v}, another instance wherever that is possible (boxes beyond the small-integer cache). */
    private static Object copyOf(Object v) {
        if (v instanceof int[] a) {
            return a.clone();
        }
        if (v instanceof long[] a) {
            return a.clone();
        }
        if (v instanceof String[] a) {
            return a.clone();
        }
        if (v instanceof Bean b) {
            return new Bean(b.id, b.name);
        }
        if (v instanceof String s) {
            return new String(s);
        }
        if (v instanceof Integer i) {
            return Integer.valueOf(i.intValue() + 0);
        }
        if (v instanceof Long l) {
            return Long.valueOf(l.longValue() + 0);
        }
        return v; // a List.of: another list of its elements would be another class, a key of its own
    }

    private static ReadMethod compiled(String template, int arity, StrategyKind strategy) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < arity; i++) {
            names.add("p" + i);
        }
        String params = String.join(",", java.util.Collections.nCopies(arity, "java.lang.Object"));
        MethodSpec spec = TestMethods.readSpec("com.acme.Repo.find(" + params + ")", "compiled-" + template + arity,
                TestMethods.key(template, names), strategy, true);
        ReadMethod m = CompiledSites.create(spec, TestMethods.region("compiled-" + template + arity), strategy == StrategyKind.READ_THROUGH);
        assertTrue(m.getClass().isHidden(), "a class made for its kind of key");
        return m;
    }

    private static Object keyOf(ReadMethod m, Object... args) {
        return switch (args.length) {
            case 1 -> m.keyOf(null, args[0], null, null);
            case 2 -> m.keyOf(null, args[0], args[1], null);
            default -> m.keyOf(null, null, null, args);
        };
    }

    private static Object shared(KeyFunction f, Object... args) {
        return switch (args.length) {
            case 1 -> f.key(null, args[0], null, null);
            case 2 -> f.key(null, args[0], args[1], null);
            default -> f.key(null, null, null, args);
        };
    }

    /** Every pair of values, in every position of the method's key: equal exactly when the values are the same. */
    private static void assertExact(String template, int arity) {
        ReadMethod m = compiled(template, arity, StrategyKind.READ_THROUGH);
        KeyFunction f = m.spec.key().function();
        List<Object> values = values();
        for (int position = 0; position < arity; position++) {
            for (int i = 0; i < values.size(); i++) {
                for (int j = 0; j < values.size(); j++) {
                    Object[] a = filler(arity);
                    Object[] b = filler(arity);
                    a[position] = values.get(i);
                    b[position] = copyOf(values.get(j));
                    Object ka = keyOf(m, a);
                    Object kb = keyOf(m, b);
                    String what = template + " at " + position + ": " + Arrays.deepToString(a) + " / " + Arrays.deepToString(b);
                    if (i == j) {
                        assertEquals(ka, kb, what);
                        assertEquals(ka.hashCode(), kb.hashCode(), what);
                    } else {
                        assertNotEquals(ka, kb, what);
                    }
                    // The compiled site and the shared function make one key: methods of a region meet.
                    assertEquals(shared(f, a), ka, what);
                    assertEquals(ka, shared(f, a), what);
                    if (!(values.get(i) instanceof Bean) && !(values.get(i) instanceof List)) {
                        assertTrue(Arrays.equals(KeyBytes.of(shared(f, a)), KeyBytes.of(ka)), what);
                    }
                }
            }
        }
    }

    private static Object[] filler(int arity) {
        Object[] a = new Object[arity];
        for (int i = 0; i < arity; i++) {
            a[i] = "other-" + i;
        }
        return a;
    }

    @Test
    void allArgumentsKeysAreExactAtEveryArity() {
        assertExact("", 1);
        assertExact("", 2);
        assertExact("", 3);
    }

    @Test
    void templateKeysAreExactWithOneTwoAndThreePlaceholders() {
        assertExact("{0}", 1);
        assertExact("user:{0}", 1);
        assertExact("sku:{0}:{1}", 2);
        assertExact("{1}{0}", 2);
        assertExact("{0}/{1}/{2}", 3);
    }

    @Test
    void aPropertyPathIsReadThroughTheCompiledSite() {
        ReadMethod m = compiled("{0.id}", 1, StrategyKind.CACHE_ASIDE);
        assertEquals(5L, m.keyOf(null, new Bean(5, "a"), null, null));
        assertEquals(m.keyOf(null, new Bean(5, "a"), null, null), m.keyOf(null, new Bean(5, "b"), null, null));
        assertNotEquals(m.keyOf(null, new Bean(5, "a"), null, null), m.keyOf(null, new Bean(6, "a"), null, null));
        assertNotEquals(5, m.keyOf(null, new Bean(5, "a"), null, null), "a long is not an int");
    }

    @Test
    void aCompiledReaderAndASharedOneMeetInTheirRegion() {
        // Two methods of one region: a reader made as each method is (its own class) and one of the shared class.
        MethodSpec spec = TestMethods.readSpec("com.acme.Repo.find(java.lang.String,int)", "meet",
                TestMethods.key("sku:{0}:{1}", List.of("sku", "qty")), StrategyKind.READ_THROUGH, true);
        dev.recall.agent.store.Region region = TestMethods.region("meet");
        ReadMethod compiled = CompiledSites.create(spec, region, true);
        ReadMethod plain = new ReadThroughMethod(spec, region);
        assertNotSame(plain.getClass(), compiled.getClass());
        Object call = plain.enter(null, "SKU-1", 300, null);
        assertTrue(call instanceof Call);
        plain.exit((Call) call, "loaded", null);
        assertEquals("loaded", compiled.lookup(null, "SKU-1", Integer.valueOf(300), null));
        assertEquals("loaded", compiled.enter(null, new String("SKU-1"), Integer.valueOf(300), null));
        assertTrue(compiled.enter(null, "SKU-1", 300L, null) instanceof Call, "300L is not 300");
    }

    @Test
    void methodsOfOneKindOfKeyShareAClassAndEachGetsTheStrategyItNamed() {
        ReadMethod a = compiled("", 1, StrategyKind.READ_THROUGH);
        ReadMethod b = compiled("", 1, StrategyKind.READ_THROUGH);
        ReadMethod c = compiled("", 1, StrategyKind.CACHE_ASIDE);
        ReadMethod d = compiled("sku:{0}:{1}", 2, StrategyKind.READ_THROUGH);
        assertSame(a.getClass(), b.getClass(), "one class per kind of key function, not per method");
        assertNotSame(a.getClass(), c.getClass());
        assertNotSame(a.getClass(), d.getClass());
        assertTrue(a instanceof ReadThroughMethod && a.coalesce);
        assertTrue(!(c instanceof ReadThroughMethod) && !c.coalesce);
        assertSame(a.spec.key().function(), a.keys);
    }

    @Test
    void aKeyOfNoArgumentsIsOneConstant() {
        ReadMethod m = compiled("", 0, StrategyKind.READ_THROUGH);
        assertSame(m.keyOf(null, null, null, new Object[0]), m.keyOf(null, null, null, new Object[0]));
        KeyTemplate constant = TestMethods.key("all", List.of("x"));
        assertSame(constant.function().key(null, 1, null, null), constant.function().key(null, 2, null, null));
    }
}
