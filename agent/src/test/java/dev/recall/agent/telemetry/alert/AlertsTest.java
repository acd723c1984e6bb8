package dev.recall.agent.telemetry.alert;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.agent.config.AlertRule;
import dev.recall.agent.config.MethodPattern;
import dev.recall.agent.method.CachedMethod;
import dev.recall.agent.method.TestMethods;
import dev.recall.agent.metrics.MethodStats;
import dev.recall.agent.telemetry.jmx.AgentBean;
import dev.recall.agent.telemetry.jmx.JmxExporter;
import dev.recall.agent.telemetry.jmx.TestStatus;
import dev.recall.agent.store.Region;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.management.Notification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AlertsTest {

    private static final String SIG = "com.acme.Repo.find(long)";
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);
    private static final long T0 = TimeUnit.HOURS.toNanos(5);

    private CachedMethod method;
    private TestStatus status;
    private AgentBean agent;
    private final List<Notification> received = new ArrayList<>();

    @BeforeEach
    void setUp() {
        method = TestMethods.readThrough(SIG, "repo");
        status = new TestStatus(method);
        agent = new JmxExporter(status).agentBean();
        agent.addNotificationListener((n, handback) -> received.add(n), null, null);
    }

    private static AlertRule below(String name, String metric, double threshold, Duration over, MethodPattern method,
                                   long minCalls) {
        return new AlertRule(name, new AlertRule.Condition(metric, null, threshold, over, minCalls), method, "recall.yml:3", null);
    }

    private static AlertRule above(String name, String metric, double threshold, Duration over, MethodPattern method) {
        return new AlertRule(name, new AlertRule.Condition(metric, threshold, null, over, 10), method, "recall.yml:9", null);
    }

    private static AlertRule lowHitRatio() {
        return below("low hits", "hitRatio", 0.5, Duration.ofMinutes(1), null, 10);
    }

    private static void calls(MethodStats s, int hits, int misses) {
        for (int i = 0; i < hits; i++) {
            s.hit(10 * MS);
        }
        for (int i = 0; i < misses; i++) {
            s.miss();
        }
    }

    private String[] activeAlerts() throws Exception {
        return (String[]) agent.getAttribute("ActiveAlerts");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> data(Notification n) {
        return assertInstanceOf(Map.class, n.getUserData());
    }

    @Test
    void crossingTheThresholdRaisesOnceAndRecoveringClearsOnce() throws Exception {
        Alerts alerts = new Alerts(List.of(lowHitRatio()), agent);
        MethodStats s = method.stats();
        s.sample(T0);
        calls(s, 2, 10);

        alerts.evaluate(List.of(method), T0 + 30 * SECOND);
        assertEquals(1, received.size(), "one notification when the threshold is crossed");
        Notification raised = received.get(0);
        assertEquals(AgentBean.ALERT_RAISED, raised.getType());
        assertEquals(JmxExporter.AGENT_NAME, raised.getSource());
        assertTrue(raised.getMessage().contains(SIG), raised.getMessage());
        Map<String, Object> d = data(raised);
        assertEquals("low hits", d.get("alert"));
        assertEquals(SIG, d.get("method"));
        assertEquals("hitRatio", d.get("metric"));
        assertEquals(2.0 / 12, (Double) d.get("value"), 1e-12);
        assertEquals(0.5, d.get("threshold"));
        assertEquals("below", d.get("direction"));
        assertEquals(60L, d.get("windowSeconds"));
        assertEquals(1, activeAlerts().length);
        assertTrue(activeAlerts()[0].contains(SIG), activeAlerts()[0]);

        // Still breached: nothing more.
        calls(s, 0, 5);
        alerts.evaluate(List.of(method), T0 + 35 * SECOND);
        alerts.evaluate(List.of(method), T0 + 40 * SECOND);
        assertEquals(1, received.size(), "a breach that goes on is not repeated");

        // Recovered: 42 hits of 57 calls.
        calls(s, 40, 0);
        alerts.evaluate(List.of(method), T0 + 45 * SECOND);
        assertEquals(2, received.size());
        Notification cleared = received.get(1);
        assertEquals(AgentBean.ALERT_CLEARED, cleared.getType());
        assertTrue(cleared.getSequenceNumber() > raised.getSequenceNumber());
        assertEquals(42.0 / 57, (Double) data(cleared).get("value"), 1e-12);
        assertEquals("low hits", data(cleared).get("alert"));
        assertArrayEquals(new String[0], activeAlerts());

        // Staying healthy: nothing more.
        calls(s, 10, 0);
        alerts.evaluate(List.of(method), T0 + 50 * SECOND);
        assertEquals(2, received.size());
    }

    @Test
    void windowWithFewerCallsThanMinCallsRaisesNothing() {
        Alerts alerts = new Alerts(List.of(lowHitRatio()), agent);
        MethodStats s = method.stats();
        s.sample(T0);
        calls(s, 0, 9);
        alerts.evaluate(List.of(method), T0 + 30 * SECOND);
        assertEquals(List.of(), received);
        calls(s, 0, 1);
        alerts.evaluate(List.of(method), T0 + 31 * SECOND);
        assertEquals(1, received.size(), "ten calls reach minCalls");
    }

    @Test
    void windowWithFewerCallsThanMinCallsDoesNotClearEither() throws Exception {
        Alerts alerts = new Alerts(List.of(lowHitRatio()), agent);
        MethodStats s = method.stats();
        s.sample(T0);
        calls(s, 0, 12);
        alerts.evaluate(List.of(method), T0 + 30 * SECOND);
        assertEquals(1, received.size());

        // A later window holds only three calls, all hits: not enough to judge, so still raised.
        s.sample(T0 + 100 * SECOND);
        calls(s, 3, 0);
        alerts.evaluate(List.of(method), T0 + 130 * SECOND);
        assertEquals(1, received.size(), "a window without enough calls changes nothing");
        assertEquals(1, activeAlerts().length);
    }

    @Test
    void windowWithoutSamplesChangesNothing() {
        Alerts alerts = new Alerts(List.of(lowHitRatio()), agent);
        calls(method.stats(), 0, 50);
        alerts.evaluate(List.of(method), T0);
        assertEquals(List.of(), received);
    }

    @Test
    void p90LoadAboveThresholdRaisesAndFastLoadsInALaterWindowClear() {
        AlertRule rule = above("slow loads", "p90LoadMillis", 200, Duration.ofMinutes(1), null);
        Alerts alerts = new Alerts(List.of(rule), agent);
        MethodStats s = method.stats();
        for (int i = 0; i < 10; i++) {
            s.load(500 * MS);
        }
        alerts.evaluate(List.of(method), T0);
        assertEquals(1, received.size());
        Map<String, Object> d = data(received.get(0));
        assertEquals(AgentBean.ALERT_RAISED, received.get(0).getType());
        assertEquals("p90LoadMillis", d.get("metric"));
        assertEquals(500, (Double) d.get("value"), 5);
        assertEquals(200.0, d.get("threshold"));
        assertEquals("above", d.get("direction"));
        assertEquals(60L, d.get("windowSeconds"));

        // Five minutes later the window holds no load at all: no data, no change.
        alerts.evaluate(List.of(method), T0 + 5 * MINUTE);
        assertEquals(1, received.size(), "an empty latency window changes nothing");

        for (int i = 0; i < 100; i++) {
            s.load(10 * MS);
        }
        alerts.evaluate(List.of(method), T0 + 6 * MINUTE);
        assertEquals(2, received.size());
        assertEquals(AgentBean.ALERT_CLEARED, received.get(1).getType());
        assertEquals(10, (Double) data(received.get(1)).get("value"), 0.1);
    }

    @Test
    void p90BelowThresholdRaisesNothing() {
        AlertRule rule = above("slow loads", "p90LoadMillis", 200, Duration.ofMinutes(1), null);
        Alerts alerts = new Alerts(List.of(rule), agent);
        for (int i = 0; i < 95; i++) {
            method.stats().load(50 * MS);
        }
        for (int i = 0; i < 5; i++) {
            method.stats().load(900 * MS);
        }
        alerts.evaluate(List.of(method), T0);
        assertEquals(List.of(), received, "p90 is 50ms; only p99 is slow");
    }

    @Test
    void errorsAboveZeroRaise() {
        AlertRule rule = above("agent errors", "errors", 0, Duration.ofMinutes(1), null);
        Alerts alerts = new Alerts(List.of(rule), agent);
        MethodStats s = method.stats();
        s.sample(T0);
        alerts.evaluate(List.of(method), T0 + SECOND);
        assertEquals(List.of(), received, "no error yet");

        s.error();
        s.error();
        alerts.evaluate(List.of(method), T0 + 10 * SECOND);
        assertEquals(1, received.size());
        assertEquals(AgentBean.ALERT_RAISED, received.get(0).getType());
        assertEquals(2.0, data(received.get(0)).get("value"));
        assertEquals("errors", data(received.get(0)).get("metric"));

        // A window that starts after the errors: back to zero, cleared.
        s.sample(T0 + 20 * SECOND);
        s.sample(T0 + 90 * SECOND);
        alerts.evaluate(List.of(method), T0 + 95 * SECOND);
        assertEquals(2, received.size());
        assertEquals(AgentBean.ALERT_CLEARED, received.get(1).getType());
        assertEquals(0.0, data(received.get(1)).get("value"));
    }

    @Test
    void loadFailuresAboveThresholdRaise() {
        AlertRule rule = above("failing loads", "loadFailures", 2, Duration.ofMinutes(1), null);
        Alerts alerts = new Alerts(List.of(rule), agent);
        MethodStats s = method.stats();
        s.sample(T0);
        s.loadFailure(MS);
        s.loadFailure(MS);
        alerts.evaluate(List.of(method), T0 + SECOND);
        assertEquals(List.of(), received, "2 is not above 2");
        s.loadFailure(MS);
        alerts.evaluate(List.of(method), T0 + 2 * SECOND);
        assertEquals(1, received.size());
        assertEquals(3.0, data(received.get(0)).get("value"));
    }

    @Test
    void ruleWhoseMethodPatternMatchesWatchesTheMethod() {
        AlertRule rule = below("repo", "hitRatio", 0.5, Duration.ofMinutes(1), MethodPattern.parse("com.acme.Repo#find(long)"), 10);
        Alerts alerts = new Alerts(List.of(rule), agent);
        method.stats().sample(T0);
        calls(method.stats(), 0, 20);
        alerts.evaluate(List.of(method), T0 + SECOND);
        assertEquals(1, received.size());
    }

    @Test
    void ruleWhoseMethodPatternMatchesOneOfSeveralParametersWatchesTheMethod() {
        CachedMethod two = TestMethods.readThrough("com.acme.fx.RatesClient.rate(java.lang.String,java.lang.String)", "fx");
        AlertRule rule = below("fx", "hitRatio", 0.5, Duration.ofMinutes(1),
                MethodPattern.parse("com.acme.fx.RatesClient#rate(String, String)"), 10);
        Alerts alerts = new Alerts(List.of(rule), agent);
        two.stats().sample(T0);
        calls(two.stats(), 0, 20);
        alerts.evaluate(List.of(two), T0 + SECOND);
        assertEquals(1, received.size());
        assertEquals(two.spec().signature().display(), data(received.get(0)).get("method"));
    }

    @Test
    void ruleWhoseMethodPatternDoesNotMatchNeverFires() {
        List<AlertRule> rules = List.of(
                below("other class", "hitRatio", 0.5, Duration.ofMinutes(1), MethodPattern.parse("com.acme.Other#find(long)"), 10),
                below("other method", "hitRatio", 0.5, Duration.ofMinutes(1), MethodPattern.parse("com.acme.Repo#save(..)"), 10),
                below("other params", "hitRatio", 0.5, Duration.ofMinutes(1), MethodPattern.parse("com.acme.Repo#find(String)"), 10),
                below("no params", "hitRatio", 0.5, Duration.ofMinutes(1), MethodPattern.parse("com.acme.Repo#find()"), 10));
        Alerts alerts = new Alerts(rules, agent);
        method.stats().sample(T0);
        calls(method.stats(), 0, 50);
        alerts.evaluate(List.of(method), T0 + SECOND);
        alerts.evaluate(List.of(method), T0 + 2 * SECOND);
        assertEquals(List.of(), received);
    }

    @Test
    void evictMethodsAreIgnored() {
        Region region = TestMethods.region("repo-evict");
        CachedMethod evict = TestMethods.evict("com.acme.Repo.delete(long)", region);
        Alerts alerts = new Alerts(List.of(lowHitRatio(), above("errors", "errors", 0, Duration.ofMinutes(1), null)), agent);
        evict.stats().sample(T0);
        calls(evict.stats(), 0, 50);
        evict.stats().error();
        alerts.evaluate(List.of(evict), T0 + SECOND);
        assertEquals(List.of(), received);
    }

    @Test
    void eachRuleAndMethodPairIsRaisedOnItsOwn() throws Exception {
        CachedMethod other = TestMethods.readThrough("com.acme.Repo.all()", "all");
        status.methods.add(other);
        Alerts alerts = new Alerts(List.of(lowHitRatio(), above("errors", "errors", 0, Duration.ofMinutes(1), null)), agent);
        method.stats().sample(T0);
        other.stats().sample(T0);
        calls(method.stats(), 0, 20);
        calls(other.stats(), 20, 0);
        other.stats().error();

        alerts.evaluate(List.of(method, other), T0 + SECOND);
        assertEquals(2, received.size());
        assertEquals(List.of("low hits", "errors"), received.stream().map(n -> data(n).get("alert")).toList());
        assertEquals(List.of(SIG, "com.acme.Repo.all()"), received.stream().map(n -> data(n).get("method")).toList());
        assertEquals(2, activeAlerts().length);

        calls(method.stats(), 100, 0);
        alerts.evaluate(List.of(method, other), T0 + 2 * SECOND);
        assertEquals(3, received.size());
        assertEquals(AgentBean.ALERT_CLEARED, received.get(2).getType());
        assertEquals(SIG, data(received.get(2)).get("method"));
        assertEquals(1, activeAlerts().length, "the errors alert of the other method is still raised");
    }

    /**
     * The sampler takes a method's first sample and evaluates at the same instant: a window of no elapsed
     * time holds no data, and must change nothing (not raise "saved 0 ms/s, below 5").
     */
    @Test
    void savedMillisPerSecondRuleIgnoresAWindowWithNoElapsedTime() {
        AlertRule rule = below("little saved", "savedMillisPerSecond", 5, Duration.ofMinutes(1), null, 10);
        Alerts alerts = new Alerts(List.of(rule), agent);
        method.stats().sample(T0);
        alerts.evaluate(List.of(method), T0);
        assertEquals(List.of(), received, "a window of zero length raised an alert");
    }

    @Test
    void savedMillisPerSecondBelowThresholdRaises() {
        AlertRule rule = below("little saved", "savedMillisPerSecond", 5, Duration.ofMinutes(1), null, 10);
        Alerts alerts = new Alerts(List.of(rule), agent);
        MethodStats s = method.stats();
        s.sample(T0);
        s.hit(100 * MS); // 100ms over 10s: 10 ms/s
        alerts.evaluate(List.of(method), T0 + 10 * SECOND);
        assertEquals(List.of(), received);
        s.sample(T0 + 10 * SECOND);
        // 100ms over 40s: 2.5 ms/s
        alerts.evaluate(List.of(method), T0 + 40 * SECOND);
        assertEquals(1, received.size());
        assertEquals(2.5, (Double) data(received.get(0)).get("value"), 1e-9);
    }
}
