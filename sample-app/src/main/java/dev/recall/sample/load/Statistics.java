package dev.recall.sample.load;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * Accumulates the measured phase's outcomes: HdrHistograms of response time and latency (microseconds,
 * 3 significant digits, so percentiles are within 0.1% and nothing is ever sorted), error and byte
 * counters, Apdex classes, and the same per endpoint.
 *
 * <p>Shared between threads: outcomes arrive on the HTTP client's completion threads (open loop) or the
 * client threads (closed loop). Every method is {@code synchronized}; recording is a few array
 * increments, so the lock is held for well under a microsecond and costs nothing at the rates a
 * single-machine generator reaches.
 *
 * <p>What counts where:
 * <ul>
 *   <li>response time: every request that got a response (any status) or timed out; a timed-out request's
 *       user waited that long. Transport failures (refused, reset) are left out: they would pull the
 *       percentiles down precisely when the service is at its worst; the error rate shows them.</li>
 *   <li>latency: response time minus the service's own {@code Server-Timing} duration, for responses that
 *       carry it: transport, queueing in the service's accept backlog and thread pool, and (open loop)
 *       time the generator itself was late.</li>
 *   <li>errors: 5xx, timeouts, transport failures. 4xx are counted apart and are not errors.</li>
 *   <li>Apdex: errors are frustrated; otherwise satisfied up to T, tolerating up to 4T, frustrated beyond.</li>
 * </ul>
 */
final class Statistics {

    /** Longer than any timeout anyone would set; values above are clamped rather than lost. */
    static final long HIGHEST_MICROS = TimeUnit.HOURS.toMicros(1);
    /** Distribution points for charts: 5 per halving of the distance to 100%, the usual HdrHistogram plot. */
    static final int TICKS_PER_HALF_DISTANCE = 5;
    static final double LAST_PERCENTILE = 99.99;

    private final long apdexMicros;
    private final Histogram responseTimes = histogram();
    private final Histogram latencies = histogram();
    private final Map<Endpoint, PerEndpoint> endpoints = new EnumMap<>(Endpoint.class);
    private long requests;
    private long ok;
    private long clientErrors;
    private long serverErrors;
    private long timeouts;
    private long ioErrors;
    private long bytesOut;
    private long bytesIn;
    private long satisfied;
    private long tolerating;
    private long frustrated;

    Statistics(long apdexMicros) {
        if (apdexMicros <= 0) {
            throw new IllegalArgumentException("Apdex T must be positive");
        }
        this.apdexMicros = apdexMicros;
    }

    /** @param responseNanos from the request's (intended) send time to its outcome */
    synchronized void record(Outcome outcome, long responseNanos) {
        long micros = clamp((responseNanos + 500) / 1_000);
        requests++;
        PerEndpoint e = endpoints.computeIfAbsent(outcome.endpoint(), k -> new PerEndpoint());
        e.count++;
        switch (outcome.failure()) {
            case TIMEOUT -> timeouts++;
            case IO -> ioErrors++;
            case NONE -> {
                if (outcome.status() >= 500) {
                    serverErrors++;
                } else if (outcome.isClientError()) {
                    clientErrors++;
                } else {
                    ok++;
                }
            }
        }
        if (outcome.isError()) {
            e.errors++;
        } else if (outcome.isClientError()) {
            e.clientErrors++;
        }
        if (outcome.failure() != Outcome.Failure.IO) {
            responseTimes.recordValue(micros);
            e.responseTimes.recordValue(micros);
        }
        if (outcome.failure() == Outcome.Failure.NONE && outcome.serverMicros() >= 0) {
            // Clock readings on two sides and the header's rounding can make this a hair negative.
            latencies.recordValue(clamp(micros - outcome.serverMicros()));
        }
        if (outcome.isError() || micros > 4 * apdexMicros) {
            frustrated++;
        } else if (micros <= apdexMicros) {
            satisfied++;
        } else {
            tolerating++;
        }
        bytesOut += outcome.bytesOut();
        bytesIn += outcome.bytesIn();
    }

    synchronized long requests() {
        return requests;
    }

    synchronized long errors() {
        return serverErrors + timeouts + ioErrors;
    }

    synchronized LoadResult toResult(String label, Instant started, LoadSpec spec, double measuredSeconds,
                                     long completedInWindow, LoadResult.Dispatch dispatch) {
        List<LoadResult.EndpointStats> perEndpoint = new ArrayList<>();
        for (Map.Entry<Endpoint, PerEndpoint> entry : endpoints.entrySet()) {
            PerEndpoint e = entry.getValue();
            Histogram h = e.responseTimes;
            perEndpoint.add(new LoadResult.EndpointStats(entry.getKey().key(), e.count, e.errors, e.clientErrors,
                    mean(h), at(h, 50), at(h, 99), max(h)));
        }
        Histogram r = responseTimes;
        Histogram l = latencies;
        return new LoadResult(label, started, spec, measuredSeconds, completedInWindow,
                new LoadResult.Counts(requests, ok, clientErrors, serverErrors, timeouts, ioErrors),
                new LoadResult.ResponseTimes(r.getTotalCount(), mean(r), r.getTotalCount() == 0 ? 0 : ms(r.getStdDeviation()),
                        r.getTotalCount() == 0 ? 0 : ms(r.getMinValue()), at(r, 50), at(r, 90), at(r, 99), at(r, 99.9), max(r)),
                new LoadResult.Latency(l.getTotalCount(), mean(l), at(l, 50), at(l, 90), at(l, 99), max(l)),
                bytesOut, bytesIn, new LoadResult.Apdex(satisfied, tolerating, frustrated), dispatch,
                perEndpoint, distribution(r));
    }

    private static List<LoadResult.Point> distribution(Histogram h) {
        List<LoadResult.Point> points = new ArrayList<>();
        if (h.getTotalCount() == 0) {
            return points;
        }
        for (HistogramIterationValue v : h.percentiles(TICKS_PER_HALF_DISTANCE)) {
            double p = v.getPercentileLevelIteratedTo();
            if (p > LAST_PERCENTILE) {
                break;
            }
            points.add(new LoadResult.Point(p, ms(v.getValueIteratedTo())));
        }
        return points;
    }

    private static Histogram histogram() {
        return new Histogram(HIGHEST_MICROS, 3);
    }

    private static long clamp(long micros) {
        return Math.max(0, Math.min(HIGHEST_MICROS, micros));
    }

    private static double mean(Histogram h) {
        return h.getTotalCount() == 0 ? 0 : ms(h.getMean());
    }

    private static double at(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : ms(h.getValueAtPercentile(percentile));
    }

    private static double max(Histogram h) {
        return h.getTotalCount() == 0 ? 0 : ms(h.getMaxValue());
    }

    private static double ms(double micros) {
        return micros / 1_000.0;
    }

    /** One endpoint's share; guarded by the enclosing instance's lock. */
    private static final class PerEndpoint {
        final Histogram responseTimes = histogram();
        long count;
        long errors;
        long clientErrors;
    }
}
