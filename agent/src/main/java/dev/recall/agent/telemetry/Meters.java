package dev.recall.agent.telemetry;

import dev.recall.agent.metrics.LatencySnapshot;

import dev.recall.agent.metrics.MethodStats;

import dev.recall.agent.method.CachedMethod;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Micrometer face of a method's figures: meters named {@code recall.*}, tagged with {@code method}
 * and {@code cache}, that read {@link MethodStats}, the same source of truth as JMX. They are views, not
 * second copies: the hit path stays two striped additions and any registry the meters are later exported
 * to sees exactly what JMX shows.
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
        bound.add(FunctionCounter.builder("recall.hits", s, MethodStats::hits).tags(tags)
                .description("calls answered from the cache").register(registry));
        bound.add(FunctionCounter.builder("recall.misses", s, MethodStats::misses).tags(tags)
                .description("calls that did not find their key").register(registry));
        bound.add(FunctionCounter.builder("recall.load.failures", s, MethodStats::loadFailures).tags(tags)
                .description("loads that threw").register(registry));
        bound.add(FunctionCounter.builder("recall.errors", s, MethodStats::errors).tags(tags)
                .description("failures inside the agent; those calls ran uncached").register(registry));
        bound.add(FunctionCounter.builder("recall.saved", s, st -> st.savedNanos() / 1e9).tags(tags).baseUnit("seconds")
                .description("time the hits saved").register(registry));
        bound.add(FunctionCounter.builder("recall.evictions", method, CachedMethod::evictions).tags(tags)
                .description("entries removed by size bound or expiry").register(registry));
        bound.add(FunctionTimer.builder("recall.loads", s, MethodStats::loads, MethodStats::totalLoadNanos, TimeUnit.NANOSECONDS)
                .tags(tags).description("runs of the method on a miss").register(registry));
        bound.add(Gauge.builder("recall.hit.ratio", s, MethodStats::hitRatio).tags(tags).register(registry));
        bound.add(Gauge.builder("recall.size", method, CachedMethod::size).tags(tags).register(registry));
        for (String p : new String[] {"0.5", "0.9", "0.99"}) {
            bound.add(Gauge.builder("recall.load.recent", s, st -> percentile(st.recentLoads(RECENT, System.nanoTime()), p))
                    .tags(tags).tag("percentile", p).baseUnit("milliseconds")
                    .description("load time percentile over the last two minutes").register(registry));
        }
        return bound;
    }

    private static double percentile(LatencySnapshot snapshot, String p) {
        switch (p) {
            case "0.5": return snapshot.p50();
            case "0.9": return snapshot.p90();
            default: return snapshot.p99();
        }
    }
}
