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
        assertEquals(stats.hits(), counter("recall.hits"));
        assertEquals(3.0, counter("recall.hits"));
        assertEquals(stats.misses(), counter("recall.misses"));
        assertEquals(1.0, counter("recall.misses"));
        assertEquals(stats.loadFailures(), counter("recall.load.failures"));
        assertEquals(2.0, counter("recall.load.failures"));
        assertEquals(stats.errors(), counter("recall.errors"));
        assertEquals(1.0, counter("recall.errors"));
        assertEquals(stats.savedNanos() / 1e9, counter("recall.saved"), 1e-12);
        assertEquals(0.1, counter("recall.saved"), 1e-12, "100ms saved, in seconds");
        assertEquals("seconds", registry.get("recall.saved").meter().getId().getBaseUnit());
    }

    @Test
    void countersFollowLaterChanges() {
        assertEquals(0.0, counter("recall.hits"));
        stats.hit(MS);
        assertEquals(1.0, counter("recall.hits"));
        stats.reset();
        assertEquals(0.0, counter("recall.hits"));
    }

    @Test
    void loadsTimerCountsLoadsAndTheirTotalTime() {
        drive();
        FunctionTimer t = registry.get("recall.loads").tag("method", SIG).functionTimer();
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
        assertEquals(0.0, gauge("recall.size"));
        load(1L, "a");
        load(2L, "b");
        assertEquals(2.0, gauge("recall.size"));
        assertEquals(method.region().size(), gauge("recall.size"));
        assertEquals(method.region().store().evictions(), counter("recall.evictions"));
    }

    @Test
    void recentLoadPercentilesAreGauges() {
        for (int i = 0; i < 100; i++) {
            stats.load(i < 90 ? 10 * MS : 300 * MS);
        }
        double p50 = registry.get("recall.load.recent").tag("method", SIG).tag("percentile", "0.5").gauge().value();
        double p99 = registry.get("recall.load.recent").tag("method", SIG).tag("percentile", "0.99").gauge().value();
        assertEquals(10.0, p50, 0.1);
        assertEquals(300.0, p99, 3.0);
    }

    @Test
    void everyMeterIsTaggedWithMethodAndCache() {
        assertTrue(registry.getMeters().size() >= 10);
        for (Meter m : registry.getMeters()) {
            assertTrue(m.getId().getName().startsWith("recall."), m.getId().getName());
            assertEquals(SIG, m.getId().getTag("method"), m.getId().toString());
            assertEquals("products", m.getId().getTag("cache"), m.getId().toString());
        }
    }

    @Test
    void twoMethodsGetSeparateMeters() {
        CachedMethod other = TestMethods.readThrough("com.acme.Repo.all()", "all");
        Meters.bind(registry, other);
        other.stats().hit(MS);
        other.stats().hit(MS);
        stats.hit(MS);
        assertEquals(1.0, counter("recall.hits"));
        assertEquals(2.0, registry.get("recall.hits").tag("method", "com.acme.Repo.all()").functionCounter().count());
        assertTrue(other.stats().hits() == 2, "keeps other reachable");
    }
}
