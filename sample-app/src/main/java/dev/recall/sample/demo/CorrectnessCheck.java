package dev.recall.sample.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.recall.sample.db.CatalogueSeeder;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * After the load, asks the service (with its caches full) and compares each answer with what the
 * database holds now, read through the service's never-cached {@code /admin/} endpoints; prices in other
 * currencies are checked against the rates API itself. A cache that served a stale value shows up here.
 */
final class CorrectnessCheck {

    /** The outcome: how many sampled responses matched, and the first mismatches. */
    record Outcome(int checked, int matched, List<String> mismatches) {
        boolean passed() {
            return checked > 0 && checked == matched;
        }

        String describe() {
            return matched + " of " + checked + " sampled responses equal the database's current values"
                    + (mismatches.isEmpty() ? "" : "; mismatches:\n  " + String.join("\n  ", mismatches));
        }
    }

    /** Decimals read as written, not through a double. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
    private static final List<String> CURRENCIES = List.of("USD", "GBP", "JPY", "CHF", "SEK");
    private static final List<String> WORDS = List.of("tent", "lamp", "chair", "novel", "speaker", "jacket", "kettle",
            "great", "broke", "quality");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI service;
    private final URI rates;
    private final List<String> mismatches = new ArrayList<>();
    private int checked;
    private int matched;

    private CorrectnessCheck(URI service, URI rates) {
        this.service = service;
        this.rates = rates;
    }

    /**
     * Waits (up to two minutes) until the service answers a cheap request quickly: requests the load
     * generator gave up on may still be running, and the check should not queue behind them.
     */
    static void awaitIdle(URI service) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            long began = System.nanoTime();
            try {
                http.send(HttpRequest.newBuilder(service.resolve("health")).timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (System.nanoTime() - began < 200_000_000L) {
                    return;
                }
            } catch (java.io.IOException busy) {
                // still draining
            }
            Thread.sleep(500);
        }
    }

    static Outcome run(URI service, URI rates, int products, long seed) throws Exception {
        CorrectnessCheck c = new CorrectnessCheck(service, rates);
        Random random = new Random(seed);
        for (int i = 0; i < 40; i++) {
            // Low ids too: whatever the load made popular, some of it is in this sample.
            long id = i < 10 ? i + 1 : 1 + random.nextInt(products);
            c.same("products/" + id, "admin/products/" + id);
            if (i % 4 == 0) {
                c.price(id, CURRENCIES.get(i / 4 % CURRENCIES.size()));
            }
        }
        for (String category : CatalogueSeeder.CATEGORIES) {
            String path = "categories/" + category + "/stats";
            c.same(path, "admin/" + path);
        }
        for (String word : WORDS) {
            String path = "products/search?q=" + URLEncoder.encode(word, StandardCharsets.UTF_8);
            c.same(path, "admin/" + path);
        }
        return new Outcome(c.checked, c.matched, List.copyOf(c.mismatches.subList(0, Math.min(5, c.mismatches.size()))));
    }

    private void same(String served, String truth) throws Exception {
        String a = get(service.resolve(served));
        String b = get(service.resolve(truth));
        record(a.equals(b), served + " gave " + abbreviate(a) + " but the database holds " + abbreviate(b));
    }

    private void price(long id, String currency) throws Exception {
        String quote = get(service.resolve("products/" + id + "/price?currency=" + currency));
        String product = get(service.resolve("admin/products/" + id));
        String rate = get(rates.resolve("rate?from=EUR&to=" + currency));
        BigDecimal expected = number(product, "price").multiply(number(rate, "rate")).setScale(2, RoundingMode.HALF_EVEN);
        BigDecimal served = number(quote, "price");
        record(expected.compareTo(served) == 0, "products/" + id + "/price?currency=" + currency + " gave " + served
                + " but database price x rate is " + expected);
    }

    private void record(boolean ok, String mismatch) {
        checked++;
        if (ok) {
            matched++;
        } else {
            mismatches.add(mismatch);
        }
    }

    private String get(URI uri) throws Exception {
        // The rates API fails a share of requests on purpose; a check must not.
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() < 500 || attempt == 5) {
                return r.body();
            }
        }
    }

    private static BigDecimal number(String json, String field) {
        JsonNode value;
        try {
            value = JSON.readTree(json).get(field);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not JSON: " + abbreviate(json), e);
        }
        if (value == null || !value.isNumber()) {
            throw new IllegalStateException("no number \"" + field + "\" in " + json);
        }
        return value.decimalValue();
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }
}
