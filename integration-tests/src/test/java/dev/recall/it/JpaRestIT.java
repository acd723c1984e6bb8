package dev.recall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.it.JpaApp.Response;
import dev.recall.it.JpaApp.Step;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 24 on a Spring Boot REST API over Spring Data JPA ({@code integration-tests/jpa-rest}): the shop, started
 * from its jar as users start it, with open-session-in-view on and off, each without the agent and with it and the
 * configuration file a backend engineer writes first ({@code jpa-rest-recall.yml}: the repositories' finders
 * cached, evictions on the service's writes). One scripted API session per JVM: reads of eager and lazy
 * associations, each twice; a rename by dirty checking that reads the customer again inside its transaction; an
 * order persisted with a cascade to a customer loaded through a cached finder (the "detached entity passed to
 * persist" of issue 24); writes that make several regions stale. Every answer with the agent must be the one
 * without, and so must the rows of every table at the end.
 */
class JpaRestIT {

    private static final Path JAR = Paths.get(System.getProperty("recall.it.jpaRestJar", "jpa-rest/target/jpa-rest.jar"))
            .toAbsolutePath().normalize();
    static final String CONFIG = "jpa-rest-recall.yml";

    static final List<Step> SCRIPT = List.of(
            Step.get("customer-1", "/api/customers/1"),
            Step.get("customer-1-again", "/api/customers/1"),
            Step.get("customer-3", "/api/customers/3"),
            Step.get("by-email", "/api/customers?email=ada@example.com"),
            Step.get("by-email-again", "/api/customers?email=ada@example.com"),
            Step.get("alan-by-email", "/api/customers?email=alan@example.com"),
            Step.get("by-name", "/api/customers?prefix=A"),
            Step.get("by-name-again", "/api/customers?prefix=A"),
            Step.get("orders-page", "/api/customers/1/orders"),
            Step.get("orders-page-again", "/api/customers/1/orders"),
            Step.get("orders-page-2", "/api/customers/2/orders"),
            Step.get("orders-lazy", "/api/customers/1/orders-lazy"),
            Step.get("orders-lazy-again", "/api/customers/1/orders-lazy"),
            Step.get("orders-of-1", "/api/orders?customer=1"),
            Step.get("orders-of-1-again", "/api/orders?customer=1"),
            Step.get("orders-of-2", "/api/orders?customer=2"),
            Step.get("orders-of-3", "/api/orders?customer=3"),
            Step.get("product-11", "/api/products/11"),
            Step.get("product-11-again", "/api/products/11"),
            Step.get("product-21", "/api/products/21"),
            Step.get("books", "/api/products?category=books"),
            Step.get("books-again", "/api/products?category=books"),
            Step.get("games", "/api/products?category=games"),
            Step.get("music", "/api/products?category=music"),
            // A rename by dirty checking; the answer is the customer read again inside the transaction.
            Step.put("rename-1", "/api/customers/1/name", "Ada King"),
            Step.get("customer-1-renamed", "/api/customers/1"),
            Step.get("by-name-renamed", "/api/customers?prefix=A"),
            Step.get("by-email-renamed", "/api/customers?email=ada@example.com"),
            Step.get("orders-page-renamed", "/api/customers/1/orders"),
            // An order that refers to a customer loaded by the cached finder, persisted by cascade.
            Step.post("order-1", "/api/customers/1/orders?product=12&quantity=3", null),
            Step.get("customer-1-ordered", "/api/customers/1"),
            Step.get("orders-of-1-ordered", "/api/orders?customer=1"),
            Step.get("orders-page-ordered", "/api/customers/1/orders"),
            Step.get("orders-lazy-ordered", "/api/customers/1/orders-lazy"),
            Step.post("order-3", "/api/customers/3/orders?product=21&quantity=1", null),
            Step.get("customer-3-ordered", "/api/customers/3"),
            Step.get("orders-of-3-ordered", "/api/orders?customer=3"),
            // A product moved to another category: the product, two category lists, every order showing it.
            Step.put("move-21", "/api/products/21/category", "music"),
            Step.get("product-21-moved", "/api/products/21"),
            Step.get("games-moved", "/api/products?category=games"),
            Step.get("music-moved", "/api/products?category=music"),
            Step.get("orders-of-1-moved", "/api/orders?customer=1"),
            Step.get("orders-of-3-moved", "/api/orders?customer=3"),
            Step.get("orders-page-moved", "/api/customers/1/orders"),
            Step.put("price-11", "/api/products/11/price", "1399"),
            Step.get("product-11-priced", "/api/products/11"),
            Step.get("books-priced", "/api/products?category=books"),
            Step.get("orders-of-1-priced", "/api/orders?customer=1"),
            Step.put("email-2", "/api/customers/2/email", "turing@example.com"),
            Step.get("alan-by-old-email", "/api/customers?email=alan@example.com"),
            Step.get("alan-by-new-email", "/api/customers?email=turing@example.com"),
            Step.get("customer-2-emailed", "/api/customers/2"),
            Step.delete("delete-order-2", "/api/orders/2"),
            Step.get("orders-of-2-deleted", "/api/orders?customer=2"),
            Step.get("customer-2-deleted", "/api/customers/2"),
            Step.get("orders-page-2-deleted", "/api/customers/2/orders"),
            Step.put("rename-missing", "/api/customers/999/name", "Nobody"),
            Step.get("customer-1-last", "/api/customers/1"),
            Step.get("rows", "/api/rows"));

    /** Per open-in-view setting: the answers without the agent, then with it. */
    private static final Map<Boolean, Map<String, Response>> WITHOUT = new LinkedHashMap<>();
    private static final Map<Boolean, Map<String, Response>> WITH = new LinkedHashMap<>();
    private static final Map<Boolean, List<JpaApp.Figures>> FIGURES = new LinkedHashMap<>();
    private static final StringBuilder REPORT = new StringBuilder();

    @BeforeAll
    static void runTheShopWithoutAndWithTheAgent() throws Exception {
        for (boolean osiv : new boolean[] {true, false}) {
            String setting = "--spring.jpa.open-in-view=" + osiv;
            // The two JVMs of a setting side by side: each has its own in-memory database.
            CompletableFuture<Map<String, Response>> plain = CompletableFuture.supplyAsync(() -> session(null, setting, null));
            List<JpaApp.Figures> figures = new ArrayList<>();
            Map<String, Response> cached;
            try {
                cached = session(CONFIG, setting, figures);
            } finally {
                plain.exceptionally(e -> null).join(); // its JVM is stopped before this one fails
            }
            WITHOUT.put(osiv, plain.join());
            WITH.put(osiv, cached);
            FIGURES.put(osiv, figures);
        }
        System.out.println(REPORT);
    }

    private static Map<String, Response> session(String config, String setting, List<JpaApp.Figures> figures) {
        try {
            JpaApp app = JpaApp.start(JAR, config, "--server.port=", "/api/rows", setting, "--server.address=127.0.0.1");
            Map<String, Response> answers;
            try {
                answers = app.run(SCRIPT);
                if (figures != null) {
                    figures.addAll(app.figures());
                    synchronized (REPORT) {
                        REPORT.append("== the shop with the agent, ").append(setting).append(" on ").append(AppJvm.JAVA).append('\n');
                        figures.forEach(f -> REPORT.append("  ").append(f).append('\n'));
                        REPORT.append("  repository reads: ").append(JpaApp.hitRatio(figures, "Repository.")).append('\n');
                        app.stats().forEach(l -> REPORT.append("  | ").append(l).append('\n'));
                    }
                }
            } finally {
                Result out = app.stop();
                if (figures != null) {
                    synchronized (REPORT) {
                        out.stderr().stream().filter(l -> l.contains("[recall]")).forEach(l -> REPORT.append("  ").append(l).append('\n'));
                    }
                }
            }
            return answers;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void withOpenSessionInViewEveryAnswerAndRowIsTheOneWithoutTheAgent() {
        assertSame(true);
    }

    @Test
    void withoutOpenSessionInViewEveryAnswerAndRowIsTheOneWithoutTheAgent() {
        assertSame(false);
    }

    private static void assertSame(boolean osiv) {
        List<String> d = JpaApp.differences(SCRIPT, WITHOUT.get(osiv), WITH.get(osiv));
        assertTrue(d.isEmpty(), "open-in-view=" + osiv + ": " + d.size() + " answers differ with the agent:\n"
                + String.join("\n", d) + "\n" + REPORT);
    }

    /** The script shows what it claims, without the agent: otherwise equal answers would prove nothing. */
    @Test
    void theScriptExercisesWhatItClaims() {
        for (boolean osiv : new boolean[] {true, false}) {
            Map<String, Response> r = WITHOUT.get(osiv);
            assertTrue(r.get("rename-1").body().contains("\"name\":\"Ada King\""), "the rename answers the new name: " + r.get("rename-1"));
            assertTrue(r.get("customer-1-renamed").body().contains("Ada King"), r.get("customer-1-renamed").toString());
            assertEquals(201, r.get("order-1").status(), "an order of a customer loaded by the finder: " + r.get("order-1"));
            assertTrue(r.get("customer-1-ordered").body().contains("\"orderCount\":2"), r.get("customer-1-ordered").toString());
            assertTrue(r.get("music-moved").body().contains("Go board"), r.get("music-moved").toString());
            assertTrue(r.get("orders-of-1-priced").body().contains("1399"), r.get("orders-of-1-priced").toString());
            assertEquals("[]", r.get("alan-by-old-email").body());
            assertEquals(404, r.get("rename-missing").status());
            assertTrue(r.get("rows").body().contains("Ada King"), r.get("rows").toString());
            // The lazy orders read in the controller: only open-in-view lets that work.
            assertEquals(osiv ? 200 : 500, r.get("orders-lazy").status(), "orders-lazy with open-in-view=" + osiv);
        }
    }
}
