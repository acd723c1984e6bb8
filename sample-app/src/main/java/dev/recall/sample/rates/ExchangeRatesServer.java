package dev.recall.sample.rates;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stands in for a third-party exchange-rates API: {@code GET /rate?from=EUR&to=USD} answers
 * {@code {"from":"EUR","to":"USD","rate":1.0834}} after 50-150 ms (the network plus the remote service),
 * and fails with 503 at a configurable rate, as such services do under load.
 *
 * <p>It runs in the same JVM only for convenience; the client talks to it over real HTTP on 127.0.0.1.
 * Rates are fixed per currency pair so every run sees the same figures. Thread-safe: requests are served
 * in parallel on a small pool, and the only shared state is atomic counters.
 */
public final class ExchangeRatesServer implements AutoCloseable {

    public static final long DEFAULT_MIN_LATENCY_MS = 50;
    public static final long DEFAULT_MAX_LATENCY_MS = 150;

    /** Units of each currency per euro. Every pair's rate is derived from these, so pairs agree. */
    private static final Map<String, BigDecimal> PER_EURO = Map.of(
            "EUR", BigDecimal.ONE,
            "USD", new BigDecimal("1.0834"),
            "GBP", new BigDecimal("0.8571"),
            "CHF", new BigDecimal("0.9612"),
            "JPY", new BigDecimal("162.35"),
            "SEK", new BigDecimal("11.2870"),
            "PLN", new BigDecimal("4.3215"),
            "CAD", new BigDecimal("1.4756"));

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    /** The answer to a rate request. */
    record Rate(String from, String to, BigDecimal rate) {
    }

    private final HttpServer server;
    private final ExecutorService workers;
    private final double errorRate;
    private final long minLatencyMs;
    private final long maxLatencyMs;
    private final AtomicLong requests = new AtomicLong();
    /** Until when (System.nanoTime()) the API answers nothing: an outage of the third party. */
    private volatile long outageUntilNanos;
    private volatile boolean inOutage;

    private ExchangeRatesServer(int port, double errorRate, long minLatencyMs, long maxLatencyMs) throws IOException {
        if (errorRate < 0 || errorRate > 1) {
            throw new IllegalArgumentException("errorRate must be within 0..1: " + errorRate);
        }
        if (minLatencyMs < 0 || maxLatencyMs < minLatencyMs) {
            throw new IllegalArgumentException("bad latency range " + minLatencyMs + ".." + maxLatencyMs);
        }
        this.errorRate = errorRate;
        this.minLatencyMs = minLatencyMs;
        this.maxLatencyMs = maxLatencyMs;
        dev.recall.sample.http.NoDelay.enable();
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        // Many workers, so concurrent callers wait in parallel as they would on a real remote API.
        this.workers = Executors.newFixedThreadPool(32, daemonThreads());
        server.setExecutor(workers);
        server.createContext("/rate", this::handleRate);
        server.createContext("/admin/outage", this::handleOutage);
    }

    /**
     * From now on, for {@code length}, rate requests get no answer: each is held until the outage ends, then
     * its connection is closed without a response (the client's own timeout ends it first), as a third-party
     * API that hangs does.
     */
    public void outage(java.time.Duration length) {
        outageUntilNanos = System.nanoTime() + length.toNanos();
        inOutage = true;
    }

    private void handleOutage(HttpExchange exchange) throws IOException {
        try (exchange) {
            String millis = parseQuery(exchange.getRequestURI().getRawQuery()).getOrDefault("millis", "");
            long ms;
            try {
                ms = Long.parseLong(millis);
            } catch (NumberFormatException e) {
                respond(exchange, 400, Map.of("error", "write /admin/outage?millis=20000"));
                return;
            }
            outage(java.time.Duration.ofMillis(ms));
            respond(exchange, 200, Map.of("outageMillis", ms));
        }
    }

    /** Holds a request through the outage; {@code true} if it must then go unanswered. */
    private boolean heldByOutage() {
        if (!inOutage) {
            return false;
        }
        long left = outageUntilNanos - System.nanoTime();
        if (left <= 0) {
            inOutage = false;
            return false;
        }
        try {
            TimeUnit.NANOSECONDS.sleep(left);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }

    /** A server with the default latency and no errors, already listening. */
    public static ExchangeRatesServer start() {
        return start(0.0);
    }

    /** A server with the default latency that fails the given share of requests (0..1) with 503. */
    public static ExchangeRatesServer start(double errorRate) {
        return start(errorRate, DEFAULT_MIN_LATENCY_MS, DEFAULT_MAX_LATENCY_MS);
    }

    public static ExchangeRatesServer start(double errorRate, long minLatencyMs, long maxLatencyMs) {
        return start(0, errorRate, minLatencyMs, maxLatencyMs);
    }

    /** A server on {@code port} (0: any free port) on the loopback interface. */
    public static ExchangeRatesServer start(int port, double errorRate, long minLatencyMs, long maxLatencyMs) {
        try {
            ExchangeRatesServer rates = new ExchangeRatesServer(port, errorRate, minLatencyMs, maxLatencyMs);
            rates.server.start();
            return rates;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the exchange-rates server", e);
        }
    }

    /** Where the API lives, e.g. {@code http://127.0.0.1:43817/}. */
    public URI baseUri() {
        InetSocketAddress address = server.getAddress();
        return URI.create("http://" + address.getHostString() + ":" + address.getPort() + "/");
    }

    /** Requests received so far, failed ones included: what a cache saves shows up here. */
    public long requestCount() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }

    private void handleRate(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        if (heldByOutage()) {
            exchange.close(); // no status, no body: the API did not answer
            return;
        }
        try (exchange) {
            simulateLatency();
            if (!"GET".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, Map.of("error", "method not allowed"));
                return;
            }
            if (errorRate > 0 && ThreadLocalRandom.current().nextDouble() < errorRate) {
                respond(exchange, 503, Map.of("error", "service unavailable"));
                return;
            }
            Map<String, String> query = parseQuery(exchange.getRequestURI().getRawQuery());
            String from = query.getOrDefault("from", "");
            String to = query.getOrDefault("to", "");
            BigDecimal fromPerEuro = PER_EURO.get(from);
            BigDecimal toPerEuro = PER_EURO.get(to);
            if (fromPerEuro == null || toPerEuro == null) {
                respond(exchange, 404, Map.of("error", "unknown currency pair"));
                return;
            }
            BigDecimal rate = toPerEuro.divide(fromPerEuro, 4, RoundingMode.HALF_EVEN);
            respond(exchange, 200, new Rate(from, to, rate));
        }
    }

    private void simulateLatency() {
        long latency = minLatencyMs == maxLatencyMs
                ? minLatencyMs
                : ThreadLocalRandom.current().nextLong(minLatencyMs, maxLatencyMs + 1);
        try {
            Thread.sleep(latency);
        } catch (InterruptedException e) {
            // Shutting down: answer at once rather than keep the worker.
            Thread.currentThread().interrupt();
        }
    }

    private static void respond(HttpExchange exchange, int status, Object answer) throws IOException {
        byte[] body = JSON.writeValueAsBytes(answer);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> parameters = new HashMap<>();
        if (rawQuery == null) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                parameters.put(
                        URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return parameters;
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "rates-server-" + counter.incrementAndGet());
            // Never the reason the JVM stays up.
            thread.setDaemon(true);
            return thread;
        };
    }
}
