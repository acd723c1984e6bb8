package dev.recall.sample.load;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The figures of one load run, immutable: throughput, response time, latency (response time minus the
 * service's own processing time), errors, bytes, Apdex, how punctual the generator was, a per-endpoint
 * breakdown and the response-time distribution for a chart. Times are in milliseconds.
 *
 * <p>{@link #toJson()} and {@link #fromJson(String)} round-trip exactly, so a result saved by one run can be
 * compared with a later one ({@link #compare}).
 */
public final class LoadResult {

    /**
     * Response time of every request that got a response or timed out, from its (intended) send time.
     * {@code maxMs} is the peak response time.
     */
    public record ResponseTimes(long count, double avgMs, double stdDevMs, double minMs, double p50Ms, double p90Ms,
                                double p99Ms, double p999Ms, double maxMs) {
    }

    /** Response time minus {@code Server-Timing: app;dur}: transport and queueing, over responses carrying the header. */
    public record Latency(long count, double avgMs, double p50Ms, double p90Ms, double p99Ms, double maxMs) {
    }

    /**
     * Outcomes of the measured requests.
     *
     * @param ok           2xx and 3xx
     * @param clientErrors 4xx: counted, but the service did its job
     * @param serverErrors 5xx
     * @param timeouts     no response within the spec's timeout
     * @param ioErrors     connection refused, reset, and other transport failures
     */
    public record Counts(long requests, long ok, long clientErrors, long serverErrors, long timeouts, long ioErrors) {

        public long errors() {
            return serverErrors + timeouts + ioErrors;
        }

        /** Errors per request, 0..1. */
        public double errorRate() {
            return requests == 0 ? 0 : (double) errors() / requests;
        }
    }

    /** Apdex classes; errors are frustrated. */
    public record Apdex(long satisfied, long tolerating, long frustrated) {

        public long total() {
            return satisfied + tolerating + frustrated;
        }

        /** (satisfied + tolerating / 2) / total, 0..1; 0 when nothing was measured. */
        public double score() {
            return total() == 0 ? 0 : (satisfied + tolerating / 2.0) / total();
        }
    }

    /**
     * How punctual the open loop was (always zero in closed mode, where "intended" is "now").
     *
     * @param sentLate requests dispatched more than {@link LoadGenerator#LATE_MILLIS} ms after their intended time
     * @param maxLagMs the longest such delay; response times include it, as a user would
     */
    public record Dispatch(long sentLate, double maxLagMs) {
    }

    /** One endpoint's share of the measured requests. */
    public record EndpointStats(String endpoint, long count, long errors, long clientErrors, double avgMs, double p50Ms,
                                double p99Ms, double maxMs) {

        /** The request it stands for, e.g. {@code GET /products/{id}}. */
        public String route() {
            try {
                return Endpoint.fromKey(endpoint).route();
            } catch (IllegalArgumentException e) {
                return endpoint;
            }
        }
    }

    /** A point of the response-time distribution: {@code percentile} (0..99.99) of requests took at most {@code millis}. */
    public record Point(double percentile, double millis) {
    }

    private final String label;
    private final Instant started;
    private final LoadSpec spec;
    private final double measuredSeconds;
    private final long completedInWindow;
    private final Counts counts;
    private final ResponseTimes responseTimes;
    private final Latency latency;
    private final long bytesOut;
    private final long bytesIn;
    private final Apdex apdex;
    private final Dispatch dispatch;
    private final List<EndpointStats> endpoints;
    private final List<Point> distribution;

    /**
     * @param measuredSeconds   length of the measured phase
     * @param completedInWindow requests (of any phase) that completed during the measured phase: the throughput
     */
    public LoadResult(String label, Instant started, LoadSpec spec, double measuredSeconds, long completedInWindow,
                      Counts counts, ResponseTimes responseTimes, Latency latency, long bytesOut, long bytesIn, Apdex apdex,
                      Dispatch dispatch, List<EndpointStats> endpoints, List<Point> distribution) {
        this.label = Objects.requireNonNull(label, "label");
        this.started = Objects.requireNonNull(started, "started");
        this.spec = Objects.requireNonNull(spec, "spec");
        this.measuredSeconds = measuredSeconds;
        this.completedInWindow = completedInWindow;
        this.counts = Objects.requireNonNull(counts, "counts");
        this.responseTimes = Objects.requireNonNull(responseTimes, "responseTimes");
        this.latency = Objects.requireNonNull(latency, "latency");
        this.bytesOut = bytesOut;
        this.bytesIn = bytesIn;
        this.apdex = Objects.requireNonNull(apdex, "apdex");
        this.dispatch = Objects.requireNonNull(dispatch, "dispatch");
        this.endpoints = List.copyOf(endpoints);
        this.distribution = List.copyOf(distribution);
    }

    public String label() {
        return label;
    }

    public Instant started() {
        return started;
    }

    public LoadSpec spec() {
        return spec;
    }

    public double measuredSeconds() {
        return measuredSeconds;
    }

    public long completedInWindow() {
        return completedInWindow;
    }

    /** Responses (and failures) completed per second of the measured phase. */
    public double requestsPerSecond() {
        return measuredSeconds <= 0 ? 0 : completedInWindow / measuredSeconds;
    }

    public Counts counts() {
        return counts;
    }

    public ResponseTimes responseTimes() {
        return responseTimes;
    }

    /** The longest response time of all measured requests, processing included. */
    public double peakResponseTimeMs() {
        return responseTimes.maxMs();
    }

    public Latency latency() {
        return latency;
    }

    /** Request bytes sent: request line, headers and body ({@link PlannedRequest#wireBytes()}). */
    public long bytesOut() {
        return bytesOut;
    }

    /** Response bytes received: status line, headers and body (see {@link Sender}). */
    public long bytesIn() {
        return bytesIn;
    }

    public Apdex apdex() {
        return apdex;
    }

    public Dispatch dispatch() {
        return dispatch;
    }

    public List<EndpointStats> endpoints() {
        return endpoints;
    }

    public List<Point> distribution() {
        return distribution;
    }

    public String toJson() {
        return ResultJson.write(this);
    }

    /** @throws IllegalArgumentException if the text is not a result written by {@link #toJson()} */
    public static LoadResult fromJson(String json) {
        return ResultJson.read(json);
    }

    /** All figures as an aligned text table. */
    public String table() {
        return ResultTables.table(this);
    }

    /** {@code a} and {@code b} side by side with the change from a to b, as aligned text. */
    public static String compare(LoadResult a, LoadResult b) {
        return ResultTables.compare(a, b);
    }

    /** {@link #compare} as a Markdown table, for a report file. */
    public static String compareMarkdown(LoadResult a, LoadResult b) {
        return ResultTables.compareMarkdown(a, b);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof LoadResult r)) {
            return false;
        }
        return label.equals(r.label) && started.equals(r.started) && spec.equals(r.spec)
                && Double.compare(measuredSeconds, r.measuredSeconds) == 0 && completedInWindow == r.completedInWindow
                && counts.equals(r.counts) && responseTimes.equals(r.responseTimes) && latency.equals(r.latency)
                && bytesOut == r.bytesOut && bytesIn == r.bytesIn && apdex.equals(r.apdex) && dispatch.equals(r.dispatch)
                && endpoints.equals(r.endpoints) && distribution.equals(r.distribution);
    }

    @Override
    public int hashCode() {
        return Objects.hash(label, started, spec, measuredSeconds, completedInWindow, counts, responseTimes, latency,
                bytesOut, bytesIn, apdex, dispatch, endpoints, distribution);
    }

    @Override
    public String toString() {
        return "LoadResult[" + label + ", " + counts.requests() + " requests, p50 " + responseTimes.p50Ms() + " ms]";
    }
}
