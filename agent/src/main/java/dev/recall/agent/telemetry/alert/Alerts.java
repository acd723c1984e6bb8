package dev.recall.agent.telemetry.alert;

import dev.recall.agent.config.AlertRule;
import dev.recall.agent.config.Durations;
import dev.recall.agent.log.Log;
import dev.recall.agent.method.CachedMethod;
import dev.recall.agent.method.MethodSettings;
import dev.recall.agent.method.MethodSpec;
import dev.recall.agent.metrics.LatencySnapshot;
import dev.recall.agent.metrics.MethodStats;
import dev.recall.agent.telemetry.jmx.AgentBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Watches the {@code alerts:} thresholds. Each (rule, method) pair is either raised or not: crossing the
 * threshold raises it (one notification, one log line) and coming back clears it (the same again), so an
 * operator hears about a change once, never repeatedly. A window without enough data (fewer calls than
 * {@code minCalls}, no load) changes nothing. Called only from the sampler's thread.
 */
public final class Alerts {

    private final List<AlertRule> rules;
    private final AgentBean agent;
    private final Map<String, String> raised = new LinkedHashMap<>();
    private final Webhooks webhooks;

    public Alerts(List<AlertRule> rules, AgentBean agent) {
        this(rules, agent, new Webhooks());
    }

    public Alerts(List<AlertRule> rules, AgentBean agent, Webhooks webhooks) {
        this.rules = rules;
        this.agent = agent;
        this.webhooks = webhooks;
    }

    /** Alerts that could not be posted to their webhook (the AgentBean's WebhookFailures). */
    public long webhookFailures() {
        return webhooks.failures();
    }

    public void evaluate(List<CachedMethod> methods, long nowNanos) {
        for (AlertRule rule : rules) {
            for (CachedMethod m : methods) {
                if (!(m.spec().settings() instanceof MethodSettings.Evict) && watches(rule, m.spec())) {
                    evaluate(rule, m, nowNanos);
                }
            }
        }
    }

    private void evaluate(AlertRule rule, CachedMethod m, long now) {
        double value = measure(rule, m.stats(), now);
        if (Double.isNaN(value)) {
            return;
        }
        AlertRule.Condition c = rule.condition();
        boolean breached = c.above() != null ? value > c.above() : value < c.below();
        String id = rule.name() + " | " + m.spec().signature();
        boolean wasRaised = raised.containsKey(id);
        if (breached == wasRaised) {
            return;
        }
        String text = c.metric() + " of " + m.spec().signature() + " is " + format(value) + " over the last "
                + Durations.format(c.over()) + (c.above() != null ? ", above " : ", below ")
                + format(c.above() != null ? c.above() : c.below()) + " (" + rule.name() + ", " + rule.where() + ")";
        if (breached) {
            raised.put(id, text);
            Log.warn("ALERT raised: " + text);
        } else {
            raised.remove(id);
            Log.info("alert cleared: " + text);
        }
        Map<String, Object> data = new HashMap<>();
        data.put("alert", rule.name());
        data.put("method", m.spec().signature().display());
        data.put("metric", c.metric());
        data.put("value", value);
        data.put("threshold", c.above() != null ? c.above() : c.below());
        data.put("direction", c.above() != null ? "above" : "below");
        data.put("windowSeconds", c.over().toSeconds());
        agent.alert(breached ? AgentBean.ALERT_RAISED : AgentBean.ALERT_CLEARED, (breached ? "raised: " : "cleared: ") + text,
                data, new ArrayList<>(raised.values()));
        if (rule.webhook() != null) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("state", breached ? "raised" : "cleared");
            fields.put("type", breached ? AgentBean.ALERT_RAISED : AgentBean.ALERT_CLEARED);
            fields.putAll(new TreeMap<>(data));
            webhooks.post(rule.webhook(), (breached ? ":rotating_light: Recall alert raised: " : ":white_check_mark: Recall alert "
                    + "cleared: ") + text, fields);
        }
    }

    static double measure(AlertRule rule, MethodStats stats, long now) {
        AlertRule.Condition c = rule.condition();
        long window = c.over().toNanos();
        switch (c.metric()) {
            case "hitRatio": {
                MethodStats.Window w = stats.window(window, now);
                return w.calls() < c.minCalls() ? Double.NaN : w.hitRatio();
            }
            case "loadFailures":
                return stats.window(window, now).loadFailures();
            case "errors":
                return stats.window(window, now).errors();
            case "savedMillisPerSecond": {
                // A window with no elapsed time (the first sample, or just after a reset) says nothing.
                MethodStats.Window w = stats.window(window, now);
                return w.nanos() <= 0 ? Double.NaN : w.savedMillisPerSecond();
            }
            default: {
                LatencySnapshot s = stats.recentLoads(window, now);
                switch (c.metric()) {
                    case "averageLoadMillis": return s.mean();
                    case "p50LoadMillis": return s.p50();
                    case "p90LoadMillis": return s.p90();
                    case "p99LoadMillis": return s.p99();
                    default: return s.max();
                }
            }
        }
    }

    private static boolean watches(AlertRule rule, MethodSpec spec) {
        if (rule.method() == null) {
            return true;
        }
        return spec.signature().matches(rule.method());
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e12 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3f", v);
    }
}
