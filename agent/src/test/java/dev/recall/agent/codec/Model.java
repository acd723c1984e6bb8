package dev.recall.agent.codec;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/** Application-like types the codec tests write and read; allowed by {@link #ALLOW}. */
final class Model {

    static final String ALLOW = "dev.recall.agent.codec.Model$*";

    private Model() {
    }

    enum Color {
        RED,
        GREEN {
            @Override
            public String toString() {
                return "green, with a body of its own";
            }
        },
        BLUE
    }

    record Point(int x, int y) {
    }

    record Product(long id, String name, String category, BigDecimal price, List<String> tags, Instant updated) {
    }

    record Primitives(boolean z, byte b, short s, char c, int i, long j, float f, double d) {
    }

    record Validated(int n) {
        Validated {
            if (n < 0) {
                throw new IllegalArgumentException("negative");
            }
        }
    }

    record Holder(Object value) {
    }

    record Pair(Object left, Object right) {
    }

    record WithConcurrentMap(ConcurrentHashMap<String, Integer> map) {
    }

    record WithThread(Thread thread) {
    }

    private record Private(String secret) {
    }

    static Object privateRecord(String secret) {
        return new Private(secret);
    }

    static class Base {
        protected String region;
        private int visits;

        int visits() {
            return visits;
        }

        void visit() {
            visits++;
        }
    }

    /** Not Serializable, no no-arg constructor, a constructor with a side effect, final and transient fields. */
    static final class Customer extends Base {
        static int constructed;

        private final long id;
        private final String name;
        transient String scratch = "set by the constructor";
        private List<Order> orders = new ArrayList<>();
        private Customer referrer;

        Customer(long id, String name) {
            this.id = id;
            this.name = name;
            constructed++;
        }

        long id() {
            return id;
        }

        String name() {
            return name;
        }

        List<Order> orders() {
            return orders;
        }

        Customer referrer() {
            return referrer;
        }

        void referrer(Customer c) {
            referrer = c;
        }
    }

    static final class Order {
        final long id;
        final Customer customer;
        BigDecimal total;

        Order(long id, Customer customer, BigDecimal total) {
            this.id = id;
            this.customer = customer;
            this.total = total;
        }
    }

    /** Every primitive and box as fields of a plain class, for the untagged field encodings. */
    static final class AllFields {
        boolean z = true;
        byte b = -7;
        short s = Short.MIN_VALUE;
        char c = '\uFFFE';
        int i = Integer.MIN_VALUE;
        long j = Long.MAX_VALUE;
        float f = Float.NaN;
        double d = -0.0;
        Integer boxed = 42;
        Object anything = List.of(1, 2);
        int[] ints = {1, 2, 3};
        String[] strings = {"a", null, "c"};

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof AllFields)) {
                return false;
            }
            AllFields a = (AllFields) o;
            return z == a.z && b == a.b && s == a.s && c == a.c && i == a.i && j == a.j && Float.compare(f, a.f) == 0
                    && Double.compare(d, a.d) == 0 && Objects.equals(boxed, a.boxed) && Objects.equals(anything, a.anything)
                    && java.util.Arrays.equals(ints, a.ints) && java.util.Arrays.equals(strings, a.strings);
        }

        @Override
        public int hashCode() {
            return Objects.hash(i, j);
        }
    }

    static final class Node {
        Object value;
        Node next;

        Node(Object value, Node next) {
            this.value = value;
            this.next = next;
        }
    }

    /** An application class extending a JDK class whose state is private to java.base. */
    static final class Tags extends ArrayList<String> {
        private static final long serialVersionUID = 1L;
    }

    /** An ArrayList subclass with state of its own: the list's state cannot be read field by field. */
    static final class LabelledTags extends ArrayList<String> {
        private static final long serialVersionUID = 1L;
        String label;
    }

    /** A field whose declared type is a stateless ArrayList subclass, which the codec reads back as an ArrayList. */
    static final class WithTags {
        Tags tags;
    }

    /** An application class implementing Map itself: written as an ordinary object, by its fields. */
    static final class Settings extends java.util.AbstractMap<String, String> {
        private final String key;
        private final String value;

        Settings(String key, String value) {
            this.key = key;
            this.value = value;
        }

        @Override
        public java.util.Set<Map.Entry<String, String>> entrySet() {
            return java.util.Set.of(Map.entry(key, value));
        }
    }

    /** Date's time is a transient field: written by fields, it would come back as the epoch. */
    static final class Stamp extends java.util.Date {
        private static final long serialVersionUID = 1L;

        Stamp(long time) {
            super(time);
        }
    }

    interface Shape {
    }

    record Circle(double r) implements Shape {
    }

    record Square(double side) implements Shape {
    }

    static final class Resource implements AutoCloseable {
        @Override
        public void close() {
        }
    }
}
