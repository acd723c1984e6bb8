package dev.recall.agent.telemetry;

import dev.recall.agent.metrics.MethodStats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.agent.method.CachedMethod;
import dev.recall.agent.method.TestMethods;
import dev.recall.bridge.Call;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Micrometer meters read the same {@link MethodStats} as JMX. */
class MetersTest {

    private static final String SIG = "com.acme.Repo.find(long)";
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    // Fields: Micrometer holds the measured objects weakly.
    private SimpleMeterRegistry registry;
    private CachedMethod method;
    private MethodStats stats;

    @BeforeEach
    void setUp() {
        registry = new SimpleMeterRegistry();
        method = TestMethods.readThrough(SIG, "products");
        stats = method.stats();
        Meters.bind(registry, method);
    }

    private double counter(String name) {
        return registry.get(name).tag("method", SIG).tag("cache", "products").functionCounter().count();
    }

    private double gets(String result) {
        return registry.get("cache.gets").tag("method", SIG).tag("cache", "products").tag("result", result).functionCounter().count();
    }

    private double gauge(String name) {
        return registry.get(name).tag("method", SIG).gauge().value();
    }

    private void load(Object key, Object value) {
        Call call = assertInstanceOf(Call.class, method.enter(null, key, null, null));
        method.exit(call, value, null);
    }

    private void drive() {
        stats.hit(20 * MS);
        stats.hit(30 * MS);
        stats.hit(50 * MS);
        // The saved time grows no faster than wall time multiplied by the callers (SavedTime): one caller
        // here, so the 100 ms of credit need 100 ms since the method was made.
        TestMethods.letWallTimePass(100 * MS);
        stats.miss();
        stats.load(10 * MS);
        stats.load(40 * MS);
        stats.loadFailure(MS);
        stats.loadFailure(MS);
        stats.error();
    }

    @Test
    void countersEqualTheMethodStatistics() {
        drive();
        assertEquals(stats.hits(), gets("hit"));
        assertEquals(3.0, gets("hit"));
        assertEquals(stats.misses(), gets("miss"));
        assertEquals(1.0, gets("miss"));
        FunctionTimer failures = registry.get("cache.loads").tag("method", SIG).tag("result", "failure").functionTimer();
        assertEquals(2.0, failures.count());
        assertEquals(2.0, failures.totalTime(TimeUnit.MILLISECONDS), 1e-9);
        assertEquals(stats.errors(), counter("recall.errors"));
        assertEquals(1.0, counter("recall.errors"));
        assertEquals(stats.savedNanos() / 1e9, counter("recall.saved"), 1e-12);
        assertEquals(0.1, counter("recall.saved"), 1e-12, "100ms saved, in seconds");
        assertEquals("seconds", registry.get("recall.saved").meter().getId().getBaseUnit());
    }

    @Test
    void countersFollowLaterChanges() {
        assertEquals(0.0, gets("hit"));
        stats.hit(MS);
        assertEquals(1.0, gets("hit"));
        stats.reset();
        assertEquals(0.0, gets("hit"));
    }

    @Test
    void loadsTimerCountsLoadsAndTheirTotalTime() {
        drive();
        FunctionTimer t = registry.get("cache.loads").tag("method", SIG).tag("result", "success").functionTimer();
        assertEquals(stats.loads(), t.count());
        assertEquals(2.0, t.count());
        assertEquals(stats.totalLoadNanos(), t.totalTime(TimeUnit.NANOSECONDS), 1e-3);
        assertEquals(50.0, t.totalTime(TimeUnit.MILLISECONDS), 1e-9);
        assertEquals(25.0, t.mean(TimeUnit.MILLISECONDS), 1e-9);
    }

    @Test
    void hitRatioGaugeIsTheMethodRatio() {
        assertTrue(Double.isNaN(gauge("recall.hit.ratio")), "NaN before any call");
        drive();
        assertEquals(stats.hitRatio(), gauge("recall.hit.ratio"), 1e-12);
        assertEquals(0.75, gauge("recall.hit.ratio"), 1e-12);
    }

    @Test
    void sizeGaugeAndEvictionCounterReadTheRegion() {
        assertEquals(0.0, gauge("cache.size"));
        load(1L, "a");
        load(2L, "b");
        assertEquals(2.0, gauge("cache.size"));
        assertEquals(method.region().size(), gauge("cache.size"));
        assertEquals(2.0, counter("cache.puts"), "two loads stored");
        assertEquals(method.region().store().removals(), counter("cache.evictions"));
    }

    @Test
    void recentLoadPercentilesAreGauges() {
        for (int i = 0; i < 100; i++) {
            stats.load(i < 90 ? 10 * MS : 300 * MS);
        }
        double p50 = registry.get("recall.load.recent").tag("method", SIG).tag("quantile", "0.5").gauge().value();
        double p99 = registry.get("recall.load.recent").tag("method", SIG).tag("quantile", "0.99").gauge().value();
        assertEquals(0.010, p50, 0.0001, "seconds");
        assertEquals(0.300, p99, 0.003);
    }

    @Test
    void everyMeterIsTaggedWithMethodAndCache() {
        assertTrue(registry.getMeters().size() >= 10);
        for (Meter m : registry.getMeters()) {
            assertTrue(m.getId().getName().startsWith("recall.") || m.getId().getName().startsWith("cache."), m.getId().getName());
            assertEquals(SIG, m.getId().getTag("method"), m.getId().toString());
            assertEquals("products", m.getId().getTag("cache"), m.getId().toString());
        }
    }

    @Test
    void thePrometheusNamesAreThoseOfMicrometersCacheBindersAndPrometheusPractice() {
        io.micrometer.prometheusmetrics.PrometheusMeterRegistry prometheus =
                new io.micrometer.prometheusmetrics.PrometheusMeterRegistry(io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT);
        Meters.bind(prometheus, method);
        drive();
        String text = prometheus.scrape();
        for (String line : new String[] {
            "cache_gets_total{cache=\"products\",method=\"" + SIG + "\",result=\"hit\"} 3.0",
            "cache_gets_total{cache=\"products\",method=\"" + SIG + "\",result=\"miss\"} 1.0",
            "cache_loads_seconds_count{cache=\"products\",method=\"" + SIG + "\",result=\"success\"} 2",
            "cache_loads_seconds_sum{cache=\"products\",method=\"" + SIG + "\",result=\"success\"} 0.05",
            "recall_saved_seconds_total{cache=\"products\",method=\"" + SIG + "\"} 0.1",
            "cache_puts_total{", "cache_evictions_total{", "cache_size{", "recall_stale_served_total{",
            "recall_refreshes_total{", "recall_load_recent_seconds{"}) {
            assertTrue(text.contains(line), line + " in:\n" + text);
        }
    }

    @Test
    void twoMethodsGetSeparateMeters() {
        CachedMethod other = TestMethods.readThrough("com.acme.Repo.all()", "all");
        Meters.bind(registry, other);
        other.stats().hit(MS);
        other.stats().hit(MS);
        stats.hit(MS);
        assertEquals(1.0, gets("hit"));
        assertEquals(2.0, registry.get("cache.gets").tag("method", "com.acme.Repo.all()").tag("result", "hit").functionCounter().count());
        assertTrue(other.stats().hits() == 2, "keeps other reachable");
    }
}
