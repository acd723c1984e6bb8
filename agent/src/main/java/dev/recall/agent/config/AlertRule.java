package dev.recall.agent.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * One entry of {@code alerts:}: raise a JMX notification when {@code metric} of a method is above or
 * below a threshold over a window, and another when it no longer is. Immutable.
 *
 * @param condition what must hold of the metric for the alert to be raised
 * @param method the methods it watches, or {@code null} for every cached method
 * @param where the place in the file it was read from, for messages
 * @param webhook where each raised and cleared notification is also posted as JSON, or {@code null}
 */
public record AlertRule(String name, Condition condition, MethodPattern method, String where, URI webhook) {

    /**
     * @param above the threshold the value must exceed, or {@code null}
     * @param below the threshold the value must fall under, or {@code null}
     * @param over the window the value is measured over
     * @param minCalls for ratios: a window with fewer calls is not judged
     */
    public record Condition(String metric, Double above, Double below, Duration over, long minCalls) {
    }

    /** The metrics an alert can watch, as written in the file. */
    public static final List<String> METRICS = List.of("hitRatio", "averageLoadMillis", "p50LoadMillis", "p90LoadMillis",
            "p99LoadMillis", "maxLoadMillis", "loadFailures", "errors", "savedMillisPerSecond");

    public String describe() {
        String metric = condition.metric();
        Double above = condition.above();
        Double below = condition.below();
        Duration over = condition.over();
        return metric + (above != null ? " above " + num(above) : " below " + num(below)) + " over " + Durations.format(over);
    }

    static String num(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
