package dev.recall.agent.telemetry.jmx;

import dev.recall.agent.method.CachedMethod;
import dev.recall.agent.method.MethodSpec;
import dev.recall.agent.metrics.MethodStats;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;
import javax.management.Notification;

/**
 * {@code dev.recall:type=Agent}: totals over every cached method, the agent's state, and the source of
 * alert notifications.
 */
public final class AgentBean extends DescribedBean<Void> {

    public static final String ALERT_RAISED = "dev.recall.alert.raised";
    public static final String ALERT_CLEARED = "dev.recall.alert.cleared";

    private final AgentStatus status;
    private final AtomicLong sequence = new AtomicLong();
    private volatile List<String> activeAlerts = List.of();

    AgentBean(AgentStatus status) {
        super("dev.recall.agent.Recall", "The Recall caching agent: totals over every cached method, and alerts");
        this.status = status;
        attribute("Version", String.class, "The agent's version", status::version);
        attribute("ConfigPath", String.class, "The configuration file, or empty when the agent runs on annotations only",
                () -> status.configPath() == null ? "" : status.configPath());
        attribute("Strict", boolean.class, "Whether a configuration error stops the JVM (-Drecall.strict=true)", status::strict);
        attribute("InstrumentedMethods", String[].class, "Every method the agent caches or evicts for, with its "
                + "region and strategy: all matched ones, called or not (a method's own MBean appears at its first call)",
                this::instrumented);
        attribute("ConfigErrors", String[].class, "Problems found in the configuration and in annotations, with file:line or method",
                () -> status.configErrors().toArray(new String[0]));
        attribute("HitCount", long.class, "Calls answered from the cache, all methods", () -> sum(MethodStats::hits));
        attribute("MissCount", long.class, "Calls that did not find their key, all methods", () -> sum(MethodStats::misses));
        attribute("HitRatio", double.class, "HitCount / (HitCount + MissCount), 0..1; NaN before any call", this::hitRatio);
        attribute("SavedLatencyMillis", double.class, "Time the hits saved, all methods", () -> sum(MethodStats::savedNanos) / 1e6);
        attribute("SavedMillisPerSecond", double.class, "Milliseconds saved per second over the last minute, all methods",
                this::savedPerSecond);
        attribute("LoadCount", long.class, "Method runs on a miss that returned normally, all methods", () -> sum(MethodStats::loads));
        attribute("LoadFailureCount", long.class, "Method runs on a miss that threw, all methods", () -> sum(MethodStats::loadFailures));
        attribute("ErrorCount", long.class, "Failures inside the agent (each such call ran uncached), all methods and classes",
                () -> sum(MethodStats::errors) + status.failures());
        attribute("RedisState", String.class, "UP, DOWN (calls run without Redis until a probe succeeds) or PROBING "
                + "(connecting, or checking it is back); NOT_CONFIGURED without a redis: section, UNUSED while no method uses it",
                status::redisState);
        attribute("MemcachedState", String.class, "UP, DOWN (calls run without Memcached until a probe succeeds) or PROBING "
                + "(connecting, or checking it is back); NOT_CONFIGURED without a memcached: section, UNUSED while no method uses it",
                status::memcachedState);
        attribute("UndeliveredWrites", long.class, "Writes and evictions that could not reach Redis when they were made,"
                + " since start: each was kept and delivered later, and until then other JVMs could serve the value it replaced",
                status::undeliveredWrites);
        attribute("UnreplicatedWrites", long.class, "Writes and evictions that no replica acknowledged within the wait"
                + " (WAIT), since start: a failover before the replica caught up may lose them; 0 without replicas",
                status::unreplicatedWrites);
        attribute("RedisTopologyChanges", long.class, "Changes of Redis master seen since start (a failover by Sentinel or"
                + " the cluster); each empties the near caches", status::redisTopologyChanges);
        attribute("ActiveAlerts", String[].class, "Alerts raised and not cleared yet", () -> activeAlerts.toArray(new String[0]));
        attribute("WebhookFailureCount", long.class, "Alert notifications no webhook took (failed three times, or dropped "
                + "while 100 waited)", () -> webhookFailures.getAsLong());
        operation("invalidateAll", "Removes every entry of every region", void.class, p -> {
            for (CachedMethod m : status.methods()) {
                m.invalidateAll();
            }
            return null;
        });
        operation("resetStatistics", "Sets every method's counters and latency windows back to zero; entries stay", void.class, p -> {
            for (CachedMethod m : status.methods()) {
                m.resetStatistics();
            }
            return null;
        });
        notification(new String[] {ALERT_RAISED, ALERT_CLEARED},
                "An alert threshold of the configuration's alerts: section was crossed (raised) or is no longer (cleared)");
    }

    private String[] instrumented() {
        List<String> out = new ArrayList<>();
        // Matched methods, called or not: one never called has no MBean of its own yet.
        for (MethodSpec m : status.matched()) {
            out.add(m.signature() + " [" + m.settings().kindName() + ", cache " + m.region() + "]");
        }
        return out.toArray(new String[0]);
    }

    private long sum(ToLongFunction<MethodStats> f) {
        long total = 0;
        for (CachedMethod m : status.methods()) {
            total += f.applyAsLong(m.stats());
        }
        return total;
    }

    private double hitRatio() {
        long hits = sum(MethodStats::hits);
        long calls = hits + sum(MethodStats::misses);
        return calls == 0 ? Double.NaN : (double) hits / calls;
    }

    private double savedPerSecond() {
        long now = System.nanoTime();
        double total = 0;
        for (CachedMethod m : status.methods()) {
            total += m.stats().window(CachedMethodBean.RATE_WINDOW_NANOS, now).savedMillisPerSecond();
        }
        return total;
    }

    /** Set once the alerts exist: how many notifications their webhooks could not deliver. */
    private volatile LongSupplier webhookFailures = () -> 0;

    public void countWebhookFailures(LongSupplier failures) {
        this.webhookFailures = failures;
    }

    /** Sends an alert notification; {@code userData} carries the figures for programs that listen. */
    public void alert(String type, String message, Object userData, List<String> active) {
        activeAlerts = List.copyOf(active);
        Notification n = new Notification(type, JmxExporter.AGENT_NAME, sequence.incrementAndGet(), System.currentTimeMillis(), message);
        n.setUserData(userData);
        sendNotification(n);
    }
}
