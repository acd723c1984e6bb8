package dev.recall.sample.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.sample.db.CatalogueSeeder;
import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RequestPickerTest {

    private static final LoadSpec SPEC = LoadSpec.defaults(URI.create("http://127.0.0.1:8080/"));
    private static final Pattern PRICE_BODY = Pattern.compile("\\{\"price\": (\\d+\\.\\d\\d)}");

    private static List<PlannedRequest> take(RequestPicker picker, int n) {
        List<PlannedRequest> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(picker.next());
        }
        return out;
    }

    @Test
    void sameSeedSameRequests() {
        assertEquals(take(RequestPicker.create(SPEC), 500), take(RequestPicker.create(SPEC), 500));
        assertNotEquals(take(RequestPicker.create(SPEC), 500), take(RequestPicker.create(SPEC.withKeys(1.1, 2_000, 43)), 500));
        // Forks are repeatable too, and differ from each other.
        RequestPicker base = RequestPicker.create(SPEC);
        assertEquals(take(base.fork(1), 200), take(RequestPicker.create(SPEC).fork(1), 200));
        assertNotEquals(take(base.fork(1), 200), take(base.fork(2), 200));
    }

    @Test
    void requestsFollowTheMixAndTheRoutes() {
        Map<Endpoint, Integer> counts = new EnumMap<>(Endpoint.class);
        for (PlannedRequest r : take(RequestPicker.create(SPEC), 20_000)) {
            counts.merge(r.endpoint(), 1, Integer::sum);
            String path = r.uri().getRawPath();
            String query = r.uri().getRawQuery();
            assertTrue(r.uri().toString().startsWith("http://127.0.0.1:8080/"), r.uri().toString());
            switch (r.endpoint()) {
                case PRODUCT -> assertTrue(path.matches("/products/\\d+") && r.method().equals("GET") && query == null, path);
                case SEARCH -> {
                    assertEquals("/products/search", path);
                    assertTrue(RequestPicker.SEARCH_WORDS.contains(query.substring(2)), query);
                }
                case STATS -> {
                    Matcher m = Pattern.compile("/categories/([^/]+)/stats").matcher(path);
                    assertTrue(m.matches(), path);
                    assertTrue(CatalogueSeeder.CATEGORIES.contains(m.group(1)), path);
                }
                case PRICE -> {
                    assertTrue(path.matches("/products/\\d+/price"), path);
                    assertTrue(RequestPicker.CURRENCIES.contains(query.substring("currency=".length())), query);
                }
                case WRITE -> {
                    assertEquals("PUT", r.method());
                    assertTrue(path.matches("/products/\\d+"), path);
                    Matcher m = PRICE_BODY.matcher(r.body());
                    assertTrue(m.matches(), r.body());
                    BigDecimal price = new BigDecimal(m.group(1));
                    assertTrue(price.compareTo(new BigDecimal("5.00")) >= 0 && price.compareTo(new BigDecimal("500.00")) <= 0);
                }
            }
            if (r.endpoint() != Endpoint.WRITE) {
                assertNull(r.body());
            }
            if (r.endpoint() == Endpoint.PRODUCT || r.endpoint() == Endpoint.PRICE || r.endpoint() == Endpoint.WRITE) {
                long id = Long.parseLong(path.split("/")[2]);
                assertTrue(id >= 1 && id <= 2_000, path);
            }
        }
        assertEquals(0.40, counts.get(Endpoint.PRODUCT) / 20_000.0, 0.02);
        assertEquals(0.15, counts.get(Endpoint.SEARCH) / 20_000.0, 0.02);
        assertEquals(0.15, counts.get(Endpoint.STATS) / 20_000.0, 0.02);
        assertEquals(0.20, counts.get(Endpoint.PRICE) / 20_000.0, 0.02);
        assertEquals(0.10, counts.get(Endpoint.WRITE) / 20_000.0, 0.02);
    }

    @Test
    void hotProductsAreSkewedAndScatteredOverTheIdRange() {
        RequestPicker picker = RequestPicker.create(SPEC.withMix(Mix.parse("product=1")));
        Map<String, Integer> byId = new HashMap<>();
        for (PlannedRequest r : take(picker, 50_000)) {
            byId.merge(r.uri().getRawPath(), 1, Integer::sum);
        }
        String hottest = "/products/" + picker.hottestProduct();
        int top = byId.get(hottest);
        assertEquals(byId.values().stream().mapToInt(Integer::intValue).max().orElseThrow(), top);
        // Rank 1 gets about 1/H(2000, 1.1) = 17% of requests; uniform would give 0.05%.
        assertEquals(0.17, top / 50_000.0, 0.02);
        assertNotEquals("/products/1", hottest, "the shuffle should move the hot id away from 1 (for seed 42)");
    }

    @Test
    void aTargetWithoutTrailingSlashOrWithAPrefixWorks() {
        PlannedRequest r = RequestPicker.create(LoadSpec.defaults(URI.create("http://h:9000")).withMix(Mix.parse("product=1"))).next();
        assertTrue(r.uri().toString().startsWith("http://h:9000/products/"), r.uri().toString());
        r = RequestPicker.create(LoadSpec.defaults(URI.create("http://h:9000/shop")).withMix(Mix.parse("product=1"))).next();
        assertTrue(r.uri().toString().startsWith("http://h:9000/shop/products/"), r.uri().toString());
    }

    @Test
    void wireBytesCountRequestLineHeadersAndBody() {
        PlannedRequest get = new PlannedRequest(Endpoint.PRODUCT, "GET", URI.create("http://127.0.0.1:8080/products/7"), null);
        String agent = "User-Agent: Java-http-client/" + System.getProperty("java.version") + "\r\n";
        String expected = "GET /products/7 HTTP/1.1\r\n"
                + (Runtime.version().feature() < 19 ? "Content-Length: 0\r\n" : "")
                + "Host: 127.0.0.1:8080\r\n" + agent + "\r\n";
        assertEquals(expected.length(), get.wireBytes());
        PlannedRequest put = new PlannedRequest(Endpoint.WRITE, "PUT", URI.create("http://127.0.0.1:8080/products/7"),
                "{\"price\": 12.34}");
        String expectedPut = "PUT /products/7 HTTP/1.1\r\nContent-Length: 16\r\nHost: 127.0.0.1:8080\r\n" + agent
                + "Content-Type: application/json\r\n\r\n{\"price\": 12.34}";
        assertEquals(expectedPut.length(), put.wireBytes());
    }
}
