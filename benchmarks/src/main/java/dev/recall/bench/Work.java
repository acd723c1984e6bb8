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
    /** A small mutable entity of six fields, as a JPA repository returns one: held by value by Recall's copy: auto. */
    public static final class Owner {
        private Long id;
        private String firstName;
        private String lastName;
        private String address;
        private String city;
        private String telephone;

        public Owner(long id) {
            this.id = id;
            this.firstName = "George";
            this.lastName = "Franklin" + id;
            this.address = "110 W. Liberty St.";
            this.city = "Madison";
            this.telephone = "6085551023";
        }

        /** The copy a careful hand-written cache makes for its callers. */
        public Owner(Owner o) {
            this.id = o.id;
            this.firstName = o.firstName;
            this.lastName = o.lastName;
            this.address = o.address;
            this.city = o.city;
            this.telephone = o.telephone;
        }

        public String getLastName() {
            return lastName;
        }
    }

    public static Owner owner(long id) {
        return new Owner(id);
    }

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
