package dev.recall.sample.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.recall.sample.catalogue.CategoryStats;
import dev.recall.sample.rates.ExchangeRateException;
import dev.recall.sample.service.CatalogueService;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The catalogue over HTTP/JSON on the JDK's own server:
 * <pre>
 * GET /products/{id}                      GET /products/search?q=text
 * GET /products/{id}/price?currency=USD   GET /categories/{category}/stats
 * PUT /products/{id}  {"price": 12.5, "name": "...", "category": "..."}
 * GET /admin/products/{id}, /admin/products/search?q=, /admin/categories/{c}/stats   (never cached)
 * GET /health
 * </pre>
 * An answer is the service's record as a JSON object, its components in declaration order; prices are
 * written as their decimals (77.70, never 7.770E+1). Requests run on a fixed pool of worker threads
 * (blocking JDBC and HTTP calls); the pool is the service's only shared state besides the service object
 * itself (and the thread-safe JSON mapper).
 */
public final class CatalogueHttpServer implements AutoCloseable {

    private static final Pattern PRODUCT = Pattern.compile("/products/(\\d+)");
    private static final Pattern PRICE = Pattern.compile("/products/(\\d+)/price");
    private static final Pattern STATS = Pattern.compile("/categories/([^/]+)/stats");
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    /** The body of {@code PUT /products/{id}}: the fields to change, any of them left out (or null) to keep. */
    record ProductUpdate(String name, String category, BigDecimal price) {
    }

    private final CatalogueService service;
    private final HttpServer server;
    private final ExecutorService workers;

    public CatalogueHttpServer(CatalogueService service, int port, int threads) throws IOException {
        NoDelay.enable();
        this.service = service;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        this.workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "http-worker");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(workers);
        server.createContext("/", this::handle);
    }

    public void start() {
        server.start();
    }

    public URI baseUri() {
        InetSocketAddress a = server.getAddress();
        return URI.create("http://" + a.getHostString() + ":" + a.getPort() + "/");
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        long began = System.nanoTime();
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            boolean admin = path.startsWith("/admin/");
            String route = admin ? path.substring("/admin".length()) : path;
            int status = 200;
            String body;
            Map<String, String> extras = new java.util.LinkedHashMap<>();
            try {
                if (method.equals("PUT")) {
                    body = put(route, read(exchange.getRequestBody()));
                } else if (method.equals("GET")) {
                    body = get(route, query, admin, extras);
                } else {
                    status = 405;
                    body = error("use GET or PUT");
                }
                if (body == null) {
                    status = 404;
                    body = error("no such endpoint: " + method + " " + path);
                }
            } catch (NoSuchElementException e) {
                status = 404;
                body = error(e.getMessage());
            } catch (IllegalArgumentException e) {
                status = 400;
                body = error(e.getMessage());
            } catch (ExchangeRateException e) {
                status = 502;
                body = error("exchange rates API: " + e.getMessage());
            } catch (RuntimeException e) {
                status = 500;
                body = error(e.toString());
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            extras.forEach(exchange.getResponseHeaders()::set);
            // The time spent in the application, so a client can tell processing from transport and queueing.
            exchange.getResponseHeaders().set("Server-Timing",
                    String.format(java.util.Locale.ROOT, "app;dur=%.3f", (System.nanoTime() - began) / 1e6));
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** The body of a GET; {@code headers} gets what the answer carries besides (links, related searches, a quote token). */
    private String get(String path, Map<String, String> query, boolean admin, Map<String, String> headers) {
        if (path.equals("/health")) {
            return json(Map.of("status", "ok"));
        }
        if (path.equals("/products/search")) {
            String q = required(query, "q");
            if (!admin) {
                headers.put("X-Related-Searches", relatedSearches(q));
            }
            return json(admin ? service.searchInDatabase(q) : service.search(q));
        }
        if (path.equals("/basket") && !admin) {
            List<Long> ids = new java.util.ArrayList<>();
            for (String id : required(query, "ids").split(",")) {
                ids.add(Long.parseLong(id.trim()));
            }
            return json(service.basket(ids));
        }
        Matcher m = PRODUCT.matcher(path);
        if (m.matches()) {
            long id = Long.parseLong(m.group(1));
            if (!admin) {
                ResponseExtras.addLinks(path, headers);
            }
            return json(admin ? service.productInDatabase(id) : service.product(id));
        }
        m = PRICE.matcher(path);
        if (m.matches() && !admin) {
            String currency = required(query, "currency");
            headers.put("X-Quote-Token", ResponseExtras.quoteToken(currency));
            return json(service.price(Long.parseLong(m.group(1)), currency));
        }
        m = STATS.matcher(path);
        if (m.matches()) {
            String category = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
            CategoryStats s = admin ? service.categoryStatsInDatabase(category) : service.categoryStats(category);
            return json(s);
        }
        return null;
    }

    /** Up to five related searches, the query's own word left out and its prefix search first. */
    private static String relatedSearches(String q) {
        List<String> related = ResponseExtras.relatedSearches(q);
        related.remove(q);
        related.add(0, q + "*");
        return String.join(",", related.subList(0, Math.min(5, related.size())));
    }

    private String put(String path, String body) {
        Matcher m = PRODUCT.matcher(path);
        if (!m.matches()) {
            return null;
        }
        ProductUpdate update = update(body);
        if (update.price() != null && update.price().signum() <= 0) {
            throw new IllegalArgumentException("price must be positive");
        }
        return json(service.update(Long.parseLong(m.group(1)), update.name(), update.category(), update.price()));
    }

    /** @throws IllegalArgumentException saying what is wrong with the body, for a 400 */
    static ProductUpdate update(String body) {
        String expected = "a product update is a JSON object such as {\"price\": 12.5}";
        ProductUpdate update;
        try {
            update = JSON.readValue(body, ProductUpdate.class);
        } catch (UnrecognizedPropertyException e) {
            throw new IllegalArgumentException("unknown field '" + e.getPropertyName()
                    + "'; a product update takes name, category and price", e);
        } catch (StreamReadException e) {
            throw new IllegalArgumentException(expected + "; this is not JSON: " + e.getOriginalMessage(), e);
        } catch (JsonMappingException e) {
            // The path names the field whose value does not fit; without one, the body is not an object.
            throw new IllegalArgumentException(e.getPath().isEmpty() ? expected
                    : "bad '" + e.getPath().get(0).getFieldName() + "' in the product update: " + e.getOriginalMessage(), e);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(expected + ": " + e.getOriginalMessage(), e);
        }
        if (update == null) {
            throw new IllegalArgumentException(expected);
        }
        return update;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("no JSON for " + value.getClass().getName(), e);
        }
    }

    private static String error(String message) {
        // A message may be null (an exception without one); Map.of would refuse it.
        return json(Collections.singletonMap("error", message));
    }

    private static String required(Map<String, String> query, String name) {
        String v = query.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("query parameter '" + name + "' is required");
        }
        return v;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new java.util.HashMap<>();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static String read(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
