package dev.recall.it.app;

import dev.recall.Cached;
import java.util.List;

/**
 * Every kind of method the contract says is cached: instance, static, private, final, self-invoked,
 * primitive-returning, generic overrides; plus null results, exceptions and key templates.
 */
public class MethodKindsApp {

    @Cached
    public String instanceMethod(int x) {
        Counter.ran("instance");
        return "i" + x;
    }

    @Cached
    public static String staticMethod(int x) {
        Counter.ran("static");
        return "s" + x;
    }

    @Cached
    private String privateMethod(int x) {
        Counter.ran("private");
        return "p" + x;
    }

    @Cached
    public final String finalMethod(int x) {
        Counter.ran("final");
        return "f" + x;
    }

    /** Calls a cached method of its own class: a proxy-based cache would miss these. */
    public String selfInvoking(int x) {
        return privateMethod(x) + privateMethod(x) + finalMethod(x);
    }

    @Cached
    public long primitive(long x) {
        Counter.ran("primitive");
        return x * 3;
    }

    @Cached
    public boolean primitiveBoolean(int x) {
        Counter.ran("primitiveBoolean");
        return x % 2 == 0;
    }

    @Cached
    public String noArguments() {
        Counter.ran("noArguments");
        return "constant";
    }

    @Cached
    public String nullResult(String key) {
        Counter.ran("nullResult");
        return null;
    }

    private int throwingCalls;

    /** Throws on its first call: exceptions are never cached, so the second call runs again. */
    @Cached
    public String throwsOnce(String key) {
        Counter.ran("throwsOnce");
        if (throwingCalls++ == 0) {
            throw new IllegalStateException("first call fails");
        }
        return "recovered";
    }

    @Cached
    public String twoArguments(String a, int b) {
        Counter.ran("twoArguments");
        return a + b;
    }

    @Cached
    public int sum(int[] values) {
        Counter.ran("sum");
        int s = 0;
        for (int v : values) {
            s += v;
        }
        return s;
    }

    @Cached(key = "{customerId}")
    public String byName(String ignored, long customerId) {
        Counter.ran("byName");
        return ignored + customerId;
    }

    public record Customer(long id, String name) {
    }

    public record Order(String number, Customer customer) {
    }

    @Cached(key = "{order.customer.id}")
    public String byPath(Order order) {
        Counter.ran("byPath");
        return order.customer().name();
    }

    @Cached(key = "sku:{sku}:{currency}")
    public String byLiteral(String sku, String currency, int noise) {
        Counter.ran("byLiteral");
        return sku + currency + noise;
    }

    /** Two readers of one region with the same key see each other's entries. */
    @Cached(cache = "shared-region", key = "{0}")
    public String sharedA(long id) {
        Counter.ran("sharedA");
        return "A" + id;
    }

    @Cached(cache = "shared-region", key = "{0}")
    public String sharedB(long id) {
        Counter.ran("sharedB");
        return "B" + id;
    }

    /** A generic override: the compiler adds a bridge method, which must not be cached a second time. */
    interface Loader<T> {
        T load(T key);
    }

    static final class StringLoader implements Loader<String> {
        @Cached
        @Override
        public String load(String key) {
            Counter.ran("genericOverride");
            return key.toUpperCase();
        }
    }

    /**
     * Keyed by a path that meets null when the order has no customer: such a call has no key of its own
     * and must run, or one order would be answered with another's number.
     */
    @Cached(key = "{order.customer.id}")
    public String label(Order order) {
        Counter.ran("label");
        return order.number() + ":" + (order.customer() == null ? "none" : order.customer().name());
    }

    /** The receiver's state is part of what a call means: instances that differ must not share entries. */
    public static final class Ent {
        private final String name;

        Ent(String name) {
            this.name = name;
        }

        @Cached
        public String describe() {
            Counter.ran("receiver");
            return "I am " + name;
        }

        @Cached(cache = "tables", key = "{this.name}:{0}")
        public String row(int id) {
            Counter.ran("thisKey");
            return name + "#" + id;
        }
    }

    /** {@code @Cached} on a default method: the interface's own code is woven. */
    public interface Greeter {
        @Cached
        default String greet(String name) {
            Counter.ran("defaultMethod");
            return "hello " + name;
        }
    }

    static final class PlainGreeter implements Greeter {
    }

    /** Two methods with equal arguments but no region name: the default region is the method. */
    @Cached
    public String collideA(long id) {
        Counter.ran("collideA");
        return "a";
    }

    @Cached
    public String collideB(long id) {
        Counter.ran("collideB");
        return "b";
    }

    public static void main(String[] args) {
        MethodKindsApp app = new MethodKindsApp();
        Counter.print("instance.results", List.of(app.instanceMethod(1), app.instanceMethod(1), app.instanceMethod(2)));
        Counter.print("static.results", List.of(staticMethod(1), staticMethod(1), staticMethod(2)));
        Counter.print("selfInvoking.result", app.selfInvoking(7) + "," + app.selfInvoking(7));
        Counter.print("primitive.results", List.of(app.primitive(5), app.primitive(5), app.primitive(6)));
        Counter.print("primitiveBoolean.results", List.of(app.primitiveBoolean(2), app.primitiveBoolean(2), app.primitiveBoolean(3)));
        Counter.print("noArguments.results", List.of(app.noArguments(), app.noArguments()));
        Counter.print("nullResult.results", app.nullResult("k") + "," + app.nullResult("k"));
        String first;
        try {
            first = app.throwsOnce("k");
        } catch (IllegalStateException e) {
            first = "threw";
        }
        Counter.print("throwsOnce.results", List.of(first, app.throwsOnce("k"), app.throwsOnce("k")));
        Counter.print("twoArguments.results", List.of(app.twoArguments("a", 1), app.twoArguments("a", 1),
                app.twoArguments("a", 2), app.twoArguments("b", 1)));
        Counter.print("sum.results", List.of(app.sum(new int[] {1, 2}), app.sum(new int[] {1, 2}), app.sum(new int[] {2, 2})));
        Counter.print("byName.results", List.of(app.byName("x", 9), app.byName("y", 9), app.byName("x", 10)));
        Order o1 = new Order("o-1", new Customer(42, "Ada"));
        Order o2 = new Order("o-2", new Customer(42, "Someone else"));
        Order o3 = new Order("o-3", new Customer(43, "Bob"));
        Counter.print("byPath.results", List.of(app.byPath(o1), app.byPath(o2), app.byPath(o3)));
        Counter.print("byLiteral.results", List.of(app.byLiteral("A1", "EUR", 1), app.byLiteral("A1", "EUR", 2),
                app.byLiteral("A1", "USD", 1)));
        Counter.print("shared.results", List.of(app.sharedA(1), app.sharedB(1)));
        Loader<String> loader = new StringLoader();
        Counter.print("genericOverride.results", List.of(loader.load("x"), loader.load("x")));
        Counter.print("collide.results", List.of(app.collideA(1), app.collideB(1)));
        Counter.print("label.results", List.of(app.label(new Order("o-5", null)), app.label(new Order("o-6", null)),
                app.label(o1), app.label(o2)));
        Counter.print("receiver.results", List.of(new Ent("alice").describe(), new Ent("bob").describe(),
                new Ent("alice").describe()));
        Counter.print("thisKey.results", List.of(new Ent("owners").row(1), new Ent("vets").row(1), new Ent("owners").row(1)));
        Greeter greeter = new PlainGreeter();
        Counter.print("defaultMethod.results", List.of(greeter.greet("x"), greeter.greet("x"), greeter.greet("y")));
        Counter.printCounts();
    }
}
