package dev.recall.agent.metrics;

import org.HdrHistogram.Histogram;

/** Load latencies of a window, in milliseconds; {@code NaN} where there was no load. Immutable. */
public record LatencySnapshot(long count, double mean, double p50, double p90, double p99, double max) {

    static final LatencySnapshot EMPTY = new LatencySnapshot(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    static LatencySnapshot of(Histogram micros) {
        long n = micros.getTotalCount();
        if (n == 0) {
            return EMPTY;
        }
        return new LatencySnapshot(n, micros.getMean() / 1000.0, ms(micros.getValueAtPercentile(50)),
                ms(micros.getValueAtPercentile(90)), ms(micros.getValueAtPercentile(99)), ms(micros.getMaxValue()));
    }

    private static double ms(long micros) {
        return micros / 1000.0;
    }
}
