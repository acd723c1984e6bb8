package dev.recall.sample.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Runs the generator against local servers with known behaviour. The machine may be a loaded 2-core VM
 * whose sleeps overshoot, so the truth a statistic is checked against is what the server really spent on
 * each request (it records that), and the tolerances are wide (8 ms plus a quarter), yet far narrower
 * than the gaps between the delay classes, so a wrong statistic still fails.
 */
class LoadGeneratorTest {

    /**
     * A cycle of 20 arrivals: 12 take 10 ms (60%), 7 take 60 ms (35%), 1 takes 240 ms (5%). Percentiles fall
     * clearly inside a class, never on a boundary: p50 in the first, p90 in the second, p99 and max in the
     * third; the classes stay apart however much a loaded machine stretches them.
     */
    private static ScriptedServer.Reply knownDelays(long arrival) {
        int slot = (int) (arrival % 20);
        return ScriptedServer.Reply.ok(slot < 12 ? 10 : slot < 19 ? 60 : 240, 50);
    }

    @Test
    void closedLoopMeasuresAKnownDistribution() {
        try (ScriptedServer server = ScriptedServer.start(LoadGeneratorTest::knownDelays)) {
            LoadSpec spec = LoadSpec.defaults(server.uri()).withClients(4)
                    .withPhases(Duration.ofSeconds(1), Duration.ofSeconds(4)).withApdexT(Duration.ofMillis(30));
            ByteArrayOutputStream progress = new ByteArrayOutputStream();
            LoadResult r = LoadGenerator.run(spec, "closed", new PrintStream(progress, true, StandardCharsets.UTF_8));

            assertKnownDistribution(r, server);
            // Four clients at ~39 ms a request: about 100 req/s, and the count matches rate x duration.
            assertTrue(r.requestsPerSecond() > 30 && r.requestsPerSecond() < 110, "rps " + r.requestsPerSecond());
            assertEquals(r.requestsPerSecond() * 4, r.counts().requests(), 0.1 * r.counts().requests() + 10);
            assertTrue(progress.toString(StandardCharsets.UTF_8).contains("[closed] done:"), progress.toString());
            assertEquals(r, LoadResult.fromJson(r.toJson()));
        }
    }

    @Test
    void openLoopMeasuresAKnownDistribution() {
        try (ScriptedServer server = ScriptedServer.start(LoadGeneratorTest::knownDelays)) {
            LoadSpec spec = LoadSpec.defaults(server.uri()).withRate(50)
                    .withPhases(Duration.ofSeconds(1), Duration.ofSeconds(4)).withApdexT(Duration.ofMillis(30));
            LoadResult r = LoadGenerator.run(spec, "open", null);

            assertKnownDistribution(r, server);
            // Intended send times every 20 ms over 4 s: exactly 200 measured requests, whatever the service does.
            assertEquals(200, r.counts().requests(), 1);
            assertEquals(50, r.requestsPerSecond(), 5);
        }
    }

    private static void assertKnownDistribution(LoadResult r, ScriptedServer server) {
        LoadResult.ResponseTimes t = r.responseTimes();
        double[] truth = server.processingMillis().stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double truthMean = java.util.Arrays.stream(truth).average().orElseThrow();
        double truthSd = Math.sqrt(java.util.Arrays.stream(truth).map(x -> (x - truthMean) * (x - truthMean)).average().orElseThrow());
        assertTrue(percentile(truth, 50) >= 10 && percentile(truth, 90) >= 60 && percentile(truth, 99) >= 240,
                "the server kept to its script: " + java.util.Arrays.toString(truth));
        assertNear(percentile(truth, 50), t.p50Ms(), "p50", r);
        assertNear(percentile(truth, 90), t.p90Ms(), "p90", r);
        assertNear(percentile(truth, 99), t.p99Ms(), "p99", r);
        assertNear(truth[truth.length - 1], t.maxMs(), "max", r);
        assertNear(truthMean, t.avgMs(), "mean", r);
        assertTrue(t.minMs() >= 10 && t.minMs() < 30, "min " + t.minMs());
        assertEquals(t.maxMs(), r.peakResponseTimeMs());
        assertNear(truthSd, t.stdDevMs(), "standard deviation", r);
        assertEquals(0, r.counts().errors());
        assertEquals(r.counts().requests(), r.counts().ok());

        // T = 30 ms: the 10 ms class is satisfied (with room for a slow machine), 60 ms tolerating (<= 120 ms),
        // 240 ms frustrated.
        LoadResult.Apdex a = r.apdex();
        assertEquals(r.counts().requests(), a.total());
        assertEquals((a.satisfied() + a.tolerating() / 2.0) / a.total(), a.score(), 1e-12);
        assertEquals(0.60, (double) a.satisfied() / a.total(), 0.06, "satisfied share");
        assertEquals(0.35, (double) a.tolerating() / a.total(), 0.06, "tolerating share");
        assertEquals(0.05, (double) a.frustrated() / a.total(), 0.04, "frustrated share");
        assertEquals(0.775, a.score(), 0.05);

        // The delay is all server-side processing, so what is left is loopback transport and scheduling (a few ms
        // on a busy machine with a cold JIT), and the mean difference is the mean processing time.
        assertEquals(r.counts().requests(), r.latency().count());
        assertTrue(r.latency().p50Ms() < 8, "latency p50 " + r.latency().p50Ms() + "\n" + r.table());
        assertTrue(r.latency().p90Ms() < 20, "latency p90 " + r.latency().p90Ms() + "\n" + r.table());
        assertEquals(truthMean, t.avgMs() - r.latency().avgMs(), 4 + 0.1 * truthMean, "mean processing time\n" + r.table());

        long perEndpoint = r.endpoints().stream().mapToLong(LoadResult.EndpointStats::count).sum();
        assertEquals(r.counts().requests(), perEndpoint);
        assertTrue(r.bytesOut() > 0 && r.bytesIn() >= r.counts().requests() * 50L);
        assertTrue(r.distribution().size() > 10);
        LoadResult.Point last = r.distribution().get(r.distribution().size() - 1);
        assertTrue(last.percentile() <= 99.99 && last.millis() >= t.p99Ms(), "last point " + last);
    }

    /** The nearest-rank percentile of sorted values. */
    private static double percentile(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static void assertNear(double expected, double actual, String what, LoadResult r) {
        double tolerance = 8 + 0.25 * expected;
        assertTrue(Math.abs(actual - expected) <= tolerance,
                what + ": expected " + expected + " +- " + tolerance + " ms, got " + actual + "\n" + r.table());
    }

    /**
     * The server stalls completely for 1 s about 1 s into the measured phase. Requests meant to leave during
     * the stall waited up to a second each; measured from their intended send times, about 50 of 200 are
     * slow, so p90 and p99 show it, not just the max.
     */
    @Test
    void stallShowsInEveryRequestScheduledDuringIt() {
        LoadResult r = runAgainstStall(LoadGenerator.MAX_IN_FLIGHT);
        assertStallVisible(r);
    }

    /**
     * The same with one request in flight at most, so the generator itself is held up, like a closed-loop
     * tool. A tool measuring from the actual send time would see one slow request (p99 small); measuring
     * from the intended time shows the same picture as above, and the lateness is reported.
     */
    @Test
    void generatorHeldUpByTheStallStillMeasuresFromIntendedTimes() {
        LoadResult r = runAgainstStall(1);
        assertStallVisible(r);
        assertTrue(r.dispatch().sentLate() >= 25, "sent late " + r.dispatch().sentLate());
        assertTrue(r.dispatch().maxLagMs() >= 700, "max lag " + r.dispatch().maxLagMs());
    }

    private static LoadResult runAgainstStall(int maxInFlight) {
        // 50 req/s with 1 s warm-up: arrival 100 comes about 1 s into the measured phase.
        try (ScriptedServer server = ScriptedServer.start(n -> n == 100 ? ScriptedServer.Reply.stall(1_000)
                : ScriptedServer.Reply.ok(0, 20))) {
            LoadSpec spec = LoadSpec.defaults(server.uri()).withRate(50)
                    .withPhases(Duration.ofSeconds(1), Duration.ofSeconds(4));
            return LoadGenerator.run(spec, "stall", null, maxInFlight);
        }
    }

    private static void assertStallVisible(LoadResult r) {
        LoadResult.ResponseTimes t = r.responseTimes();
        assertTrue(t.maxMs() >= 900, "max " + t.maxMs());
        assertTrue(t.p99Ms() >= 500, "p99 " + t.p99Ms());
        assertTrue(t.p90Ms() >= 200, "p90 " + t.p90Ms());
        assertTrue(t.p50Ms() < 50, "p50 " + t.p50Ms());
        assertEquals(0, r.counts().errors());
    }

    /**
     * Arrivals cycle through 10 outcomes: one 503, one 404, one that outlasts the 300 ms timeout, seven fine.
     * 5xx and timeouts are errors (20%), 404 is counted apart (10%), and errors are frustrated in Apdex.
     */
    @Test
    void countsServerErrorsAndTimeoutsButNotClientErrors() {
        try (ScriptedServer server = ScriptedServer.start(n -> switch ((int) (n % 10)) {
            case 0 -> ScriptedServer.Reply.status(503);
            case 1 -> ScriptedServer.Reply.status(404);
            case 2 -> ScriptedServer.Reply.ok(1_000, 100);
            default -> ScriptedServer.Reply.ok(1, 100);
        })) {
            LoadSpec spec = LoadSpec.defaults(server.uri()).withClients(4)
                    .withPhases(Duration.ofMillis(500), Duration.ofSeconds(3)).withTimeout(Duration.ofMillis(300));
            LoadResult r = LoadGenerator.run(spec, "errors", null);
            LoadResult.Counts c = r.counts();
            double n = c.requests();

            assertTrue(n >= 50, "requests " + n);
            assertEquals(0.10, c.serverErrors() / n, 0.05, "5xx share");
            assertEquals(0.10, c.timeouts() / n, 0.05, "timeout share");
            assertEquals(0.10, c.clientErrors() / n, 0.05, "4xx share");
            assertTrue(c.ioErrors() <= n * 0.02, "I/O errors " + c.ioErrors());
            assertEquals(c.serverErrors() + c.timeouts() + c.ioErrors(), c.errors());
            assertEquals(0.20, c.errorRate(), 0.07);
            assertEquals(c.requests(), c.ok() + c.clientErrors() + c.errors());
            assertTrue(r.apdex().frustrated() >= c.errors());
            assertEquals(c.errors(), r.endpoints().stream().mapToLong(LoadResult.EndpointStats::errors).sum());
            assertEquals(c.clientErrors(), r.endpoints().stream().mapToLong(LoadResult.EndpointStats::clientErrors).sum());
            // Timed-out requests are in the response times at about the timeout.
            assertTrue(r.peakResponseTimeMs() >= 290 && r.peakResponseTimeMs() < 1_000, "peak " + r.peakResponseTimeMs());

            // Every request has at least a request line, Host and User-Agent; responses at least their bodies.
            assertTrue(r.bytesOut() >= (long) n * 60, "bytes out " + r.bytesOut());
            assertTrue(r.bytesIn() >= c.ok() * 100, "bytes in " + r.bytesIn());
            assertTrue(r.bytesIn() <= (long) n * 400, "bytes in " + r.bytesIn());
        }
    }

    /** Byte counts agree with what the server really read and wrote, PUT bodies included. */
    @Test
    void bytesMatchTheWire() {
        try (ScriptedServer server = ScriptedServer.start(n -> ScriptedServer.Reply.ok(0, 5))) {
            LoadSpec spec = LoadSpec.defaults(server.uri()).withRate(40)
                    .withPhases(Duration.ZERO, Duration.ofSeconds(2));
            LoadResult r = LoadGenerator.run(spec, "bytes", null);

            assertEquals(80, r.counts().requests(), 1);
            assertEquals(server.arrivals(), r.counts().requests());
            assertEquals(0, r.counts().errors());
            assertTrue(r.endpoints().stream().anyMatch(e -> e.endpoint().equals("write") && e.count() > 0));
            // Responses are rebuilt from status, headers and body: exact for a standard status line.
            assertEquals(server.sent(), r.bytesIn());
            // Requests are rebuilt from what the JDK client sends: exact on JDK 17 and 25; 1% leaves room for header drift.
            assertEquals(server.received(), r.bytesOut(), server.received() * 0.01);
        }
    }

    /**
     * A window begun during the run (the demo's outage) splits the measured requests by send time: a server that
     * fails every request arriving in the window's second, under 50 req/s, leaves about 50 requests inside, nearly
     * all failed, and the rest outside, nearly all answered; the parts add up to the whole. A few requests at the
     * window's edges may cross (sent just before it begins, arriving after), hence the small tolerances.
     */
    @Test
    void aWindowSplitsTheRequestsBySendTime() throws Exception {
        java.util.concurrent.atomic.AtomicLong failingSince = new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);
        long length = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);
        try (ScriptedServer server = ScriptedServer.start(n -> {
            long since = System.nanoTime() - failingSince.get();
            return since >= 0 && since < length ? ScriptedServer.Reply.status(500) : ScriptedServer.Reply.ok(2, 20);
        })) {
            LoadSpec spec = LoadSpec.defaults(server.uri()).withRate(50)
                    .withPhases(Duration.ofMillis(500), Duration.ofSeconds(3));
            Window window = new Window(Duration.ofSeconds(1));
            Thread outage = new Thread(() -> {
                try {
                    Thread.sleep(1_500);
                } catch (InterruptedException e) {
                    return;
                }
                window.begin();
                failingSince.set(System.nanoTime());
            });
            outage.start();
            LoadGenerator.Split split = LoadGenerator.run(spec, "split", null, window);
            outage.join();

            LoadResult whole = split.whole();
            LoadResult inside = split.inside();
            LoadResult outside = split.outside();
            assertEquals(150, whole.counts().requests(), 1);
            assertEquals(whole.counts().requests(), inside.counts().requests() + outside.counts().requests());
            assertEquals(50, inside.counts().requests(), 3);
            assertTrue(inside.counts().serverErrors() >= inside.counts().requests() - 3, "inside: " + inside.counts());
            assertTrue(outside.counts().serverErrors() <= 3, "outside: " + outside.counts());
            assertEquals(whole.counts().serverErrors(), inside.counts().serverErrors() + outside.counts().serverErrors());
            assertEquals(1.0, inside.measuredSeconds(), 0.01);
            assertEquals(2.0, outside.measuredSeconds(), 0.01);
        }
    }

    /** A window that never begins holds nothing: every measured request is outside it. */
    @Test
    void aWindowThatNeverBeginsHoldsNothing() {
        try (ScriptedServer server = ScriptedServer.start(n -> ScriptedServer.Reply.ok(0, 5))) {
            LoadSpec spec = LoadSpec.defaults(server.uri()).withRate(40).withPhases(Duration.ZERO, Duration.ofSeconds(1));
            LoadGenerator.Split split = LoadGenerator.run(spec, "never", null, new Window(Duration.ofSeconds(1)));

            assertEquals(0, split.inside().counts().requests());
            assertEquals(split.whole().counts().requests(), split.outside().counts().requests());
            assertEquals(0, split.inside().measuredSeconds());
        }
    }
}
