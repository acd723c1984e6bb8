package dev.recall.agent.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Reads one entry of {@code alerts:}. Used by one reading, on one thread. */
final class AlertReader {

    private static final List<String> ALERT_KEYS = List.of("name", "metric", "above", "below", "over", "method", "minCalls",
            "webhook");
    private static final Duration LONGEST_ALERT_WINDOW = Duration.ofMinutes(10);

    private final Scalars in;
    private final Problems problems;

    AlertReader(Scalars in) {
        this.in = in;
        this.problems = in.problems();
    }

    AlertRule read(YamlNode node, int number) {
        Map<String, YamlNode> m = in.mapping(node, "an alerts entry", ALERT_KEYS);
        String metric = in.scalar(m.get("metric"), "metric");
        if (metric == null) {
            problems.error(node, "each alerts entry needs 'metric:', one of " + String.join(", ", AlertRule.METRICS));
            return null;
        }
        if (!AlertRule.METRICS.contains(metric)) {
            problems.error(m.get("metric"), "unknown alert metric '" + metric + "'" + problems.itHas(m.get("metric"), metric)
                    + Suggestions.didYouMean(metric, AlertRule.METRICS));
            return null;
        }
        if (m.containsKey("above") == m.containsKey("below")) {
            problems.error(node, "an alert needs exactly one of 'above:' or 'below:', the threshold, "
                    + "for example 'below: 0.5' for hitRatio or 'above: 200' for p90LoadMillis");
            return null;
        }
        Double above = in.number(m.get("above"), "above");
        Double below = in.number(m.get("below"), "below");
        if (above == null && below == null) {
            return null;
        }
        Duration over = m.containsKey("over") ? in.duration(m.get("over"), "over") : Duration.ofMinutes(1);
        if (over == null) {
            return null;
        }
        if (over.compareTo(LONGEST_ALERT_WINDOW) > 0 || over.compareTo(Duration.ofSeconds(1)) < 0) {
            problems.error(m.get("over"), "an alert window ('over:') must be between 1s and 10m, got "
                    + Durations.format(over));
            return null;
        }
        MethodPattern method = null;
        if (m.containsKey("method")) {
            method = in.pattern(node, m.get("method"), "alerts");
            if (method == null) {
                return null;
            }
        }
        // Long.valueOf, not 10: a long there would unbox the null of a bad value.
        Long minCalls = m.containsKey("minCalls") ? in.nonNegativeLong(m.get("minCalls"), "minCalls") : Long.valueOf(10);
        if (minCalls == null) {
            return null;
        }
        String name = in.scalar(m.get("name"), "name");
        URI webhook = null;
        String hook = in.scalar(m.get("webhook"), "webhook");
        if (hook != null) {
            webhook = in.httpAddress(m.get("webhook"), hook, "webhook", "https://hooks.slack.com/services/T000/B000/XXXX");
            if (webhook == null) {
                return null;
            }
        }
        return new AlertRule(name == null ? "alert " + number : name,
                new AlertRule.Condition(metric, above, below, over, minCalls), method, problems.where(node), webhook);
    }
}
