package dev.recall.agent.key;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class KeyBytesTest {

    record Customer(long id, String country) {
    }

    /** No equals, no toString: compared by identity here, named by its fields across JVMs. */
    static final class Filter {
        final String field;
        final int limit;
        transient Object cache = new Object();

        Filter(String field, int limit) {
            this.field = field;
            this.limit = limit;
        }
    }

    static final class Node {
        Node next;
    }

    enum Color { RED, GREEN }

    private static boolean same(Object a, Object b) {
        return Arrays.equals(KeyBytes.of(a), KeyBytes.of(b));
    }

    @Test
    void everyValueTypeKeepsItsTypeAndWholeState() {
        Object[] distinct = {null, "", "null", "5", 5, 5L, (short) 5, (byte) 5, '5', 5.0, 5.0f, new BigDecimal("5"),
            new BigDecimal("5.0"), java.math.BigInteger.valueOf(5), true, "true", Color.RED, "RED", Color.GREEN,
            new java.util.Date(1000), new java.util.Date(1500), new Timestamp(1000), java.time.Instant.ofEpochMilli(1000),
            new Customer(1, "DE"), new Customer(1, "FR"), new Customer(11, ""), List.of("a"), List.of("a", ""),
            new int[] {5}, new long[] {5}, new String[] {"5"}, Set.of(), List.of(), Map.of(), String.class,
            java.util.Optional.empty(), java.util.Optional.of("5"), "\uD800", "\uDC00", "\uFFFD",
            ZonedDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneId.of("Europe/Paris")),
            ZonedDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneId.of("Europe/Berlin"))};
        Set<String> seen = new HashSet<>();
        for (Object v : distinct) {
            assertTrue(seen.add(Arrays.toString(KeyBytes.of(v))), () -> "two values share bytes, one of them " + v);
        }
        Timestamp a = new Timestamp(1000);
        Timestamp b = new Timestamp(1000);
        b.setNanos(123);
        assertFalse(same(a, b), "a Timestamp's nanoseconds count");
    }

    @Test
    void equalStateGivesEqualBytesWhateverTheIdentityOrOrder() {
        assertTrue(same(new Customer(1, "DE"), new Customer(1, "DE")));
        assertTrue(same(new Filter("name", 10), new Filter("name", 10)), "the state, not the identity (nor the transient field)");
        assertFalse(same(new Filter("name", 10), new Filter("name", 11)));
        Set<String> one = new HashSet<>();
        Set<String> other = new HashSet<>(1024);
        for (int i = 0; i < 100; i++) {
            one.add("k" + i);
            other.add("k" + (99 - i));
        }
        assertTrue(same(one, other), "a set in any order");
        Map<Color, Integer> m1 = new HashMap<>(Map.of(Color.RED, 1, Color.GREEN, 2));
        Map<Color, Integer> m2 = new HashMap<>(Map.of(Color.GREEN, 2, Color.RED, 1));
        assertTrue(same(m1, m2));
        assertFalse(same(m1, new HashMap<>(Map.of(Color.RED, 2, Color.GREEN, 1))));
        assertFalse(same(new HashSet<>(List.of("a")), new LinkedHashSet<>(List.of("a"))), "the collection's class is kept");
        assertFalse(same(new TreeMap<>(Map.of("a", "b")), new TreeMap<>(Map.of("ab", ""))));
    }

    @Test
    void keyStructuresNeverShareBytes() {
        assertFalse(same(Keys.ofArguments("a,b", "c"), Keys.ofArguments("a", "b,c")));
        assertFalse(same(Keys.NULL, "null"));
        assertFalse(same(Keys.NULL, Keys.NO_ARGUMENTS));
        assertFalse(same(Keys.ofArguments(new Object[] {"a", "b", "c"}), Keys.ofArguments(new Object[] {"a", "bc", ""})));
        String[] shape = {"user:", ""};
        assertFalse(same(Keys.ofTemplate(shape, Arrays.hashCode(shape), "5"), "user:5"));
        assertTrue(same(Keys.of(new int[] {1}), Keys.of(new int[] {1})));
        assertArrayEquals(KeyBytes.of(Keys.ofTemplate(shape, Arrays.hashCode(shape), "5")),
                KeyBytes.of(Keys.ofTemplate(new String[] {"user:", ""}, Arrays.hashCode(shape), "5")));
    }

    @Test
    void whatHasNoNameAcrossJvmsIsRefusedWithTheReason() {
        Node n = new Node();
        n.next = n;
        assertTrue(assertThrows(KeyBytes.Unnameable.class, () -> KeyBytes.of(n)).getMessage().contains("cycle"));
        Runnable lambda = () -> { };
        assertTrue(assertThrows(KeyBytes.Unnameable.class, () -> KeyBytes.of(lambda)).getMessage().contains("hidden"));
        assertTrue(assertThrows(KeyBytes.Unnameable.class, () -> KeyBytes.of(new Object())).getMessage().contains("identity"));
        List<Object> deep = new ArrayList<>();
        List<Object> at = deep;
        for (int i = 0; i < 100; i++) {
            List<Object> inner = new ArrayList<>();
            at.add(inner);
            at = inner;
        }
        assertThrows(KeyBytes.Unnameable.class, () -> KeyBytes.of(deep));
        // The same list shared twice is not a cycle.
        List<String> shared = List.of("x");
        assertEquals(KeyBytes.of(List.of(shared, List.of("x"))).length, KeyBytes.of(List.of(shared, shared)).length);
    }
}
