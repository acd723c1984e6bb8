package dev.recall.sample.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link Statistics} fed with known outcomes (no network), and what {@link LoadResult} makes of them. */
class ResultTest {

    private static final long MS = 1_000_000;
    private static final LoadSpec SPEC = LoadSpec.defaults(URI.create("http://127.0.0.1:8080/"))
            .withApdexT(Duration.ofMillis(10));

    private static Outcome ok(Endpoint e, int status, long serverMicros) {
        return new Outcome(e, status, Outcome.Failure.NONE, serverMicros, 100, 300, 0);
    }

    /** 14 requests of every kind, T = 10 ms; see the assertions for the expected classes. */
    private static Statistics mixedBag() {
        Statistics s = new Statistics(10_000);
        for (int i = 0; i < 6; i++) {
            s.record(ok(Endpoint.PRODUCT, 200, 4_000), 5 * MS);       // satisfied, latency 1 ms
        }
        for (int i = 0; i < 3; i++) {
            s.record(ok(Endpoint.SEARCH, 200, 28_000), 30 * MS);      // tolerating (<= 40 ms), latency 2 ms
        }
        s.record(ok(Endpoint.STATS, 200, 119_000), 120 * MS);          // frustrated (> 40 ms)
        s.record(ok(Endpoint.PRICE, 503, 1_000), 2 * MS);              // fast but an error: frustrated
        s.record(ok(Endpoint.PRODUCT, 404, 1_000), 2 * MS);            // the client's fault: satisfied, not an error
        s.record(new Outcome(Endpoint.WRITE, 0, Outcome.Failure.TIMEOUT, -1, 120, 0, 0), 300 * MS);
        s.record(new Outcome(Endpoint.WRITE, 0, Outcome.Failure.IO, -1, 0, 0, 0), MS / 10);
        return s;
    }

    private static LoadResult result(String label, Statistics s) {
        return s.toResult(label, Instant.parse("2025-01-02T03:04:05.123456789Z"), SPEC, 30.0, 420,
                new LoadResult.Dispatch(3, 12.5));
    }

    @Test
    void classifiesOutcomesExactly() {
        LoadResult r = result("bag", mixedBag());
        LoadResult.Counts c = r.counts();
        assertEquals(new LoadResult.Counts(14, 10, 1, 1, 1, 1), c);
        assertEquals(3, c.errors());
        assertEquals(3.0 / 14, c.errorRate());
        assertEquals(new LoadResult.Apdex(7, 3, 4), r.apdex());
        assertEquals((7 + 1.5) / 14, r.apdex().score(), 1e-15);
        assertEquals(14.0, r.requestsPerSecond()); // 420 completed in 30 s

        // Response times: everything but the I/O failure (13 values), the timeout being the peak.
        LoadResult.ResponseTimes t = r.responseTimes();
        assertEquals(13, t.count());
        assertEquals(2.0, t.minMs(), 0.01);
        assertEquals(5.0, t.p50Ms(), 0.01);
        assertEquals(300.0, t.maxMs(), 0.3);
        assertEquals(300.0, r.peakResponseTimeMs(), 0.3);
        assertEquals((6 * 5 + 3 * 30 + 120 + 2 + 2 + 300) / 13.0, t.avgMs(), 0.05);

        // Latency: responses with Server-Timing only (12), each 1 ms except the searches' 2 ms.
        assertEquals(12, r.latency().count());
        assertEquals(1.0, r.latency().p50Ms(), 0.01);
        assertEquals(2.0, r.latency().maxMs(), 0.01);

        assertEquals(12 * 100 + 120, r.bytesOut()); // the refused connection sent nothing
        assertEquals(12 * 300, r.bytesIn());

        Map<String, LoadResult.EndpointStats> e = new java.util.HashMap<>();
        r.endpoints().forEach(x -> e.put(x.endpoint(), x));
        assertEquals(7, e.get("product").count());
        assertEquals(1, e.get("product").clientErrors());
        assertEquals(0, e.get("product").errors());
        assertEquals(2, e.get("write").errors());
        assertEquals(1, e.get("price").errors());
        assertEquals("GET /products/{id}", e.get("product").route());
    }

    @Test
    void jsonRoundTripsExactly() {
        LoadSpec odd = new LoadSpec(Targets.of(URI.create("http://example.test:81/shop/")), Mode.CLOSED, 12.5, 3,
                Duration.ofMillis(1_500), Duration.ofMillis(2_250), Mix.parse("product=3,write=1"), 0.87, 123, -7,
                Duration.ofNanos(12_345_678), Duration.ofMillis(750));
        LoadResult r = mixedBag().toResult("with \"agent\" ü\t/\\", Instant.parse("2025-01-02T03:04:05.123456789Z"),
                odd, 2.25, 31, new LoadResult.Dispatch(0, 0.1 + 0.2));
        String json = r.toJson();
        LoadResult back = LoadResult.fromJson(json);
        assertEquals(r, back);
        assertEquals(r.spec(), back.spec());
        assertEquals(r.distribution(), back.distribution());
        assertEquals(r.endpoints(), back.endpoints());
        assertEquals(0.1 + 0.2, back.dispatch().maxLagMs()); // not 0.3: doubles survive bit for bit
        assertEquals(json, back.toJson());
        assertTrue(json.contains("\"requestsPerSecond\": "), json);
        assertNotEquals(r, result("other", mixedBag()));
    }

    @Test
    void emptyResultRoundTrips() {
        LoadResult r = result("empty", new Statistics(1_000));
        assertEquals(r, LoadResult.fromJson(r.toJson()));
        assertEquals(0, r.apdex().score());
        assertTrue(r.table().contains("requests measured"));
    }

    @Test
    void fromJsonRejectsOtherText() {
        assertThrows(IllegalArgumentException.class, () -> LoadResult.fromJson("{\"format\": \"something else\"}"));
        assertThrows(IllegalArgumentException.class, () -> LoadResult.fromJson("[1, 2]"));
        assertThrows(IllegalArgumentException.class, () -> LoadResult.fromJson("{\"format\": "));
        String json = result("x", mixedBag()).toJson();
        assertThrows(IllegalArgumentException.class, () -> LoadResult.fromJson(json.replace("\"bytesIn\"", "\"bytesIx\"")));
        assertThrows(IllegalArgumentException.class, () -> LoadResult.fromJson(json + "x"));
    }

    @Test
    void distributionRunsUpTo9999AndRises() {
        Statistics s = new Statistics(10_000);
        for (int i = 1; i <= 100_000; i++) {
            s.record(ok(Endpoint.PRODUCT, 200, 0), i * 1_000L); // 1 us .. 100 ms, uniform
        }
        List<LoadResult.Point> points = result("d", s).distribution();
        assertEquals(0.0, points.get(0).percentile());
        LoadResult.Point last = points.get(points.size() - 1);
        assertTrue(last.percentile() > 99.9 && last.percentile() <= 99.99, "last " + last);
        for (int i = 1; i < points.size(); i++) {
            assertTrue(points.get(i).percentile() > points.get(i - 1).percentile());
            assertTrue(points.get(i).millis() >= points.get(i - 1).millis());
        }
        LoadResult.Point median = points.stream().filter(p -> p.percentile() == 50.0).findFirst().orElseThrow();
        assertEquals(50.0, median.millis(), 0.1);
    }

    @Test
    void tableShowsEveryFigure() {
        String table = result("bag", mixedBag()).table();
        for (String s : List.of("Load test \"bag\"", "requests per second", "average", "standard deviation", "minimum",
                "p50", "p90", "p99", "p99.9", "peak response time", "Latency", "error rate", "21.43%", "HTTP 5xx",
                "timeouts", "I/O errors", "HTTP 4xx", "bytes out", "bytes in", "Apdex (T = 10ms", "0.607",
                "satisfied", "7 (50.0%)", "tolerating", "frustrated", "sent late", "max dispatch lag",
                "GET /products/{id}", "PUT /products/{id}")) {
            assertTrue(table.contains(s), "missing '" + s + "' in\n" + table);
        }
    }

    @Test
    void compareShowsBothLabelsAndTheSpeedUp() {
        Statistics slow = new Statistics(100_000);
        Statistics fast = new Statistics(100_000);
        for (int i = 0; i < 100; i++) {
            slow.record(ok(Endpoint.STATS, 200, 113_000), 114 * MS);
            fast.record(ok(Endpoint.STATS, 200, 9_000), 10 * MS);
        }
        slow.record(ok(Endpoint.STATS, 500, 1_000), 2 * MS);
        LoadResult a = result("without agent", slow);
        LoadResult b = result("with agent", fast);

        String text = LoadResult.compare(a, b);
        assertTrue(text.contains("without agent") && text.contains("with agent"), text);
        assertTrue(text.contains("11.4x faster"), text);            // p50 114 ms -> 10 ms
        assertTrue(text.contains("-0.99 pp"), text);                 // error rate 1/101 -> 0
        assertTrue(text.lines().anyMatch(l -> l.contains("p50") && l.contains("faster")), text);

        String md = LoadResult.compareMarkdown(a, b);
        assertTrue(md.contains("| metric | without agent | with agent | change |"), md);
        assertTrue(md.contains("11.4x faster"), md);
        assertTrue(md.lines().filter(l -> l.startsWith("|")).allMatch(l -> l.chars().filter(ch -> ch == '|').count() == 5),
                "every Markdown row has four cells:\n" + md);
    }

    @Test
    void readsServerTiming() {
        assertEquals(12_500, Sender.serverMicros(headers("app;dur=12.5")));
        assertEquals(7_250, Sender.serverMicros(headers("db;dur=3, app;dur=7.25")));
        assertEquals(3_000, Sender.serverMicros(headers("db;dur=3")));
        assertEquals(-1, Sender.serverMicros(headers("cache;desc=hit")));
        assertEquals(-1, Sender.serverMicros(headers("app;dur=abc")));
        assertEquals(-1, Sender.serverMicros(HttpHeaders.of(Map.of(), (a, b) -> true)));
    }

    private static HttpHeaders headers(String serverTiming) {
        return HttpHeaders.of(Map.of("Server-Timing", List.of(serverTiming)), (a, b) -> true);
    }
}
