package dev.recall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.it.JpaApp.Response;
import dev.recall.it.JpaApp.Step;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Issue 24's race: a write evicts the key when its method returns, but its transaction commits later; a read in
 * between misses, loads the row as committed, the old one, and stores it. Without an eviction at the commit that
 * entry is served for a whole TTL after the write. The shop's {@code PUT /api/products/{id}/price?holdMs=N} changes
 * a price inside a transaction that stays open N ms after the evicting method returned; the test reads the product
 * (a cached finder whose entity copies) over and over meanwhile (each read sees the old price: the new one is not
 * committed), then once the write has answered, and that read must see the new price.
 */
class JpaTransactionRaceIT {

    private static final Path JAR = Paths.get(System.getProperty("recall.it.jpaRestJar", "jpa-rest/target/jpa-rest.jar"))
            .toAbsolutePath().normalize();

    @Test
    void aReadDuringAWritesTransactionLeavesNoOldRowCachedAfterItsCommit() throws Exception {
        JpaApp app = JpaApp.start(JAR, JpaRestIT.CONFIG, "--server.port=", "/api/rows", "--server.address=127.0.0.1");
        List<String> report = new ArrayList<>();
        try {
            for (int id : new int[] {11, 21, 31}) {
                String path = "/api/products/" + id;
                String old = app.send(Step.get("before", path)).body();
                String price = Integer.toString(7000 + id);
                CompletableFuture<Response> write = CompletableFuture.supplyAsync(
                        () -> app.send(Step.put("reprice", path + "/price?holdMs=1500", price)));
                int during = 0;
                while (!write.isDone()) {
                    Response r = app.send(Step.get("during", path));
                    if (!write.isDone()) {
                        assertEquals(old, r.body(), "a read while the price's transaction is open sees the committed row");
                        during++;
                    }
                    Thread.sleep(20);
                }
                assertEquals(200, write.join().status(), write.join().toString());
                Response after = app.send(Step.get("after", path));
 report.add("product " + id + ": " + during + " reads during the transaction, then " + after);
                assertTrue(during > 0, "no read ran while the transaction was open");
                assertTrue(after.body().contains("\"priceCents\":" + price),
                        "after the commit the product is still the old row, cached by a read during the transaction: " + after
                                + "\n" + report);
            }
            List<JpaApp.Figures> figures = app.figures();
            String hits = JpaApp.hitRatio(figures, "ProductRepository.findById");
            report.add("ProductRepository.findById: " + hits);
            // The reads during the transactions must have been answered from the cache, or nothing was at stake.
            assertTrue(figures.stream().anyMatch(f -> f.method().contains("ProductRepository.findById") && f.hits() > 0),
                    "ProductRepository.findById never hit: " + figures);
        } finally {
            app.stop();
            System.out.println(String.join("\n", report));
        }
    }
}
