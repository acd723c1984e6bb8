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
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The Micrometer face of a method's figures, named as Micrometer's own cache binders name theirs
 * ({@code cache.gets{result=hit|miss}}, {@code cache.puts}, {@code cache.evictions}, {@code cache.size},
 * {@code cache.loads{result=success|failure}}), so that existing cache dashboards work unchanged, plus
 * Recall's own figures under {@code recall.*}; all tagged {@code cache} (the region) and {@code method}.
 * They read {@link MethodStats}, the same source of truth as JMX: views, not second copies, so the hit path
 * stays two striped additions and any registry sees exactly what JMX shows.
 */
public final class Meters {

    private static final long RECENT = TimeUnit.MINUTES.toNanos(2);

    private Meters() {
    }

    /** Registers the method's meters; returns them, so that they can be removed with the method. */
    public static List<Meter> bind(MeterRegistry registry, CachedMethod method) {
        List<Meter> bound = new ArrayList<>();
        MethodStats s = method.stats();
        Tags tags = Tags.of("method", method.spec().signature().display(), "cache", method.spec().region());
        bound.add(FunctionCounter.builder("cache.gets", s, MethodStats::hits).tags(tags).tag("result", "hit")
                .description("calls answered from the cache").register(registry));
        bound.add(FunctionCounter.builder("cache.gets", s, MethodStats::misses).tags(tags).tag("result", "miss")
                .description("calls that did not find their key").register(registry));
        bound.add(FunctionCounter.builder("cache.puts", s, MethodStats::puts).tags(tags)
                .description("entries stored: loaded results and written values").register(registry));
        bound.add(FunctionCounter.builder("cache.evictions", method, CachedMethod::evictions).tags(tags)
                .description("entries removed by size bound or expiry").register(registry));
        bound.add(Gauge.builder("cache.size", method, CachedMethod::size).tags(tags)
                .description("entries held in this JVM").register(registry));
        bound.add(FunctionTimer.builder("cache.loads", s, MethodStats::loads, MethodStats::totalLoadNanos, TimeUnit.NANOSECONDS)
                .tags(tags).tag("result", "success").description("runs of the method on a miss that returned").register(registry));
        bound.add(FunctionTimer.builder("cache.loads", s, MethodStats::loadFailures, MethodStats::totalLoadFailureNanos,
                TimeUnit.NANOSECONDS).tags(tags).tag("result", "failure").description("runs of the method on a miss that threw")
                .register(registry));

        bound.add(FunctionCounter.builder("recall.saved", s, st -> st.savedNanos() / 1e9).tags(tags).baseUnit("seconds")
                .description("time the hits saved (each hit credited with its entry's load, at most the recent p90)")
                .register(registry));
        bound.add(FunctionCounter.builder("recall.errors", s, MethodStats::errors).tags(tags)
                .description("failures inside the agent; those calls ran uncached").register(registry));
        bound.add(FunctionCounter.builder("recall.stale.served", s, MethodStats::staleServed).tags(tags)
                .description("calls answered with a value past its ttl because its reload failed (staleIfError)")
                .register(registry));
        bound.add(FunctionCounter.builder("recall.refreshes", s, MethodStats::refreshes).tags(tags).tag("result", "success")
                .description("refresh-ahead reloads that stored a value").register(registry));
        bound.add(FunctionCounter.builder("recall.refreshes", s, MethodStats::refreshFailures).tags(tags).tag("result", "failure")
                .description("refresh-ahead reloads that threw or could not run").register(registry));
        bound.add(Gauge.builder("recall.hit.ratio", s, MethodStats::hitRatio).tags(tags)
                .description("hits over calls since start").register(registry));
        for (String p : new String[] {"0.5", "0.9", "0.99"}) {
            bound.add(Gauge.builder("recall.load.recent", s, st -> percentile(st.recentLoads(RECENT, System.nanoTime()), p) / 1e3)
                    .tags(tags).tag("quantile", p).baseUnit("seconds")
                    .description("load time quantile over the last two minutes").register(registry));
        }
        RemoteCounters r = s.remote();
        remote(bound, registry, tags, "recall.remote.hits", r, RemoteCounters::remoteHits, "reads answered by Redis");
        remote(bound, registry, tags, "recall.remote.misses", r, RemoteCounters::remoteMisses, "reads Redis did not have");
        remote(bound, registry, tags, "recall.remote.errors", r, RemoteCounters::remoteErrors,
                "calls that could not use Redis (each ran the method)");
        remote(bound, registry, tags, "recall.near.hits", r, RemoteCounters::nearHits, "reads answered by the near cache");
        remote(bound, registry, tags, "recall.remote.rejected", r, RemoteCounters::rejectedEntries,
                "values in Redis refused unread (signature, class not allowed, replay)");
        if (method instanceof WriteBackMethod w) {
            bound.add(Gauge.builder("recall.writeback.pending", w, m -> m.queue().pending()).tags(tags)
                    .description("accepted write-backs not yet made").register(registry));
        }
        return bound;
    }

    private static void remote(List<Meter> bound, MeterRegistry registry, Tags tags, String name, RemoteCounters r,
                               ToDoubleFunction<RemoteCounters> count, String description) {
        bound.add(FunctionCounter.builder(name, r, count).tags(tags).description(description).register(registry));
    }

    private static double percentile(LatencySnapshot snapshot, String p) {
        switch (p) {
            case "0.5": return snapshot.p50();
            case "0.9": return snapshot.p90();
            default: return snapshot.p99();
        }
    }
}
