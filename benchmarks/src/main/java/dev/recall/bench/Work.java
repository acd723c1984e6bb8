package dev.recall.bench;

/**
 * The method being cached, made trivial (an array read) so that what the benchmarks measure is the
 * caching around it, not the work. Three key shapes: one {@code long}; a {@code String} and an
 * {@code int}; one object whose key is a property ({@code order.id}).
 */
public final class Work {

    static final int KEYS = 1024;
    private static final String[] VALUES = new String[KEYS];

    static {
        for (int i = 0; i < KEYS; i++) {
            VALUES[i] = "value-" + i;
        }
    }

    private Work() {
    }

    public static String byLong(long id) {
        return VALUES[(int) (id & (KEYS - 1))];
    }

    public static String byTwo(String sku, int quantity) {
        return VALUES[(sku.hashCode() + quantity) & (KEYS - 1)];
    }

    public static String byOrder(Order order) {
        return VALUES[(int) (order.getId() & (KEYS - 1))];
    }

    /** A bean with a getter, as an application's argument object would be. */
    public static final class Order {
        private final long id;
        private final String customer;

        public Order(long id, String customer) {
            this.id = id;
            this.customer = customer;
        }

        public long getId() {
            return id;
        }

        public String getCustomer() {
            return customer;
        }
    }

    /** The key the hand-written cache uses for two arguments: what a careful developer would write. */
    public record TwoKey(String sku, int quantity) {
    }
}
