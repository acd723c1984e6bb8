package dev.recall.agent.telemetry;

import dev.recall.agent.metrics.LatencySnapshot;
import dev.recall.agent.metrics.MethodStats;
import dev.recall.agent.metrics.RemoteCounters;
import dev.recall.agent.method.CachedMethod;
import dev.recall.agent.method.WriteBackMethod;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * The Micrometer face of a method's figures, named as Micrometer's own cache binders name theirs
 * ({@code cache.gets{result=hit|miss}}, {@code cache.puts}, {@code cache.evictions}, {@code cache.size},
 * {@code cache.loads{result=success|failure}}), so that existing cache dashboards work unchanged, plus
 * Recall's own figures under {@code recall.*}; all tagged {@code cache} (the region) and {@code method}.
 * They read {@link MethodStats}, the same source of truth as JMX: views, not second copies, so the hit path
 * stays two striped additions and any registry sees exactly what JMX shows.
 */
final class Meters {

    private static final long RECENT = TimeUnit.MINUTES.toNanos(2);

    private Meters() {
    }

    /**
     * Where meters are made: this agent's (shaded) Micrometer, or the application's own through reflection
     * ({@link ApplicationMeters}). One list of meters, {@link #define}, serves both.
     */
    interface Sink {
        <T> void counter(String name, T source, ToDoubleFunction<T> count, String baseUnit, String description, String... tags);

        <T> void gauge(String name, T source, ToDoubleFunction<T> value, String baseUnit, String description, String... tags);

        <T> void timer(String name, T source, ToLongFunction<T> count, ToDoubleFunction<T> totalNanos, String description,
                       String... tags);
    }

    /** Registers the method's meters; returns them, so that they can be removed with the method. */
    static List<Meter> bind(MeterRegistry registry, CachedMethod method) {
        List<Meter> bound = new ArrayList<>();
        // One Tag per key and value among the method's meters: given strings, Micrometer makes a Tag per meter and
        // tag, about 50 per method (issue 28). Used on this thread only.
        Map<String, Tag> made = new HashMap<>();
        define(method, new Sink() {
            @Override
            public <T> void counter(String name, T source, ToDoubleFunction<T> count, String baseUnit, String description,
                                    String... tags) {
                bound.add(FunctionCounter.builder(name, source, count).tags(tags(made, tags)).baseUnit(baseUnit).description(description)
                        .register(registry));
            }

            @Override
            public <T> void gauge(String name, T source, ToDoubleFunction<T> value, String baseUnit, String description,
                                  String... tags) {
                bound.add(Gauge.builder(name, source, value).tags(tags(made, tags)).baseUnit(baseUnit).description(description).register(registry));
            }

            @Override
            public <T> void timer(String name, T source, ToLongFunction<T> count, ToDoubleFunction<T> totalNanos,
                                  String description, String... tags) {
                bound.add(FunctionTimer.builder(name, source, count, totalNanos, TimeUnit.NANOSECONDS).tags(tags(made, tags))
                        .description(description).register(registry));
            }
        });
        return bound;
    }

    /** {@code keyValues} (key, value, key, value...) as tags, each made once per {@code made}. */
    private static List<Tag> tags(Map<String, Tag> made, String[] keyValues) {
        List<Tag> tags = new ArrayList<>(keyValues.length / 2);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            String key = keyValues[i];
            String value = keyValues[i + 1];
            // Keys are this class's own names, none with '=': the pair is unambiguous whatever the value.
            tags.add(made.computeIfAbsent(key + '=' + value, k -> Tag.of(key, value)));
        }
        return tags;
    }

    /** The method's meters, made in {@code sink}. */
    static void define(CachedMethod method, Sink sink) {
        MethodStats s = method.stats();
        String m = method.spec().signature().display();
        String c = method.spec().region();
        sink.counter("cache.gets", s, MethodStats::hits, null, "calls answered from the cache", "method", m, "cache", c, "result", "hit");
        sink.counter("cache.gets", s, MethodStats::misses, null, "calls that did not find their key", "method", m, "cache", c,
                "result", "miss");
        sink.counter("cache.puts", s, MethodStats::puts, null, "entries stored: loaded results and written values", "method", m,
                "cache", c);
        sink.counter("cache.evictions", method, CachedMethod::removals, null, "entries removed by size bound or expiry",
                "method", m, "cache", c);
        sink.gauge("cache.size", method, CachedMethod::size, null, "entries held in this JVM", "method", m, "cache", c);
        sink.timer("cache.loads", s, MethodStats::loads, MethodStats::totalLoadNanos, "runs of the method on a miss that returned",
                "method", m, "cache", c, "result", "success");
        sink.timer("cache.loads", s, MethodStats::loadFailures, MethodStats::totalLoadFailureNanos,
                "runs of the method on a miss that threw", "method", m, "cache", c, "result", "failure");

        sink.counter("recall.saved", s, st -> st.savedNanos() / 1e9, "seconds",
                "time the hits saved (each hit credited with its entry's load, at most the recent p90)", "method", m, "cache", c);
        sink.counter("recall.errors", s, MethodStats::errors, null, "failures inside the agent; those calls ran uncached",
                "method", m, "cache", c);
        sink.counter("recall.stale.served", s, MethodStats::staleServed, null,
                "calls answered with a value past its ttl because its reload failed (staleIfError)", "method", m, "cache", c);
        sink.counter("recall.refreshes", s, MethodStats::refreshes, null, "refresh-ahead reloads that stored a value",
                "method", m, "cache", c, "result", "success");
        sink.counter("recall.refreshes", s, MethodStats::refreshFailures, null, "refresh-ahead reloads that threw or could not run",
                "method", m, "cache", c, "result", "failure");
        sink.gauge("recall.hit.ratio", s, MethodStats::hitRatio, null, "hits over calls since start", "method", m, "cache", c);
        for (String p : new String[] {"0.5", "0.9", "0.99"}) {
            sink.gauge("recall.load.recent", s, st -> percentile(st.recentLoads(RECENT, System.nanoTime()), p) / 1e3, "seconds",
                    "load time quantile over the last two minutes", "method", m, "cache", c, "quantile", p);
        }
        RemoteCounters r = s.remote();
        sink.counter("recall.remote.hits", r, RemoteCounters::remoteHits, null, "reads answered by Redis", "method", m, "cache", c);
        sink.counter("recall.remote.misses", r, RemoteCounters::remoteMisses, null, "reads Redis did not have", "method", m,
                "cache", c);
        sink.counter("recall.remote.errors", r, RemoteCounters::remoteErrors, null,
                "calls that could not use Redis (each ran the method)", "method", m, "cache", c);
        sink.counter("recall.near.hits", r, RemoteCounters::nearHits, null, "reads answered by the near cache", "method", m,
                "cache", c);
        sink.counter("recall.remote.rejected", r, RemoteCounters::rejectedEntries, null,
                "values in Redis refused unread (signature, class not allowed, replay)", "method", m, "cache", c);
        if (method instanceof WriteBackMethod w) {
            sink.gauge("recall.writeback.pending", w, x -> x.queue().pending(), null, "accepted write-backs not yet made",
                    "method", m, "cache", c);
        }
    }

    private static double percentile(LatencySnapshot snapshot, String p) {
        switch (p) {
            case "0.5": return snapshot.p50();
            case "0.9": return snapshot.p90();
            default: return snapshot.p99();
        }
    }
}
