package dev.recall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.it.app.JmxApp;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanServerConnection;
import javax.management.Notification;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The JMX face, read the way VisualVM and JConsole read it: a remote JMXConnector from another JVM.
 * The tests run in order against one application, each step driven over the application's stdin.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JmxIT {

    private static final ObjectName AGENT = name("dev.recall:type=Agent");
    private static final ObjectName SLOW = name("dev.recall:type=CachedMethod,name=\"dev.recall.it.app.JmxApp.slow(java.lang.String)\"");
    private static final ObjectName FAIL = name("dev.recall:type=CachedMethod,name=\"dev.recall.it.app.JmxApp.fail(java.lang.String)\"");
    private static final ObjectName ALERTING = name("dev.recall:type=CachedMethod,name=\"dev.recall.it.app.JmxApp.alerting(java.lang.String)\"");

    private static AppJvm.Running app;
    private static JMXConnector connector;
    private static MBeanServerConnection mbs;
    private static final List<Notification> notifications = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        int port = freePort();
        app = AppJvm.main(JmxApp.class).config("alerts.yml")
                .jvmArg("-Drecall.jmx.delay=200ms", "-Drecall.sampleInterval=200ms",
                        "-Dcom.sun.management.jmxremote.port=" + port, "-Dcom.sun.management.jmxremote.rmi.port=" + port,
                        "-Dcom.sun.management.jmxremote.authenticate=false", "-Dcom.sun.management.jmxremote.ssl=false",
                        "-Dcom.sun.management.jmxremote.host=127.0.0.1", "-Djava.rmi.server.hostname=127.0.0.1")
                .start();
        app.awaitLine("ready", Duration.ofSeconds(30));
        connector = connect("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
        mbs = connector.getMBeanServerConnection();
        await(() -> mbs.isRegistered(AGENT), "the Agent MBean");
        mbs.addNotificationListener(AGENT, (n, handback) -> notifications.add(n), null, null);
    }

    @AfterAll
    static void stop() throws IOException {
        if (connector != null) {
            connector.close();
        }
        if (app != null) {
            app.send("exit");
            app.await(Duration.ofSeconds(20));
        }
    }

    @Test
    @Order(1)
    void countsHitRatioAndSavedLatencyAreExact() throws Exception {
        for (String key : List.of("a", "b", "c", "a", "a", "a", "a", "b", "b", "c")) {
            step("slow " + key);
            // The saved time never exceeds the wall time during which the method was called multiplied by its
            // callers (the contract): one caller here, so the 600 ms its hits save take at least that long.
            Thread.sleep(120);
        }
        await(() -> mbs.isRegistered(SLOW), "the CachedMethod MBean of slow");
        assertEquals(7L, mbs.getAttribute(SLOW, "HitCount"));
        assertEquals(3L, mbs.getAttribute(SLOW, "MissCount"));
        assertEquals(3L, mbs.getAttribute(SLOW, "LoadCount"));
        assertEquals(0.7, (Double) mbs.getAttribute(SLOW, "HitRatio"), 1e-9);
        assertEquals("READ_THROUGH", mbs.getAttribute(SLOW, "Strategy"));
        assertEquals("5m", mbs.getAttribute(SLOW, "Ttl"));
        assertEquals("dev.recall.it.app.JmxApp.slow(java.lang.String)", mbs.getAttribute(SLOW, "Cache"));
        assertEquals(3L, mbs.getAttribute(SLOW, "Size"));
        // Hits on a (4 x 50ms), b (2 x 100ms) and c (1 x 200ms): each adds its entry's measured load time.
        double saved = (Double) mbs.getAttribute(SLOW, "SavedLatencyMillis");
        assertTrue(saved >= 600 && saved < 700, "saved " + saved + " ms, expected 600 ms plus measuring overhead");
        // A method matched but not called yet has no MBean (nor region, counters, meters): it comes at its first call.
        assertFalse(mbs.isRegistered(ALERTING), "no MBean before the method's first call");
        assertTrue(List.of((String[]) mbs.getAttribute(AGENT, "InstrumentedMethods")).stream()
                .anyMatch(m -> m.startsWith("dev.recall.it.app.JmxApp.alerting(java.lang.String)")), "but it is matched");
    }

    @Test
    @Order(2)
    void loadPercentilesAreOrderedAndMatchTheSleeps() throws Exception {
        double p50 = (Double) mbs.getAttribute(SLOW, "P50LoadMillis");
        double p90 = (Double) mbs.getAttribute(SLOW, "P90LoadMillis");
        double p99 = (Double) mbs.getAttribute(SLOW, "P99LoadMillis");
        double max = (Double) mbs.getAttribute(SLOW, "MaxLoadMillis");
        double avg = (Double) mbs.getAttribute(SLOW, "AverageLoadMillis");
        assertTrue(p50 <= p90 && p90 <= p99 && p99 <= max, p50 + " <= " + p90 + " <= " + p99 + " <= " + max);
        assertTrue(p50 >= 99 && p50 < 150, "median of 50, 100, 200 ms loads: " + p50);
        assertTrue(max >= 199 && max < 300, "max " + max);
        assertTrue(avg >= 116 && avg < 170, "mean of 50, 100, 200: " + avg);
        assertEquals(avg, (Double) mbs.getAttribute(SLOW, "LifetimeAverageLoadMillis"), 5.0);
        assertEquals(120L, mbs.getAttribute(SLOW, "LoadWindowSeconds"));
    }

    @Test
    @Order(3)
    void loadFailuresAreCountedAndNotCached() throws Exception {
        step("fail x");
        step("fail x");
        await(() -> mbs.isRegistered(FAIL), "the CachedMethod MBean of fail");
        assertEquals(2L, mbs.getAttribute(FAIL, "LoadFailureCount"));
        assertEquals(0L, mbs.getAttribute(FAIL, "LoadCount"));
        assertEquals(0L, mbs.getAttribute(FAIL, "Size"));
    }

    @Test
    @Order(4)
    void invalidateByRenderedKeyAndSetEnabled() throws Exception {
        assertEquals(true, mbs.invoke(SLOW, "invalidate", new Object[] {"a"}, new String[] {String.class.getName()}));
        assertEquals(false, mbs.invoke(SLOW, "invalidate", new Object[] {"nope"}, new String[] {String.class.getName()}));
        assertEquals("done slow a slow.calls=4", step("slow a"), "a was loaded again after invalidate(\"a\")");

        mbs.invoke(SLOW, "setEnabled", new Object[] {false}, new String[] {boolean.class.getName()});
        assertEquals(false, mbs.getAttribute(SLOW, "Enabled"));
        assertEquals("done slow b slow.calls=5", step("slow b"), "disabled: the call went straight to the method");
        mbs.invoke(SLOW, "setEnabled", new Object[] {true}, new String[] {boolean.class.getName()});
        assertEquals("done slow b slow.calls=5", step("slow b"), "enabled again: b is still cached");

        mbs.invoke(SLOW, "invalidateAll", new Object[0], new String[0]);
        assertEquals(0L, mbs.getAttribute(SLOW, "Size"));
        mbs.invoke(SLOW, "resetStatistics", new Object[0], new String[0]);
        assertEquals(0L, mbs.getAttribute(SLOW, "HitCount"));
        assertEquals(Double.NaN, (Double) mbs.getAttribute(SLOW, "P50LoadMillis"));
    }

    @Test
    @Order(5)
    void theAgentMBeanShowsTotalsMethodsAndState() throws Exception {
        String[] methods = (String[]) mbs.getAttribute(AGENT, "InstrumentedMethods");
        assertEquals(3, methods.length, List.of(methods)::toString);
        assertTrue(List.of(methods).contains("dev.recall.it.app.JmxApp.slow(java.lang.String) [READ_THROUGH, cache "
                + "dev.recall.it.app.JmxApp.slow(java.lang.String)]"), List.of(methods)::toString);
        assertEquals(0, ((String[]) mbs.getAttribute(AGENT, "ConfigErrors")).length);
        assertTrue(((String) mbs.getAttribute(AGENT, "ConfigPath")).endsWith("alerts.yml"));
        assertEquals("0.1.0-SNAPSHOT", mbs.getAttribute(AGENT, "Version"));
        assertEquals(2L, mbs.getAttribute(AGENT, "LoadFailureCount"));
        Set<ObjectName> all = mbs.queryNames(name("dev.recall:*"), null);
        assertEquals(3, all.size(), "the Agent and the two methods called so far (alerting is called in @Order(7))\n" + all);
    }

    @Test
    @Order(6)
    void attributesAndOperationsCarryDescriptions() throws Exception {
        MBeanInfo info = mbs.getMBeanInfo(SLOW);
        for (MBeanAttributeInfo a : info.getAttributes()) {
            assertFalse(a.getDescription() == null || a.getDescription().isBlank() || a.getDescription().equals(a.getName()),
                    a.getName() + " has no description");
        }
        assertEquals(4, info.getOperations().length);
        assertTrue(info.getOperations()[1].getSignature()[0].getDescription().contains("template"));
    }

    @Test
    @Order(7)
    void anAlertIsRaisedOnceWhenCrossedAndClearedOnceWhenRecovered() throws Exception {
        step("misses 10");
        await(() -> count(notifications, "dev.recall.alert.raised") == 1, "the alert raised notification");
        Notification raised = notifications.get(0);
        assertTrue(raised.getMessage().contains("hitRatio of dev.recall.it.app.JmxApp.alerting(java.lang.String) is 0 "),
                raised.getMessage());
        Map<?, ?> data = (Map<?, ?>) raised.getUserData();
        assertEquals("alerting-hit-ratio", data.get("alert"));
        assertEquals(0.0, (Double) data.get("value"));
        assertEquals(1, ((String[]) mbs.getAttribute(AGENT, "ActiveAlerts")).length);

        Thread.sleep(1000);
        assertEquals(1, count(notifications, "dev.recall.alert.raised"), "no repeated noise while it stays low");

        step("hits 60");
        await(() -> count(notifications, "dev.recall.alert.cleared") == 1, "the alert cleared notification");
        assertEquals(0, ((String[]) mbs.getAttribute(AGENT, "ActiveAlerts")).length);
        Thread.sleep(1000);
        assertEquals(2, notifications.size(), notifications::toString);
    }

    private static long count(List<Notification> list, String type) {
        return list.stream().filter(n -> n.getType().equals(type)).count();
    }

    private static String step(String command) {
        app.send(command);
        return app.awaitLine("done " + command, Duration.ofSeconds(20));
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void await(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (check.ok()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    static JMXConnector connect(String url) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try {
                return JMXConnectorFactory.connect(new JMXServiceURL(url));
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                Thread.sleep(100);
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static ObjectName name(String text) {
        try {
            return new ObjectName(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
