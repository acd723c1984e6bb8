package dev.recall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The sample HTTP service, run as users run it ({@code java -jar recall-sample.jar serve}), once without
 * and once with the agent: the same answers, and after a write no endpoint serves the old value. The
 * subclasses say which database the two services use.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CatalogueServiceChecks {

    private static final Path SAMPLE_JAR = Paths.get(System.getProperty("recall.it.sampleJar"));
    private static final String SAMPLE_CONFIG = System.getProperty("recall.it.sampleConfig");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final List<String> READS = List.of("products/7", "products/1999", "products/search?q=tent",
            "categories/audio/stats", "categories/books/stats", "products/7/price?currency=USD", "products/7/price?currency=JPY",
            "products/424242", "products/7/price");

    private AppJvm.Running plain;
    private AppJvm.Running cached;
    protected URI plainUri;
    protected URI cachedUri;

    /** The arguments of {@code serve} that choose the database of the service without ({@code cached == false}) or with the agent. */
    protected abstract List<String> databaseArgs(boolean cached);

    @BeforeAll
    void start() {
        // One after the other: services that share a database each seed it, and seeding replaces the tables.
        plain = AppJvm.jar(SAMPLE_JAR).withoutAgent().args(serve(false)).start();
        plainUri = uri(plain);
        cached = AppJvm.jar(SAMPLE_JAR).agentOptions("config=" + SAMPLE_CONFIG).args(serve(true)).start();
        cachedUri = uri(cached);
    }

    private String[] serve(boolean cached) {
        List<String> args = new ArrayList<>(List.of("serve", "--port", "0"));
        args.addAll(databaseArgs(cached));
        return args.toArray(String[]::new);
    }

    @AfterAll
    void stop() {
        for (AppJvm.Running r : new AppJvm.Running[] {plain, cached}) {
            if (r != null) {
                r.stop();
            }
        }
    }

    @Test
    void withAndWithoutTheAgentEveryEndpointAnswersTheSame() throws Exception {
        for (int round = 0; round < 3; round++) {
            for (String path : READS) {
                Response a = get(plainUri, path);
                Response b = get(cachedUri, path);
                assertEquals(a.status, b.status, path);
                assertEquals(a.body, b.body, path + " (round " + round + ")");
            }
        }
        assertEquals(404, get(cachedUri, "products/424242").status);
        assertEquals(400, get(cachedUri, "products/7/price").status);
    }

    @Test
    void afterAWriteNoEndpointServesTheOldValue() throws Exception {
        // Fill every cache that shows product 11 first.
        String search = "products/search?q=" + firstNameWord(get(cachedUri, "products/11").body);
        String before = get(cachedUri, "products/11").body;
        String beforePrice = get(cachedUri, "products/11/price?currency=USD").body;
        String beforeSearch = get(cachedUri, search).body;
        assertTrue(beforeSearch.contains("\"id\":11,"), "the search shows product 11: " + beforeSearch);
        String category = field(before, "category");
        String otherCategory = category.equals("books") ? "audio" : "books";
        String beforeStats = get(cachedUri, "categories/" + category + "/stats").body;
        get(cachedUri, "categories/" + otherCategory + "/stats");

        Response put = send(cachedUri, "products/11", "{\"price\": 77.70, \"category\": \"" + otherCategory + "\"}");
        assertEquals(200, put.status, put.body);

        String after = get(cachedUri, "products/11").body;
        assertEquals(get(cachedUri, "admin/products/11").body, after, "product served as the database holds it");
        assertTrue(after.contains("\"price\":77.70"), after);
        assertNotEquals(beforePrice, get(cachedUri, "products/11/price?currency=USD").body);
        assertTrue(get(cachedUri, "products/11/price?currency=USD").body.contains("\"price\":84.18"), "77.70 x 1.0834");
        String afterSearch = get(cachedUri, search).body;
        assertEquals(get(cachedUri, "admin/" + search).body, afterSearch, "search pages dropped and recomputed");
        assertTrue(afterSearch.contains("{\"id\":11,\"sku\":\"SKU-000011\",") && afterSearch.contains("\"category\":\"" + otherCategory),
                "product 11 listed in its new category: " + afterSearch);
        for (String c : List.of(category, otherCategory)) {
            assertEquals(get(cachedUri, "admin/categories/" + c + "/stats").body, get(cachedUri, "categories/" + c + "/stats").body,
                    "stats of " + c + " after the product moved");
        }
        assertNotEquals(beforeStats, get(cachedUri, "categories/" + category + "/stats").body);
    }

    @Test
    void aPriceChangeLeavesSearchPagesCachedBecauseTheyShowNoPrice() throws Exception {
        String search = "products/search?q=" + firstNameWord(get(cachedUri, "products/12").body);
        String before = get(cachedUri, search).body;
        assertEquals(200, send(cachedUri, "products/12", "{\"price\": 12.12}").status);
        assertEquals(before, get(cachedUri, search).body);
        assertEquals(get(cachedUri, "admin/" + search).body, get(cachedUri, search).body);
        assertTrue(get(cachedUri, "products/12").body.contains("\"price\":12.12"));
    }

    @Test
    void concurrentWritesAndReadsLeaveTheCacheEqualToTheDatabase() throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int t = 0; t < 6; t++) {
            int thread = t;
            threads.add(new Thread(() -> {
                try {
                    for (int i = 0; i < 40; i++) {
                        long id = 20 + (i % 3);
                        if ((i + thread) % 4 == 0) {
                            send(cachedUri, "products/" + id, "{\"price\": " + (10 + thread) + "." + i % 10 + "0}");
                        } else {
                            get(cachedUri, "products/" + id);
                            get(cachedUri, "products/" + id + "/price?currency=GBP");
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join(60_000);
        }
        assertEquals(List.of(), failures);
        for (long id = 20; id <= 22; id++) {
            assertEquals(get(cachedUri, "admin/products/" + id).body, get(cachedUri, "products/" + id).body, "product " + id);
        }
    }

    static String firstNameWord(String productJson) throws Exception {
        return field(productJson, "name").split(" ")[1].toLowerCase();
    }

    static String field(String json, String name) throws Exception {
        JsonNode value = JSON.readTree(json).get(name);
        assertTrue(value != null && value.isTextual(), name + " in " + json);
        return value.textValue();
    }

    record Response(int status, String body) {
    }

    static Response get(URI base, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.body());
    }

    static Response send(URI base, String path, String json) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.body());
    }

    private static URI uri(AppJvm.Running r) {
        String line = r.awaitLine("catalogue service listening on ", Duration.ofSeconds(60));
        return URI.create(line.split(" ")[4]);
    }
}
