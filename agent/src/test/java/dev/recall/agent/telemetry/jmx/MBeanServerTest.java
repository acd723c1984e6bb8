package dev.recall.agent.telemetry.jmx;

import dev.recall.agent.store.Accessor;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.agent.config.AlertRule;
import dev.recall.agent.method.CachedMethod;
import dev.recall.agent.method.EvictMethod;
import dev.recall.agent.method.TestMethods;
import dev.recall.agent.telemetry.alert.Alerts;
import dev.recall.agent.store.Region;
import dev.recall.bridge.Call;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanInfo;
import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;
import javax.management.Notification;
import javax.management.ObjectName;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The beans as a JMX client sees them: registered in a fresh server (not the platform one) and read through it. */
class MBeanServerTest {

    private static final String FIND = "com.acme.Repo.find(long)";
    private static final String RATE = "com.acme.fx.RatesClient.rate(java.lang.String,java.lang.String)";
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long T0 = TimeUnit.HOURS.toNanos(3);

    private MBeanServer server;
    private CachedMethod find;
    private CachedMethod rate;
    private TestStatus status;
    private AgentBean agent;
    private ObjectName findName;
    private ObjectName rateName;

    @BeforeEach
    void setUp() throws Exception {
        server = MBeanServerFactory.newMBeanServer();
        find = TestMethods.readThrough(FIND, "products");
        rate = TestMethods.readThrough(RATE, "fx");
        status = new TestStatus(find, rate);
        status.configErrors.add("recall.yml:3: unknown key 'tll' in a methods entry; did you mean 'ttl'?");
        agent = new AgentBean(status);
        findName = JmxExporter.name("dev.recall:type=CachedMethod,name=" + ObjectName.quote(FIND));
        rateName = JmxExporter.name("dev.recall:type=CachedMethod,name=" + ObjectName.quote(RATE));
        server.registerMBean(agent, JmxExporter.AGENT_NAME);
        server.registerMBean(new CachedMethodBean(find), findName);
        server.registerMBean(new CachedMethodBean(rate), rateName);
    }

    private void load(CachedMethod m, Object key, Object value) {
        Call call = assertInstanceOf(Call.class, m.enter(null, key, null, null));
        m.exit(call, value, null);
    }

    @Test
    void beansAreRegisteredUnderTheContractNames() throws Exception {
        assertEquals("dev.recall:type=Agent", JmxExporter.AGENT_NAME.toString());
        assertTrue(server.isRegistered(JmxExporter.AGENT_NAME));
        assertTrue(server.isRegistered(findName));
        assertTrue(server.isRegistered(rateName), "a signature with a comma must be quoted into a valid name");
        assertEquals(2, server.queryNames(new ObjectName("dev.recall:type=CachedMethod,*"), null).size());
        assertEquals(RATE, server.getAttribute(rateName, "Method"));
        assertEquals(RATE, ObjectName.unquote(rateName.getKeyProperty("name")));
    }

    @Test
    void infoThroughTheServerCarriesDescriptions() throws Exception {
        MBeanInfo info = server.getMBeanInfo(findName);
        assertTrue(info.getAttributes().length >= 16);
        MBeanInfo agentInfo = server.getMBeanInfo(JmxExporter.AGENT_NAME);
        assertTrue(agentInfo.getNotifications().length > 0);
        assertTrue(List.of(agentInfo.getNotifications()[0].getNotifTypes()).contains(AgentBean.ALERT_RAISED));
        assertTrue(List.of(agentInfo.getNotifications()[0].getNotifTypes()).contains(AgentBean.ALERT_CLEARED));
        for (var a : agentInfo.getAttributes()) {
            assertFalse(a.getDescription().isBlank(), a.getName());
        }
        for (var o : agentInfo.getOperations()) {
            assertFalse(o.getDescription().isBlank(), o.getName());
        }
    }

    @Test
    void methodAttributesAndOperationsThroughTheServer() throws Exception {
        load(find, 42L, "answer");
        assertEquals("answer", find.enter(null, 42L, null, null));
        assertEquals(1L, server.getAttribute(findName, "HitCount"));
        assertEquals(1L, server.getAttribute(findName, "MissCount"));
        assertEquals(0.5, (Double) server.getAttribute(findName, "HitRatio"), 1e-12);
        assertEquals(1L, server.getAttribute(findName, "Size"));
        assertEquals("products", server.getAttribute(findName, "Cache"));

        Object removed = server.invoke(findName, "invalidate", new Object[] {"42"}, new String[] {String.class.getName()});
        assertEquals(Boolean.TRUE, removed);
        assertNull(find.region().get(42L, Accessor.NONE));
        assertEquals(Boolean.FALSE, server.invoke(findName, "invalidate", new Object[] {"42"}, new String[] {String.class.getName()}));

        server.invoke(findName, "setEnabled", new Object[] {false}, new String[] {"boolean"});
        assertFalse(find.enabled());
        assertTrue(rate.enabled(), "only the named method is switched off");
    }

    @Test
    void agentTotalsAcrossTwoMethods() throws Exception {
        find.stats().hit(20 * MS);
        find.stats().hit(20 * MS);
        TestMethods.letWallTimePass(40 * MS); // one caller saves no more than the wall time that passed
        find.stats().miss();
        rate.stats().hit(5 * MS);
        rate.stats().miss();
        rate.stats().miss();
        rate.stats().miss();
        find.stats().load(MS);
        rate.stats().load(MS);
        rate.stats().loadFailure(MS);
        rate.stats().error();
        status.failures = 2;

        assertEquals(3L, server.getAttribute(JmxExporter.AGENT_NAME, "HitCount"));
        assertEquals(4L, server.getAttribute(JmxExporter.AGENT_NAME, "MissCount"));
        assertEquals(3.0 / 7, (Double) server.getAttribute(JmxExporter.AGENT_NAME, "HitRatio"), 1e-12);
        assertEquals(45.0, (Double) server.getAttribute(JmxExporter.AGENT_NAME, "SavedLatencyMillis"), 1e-9);
        assertEquals(2L, server.getAttribute(JmxExporter.AGENT_NAME, "LoadCount"));
        assertEquals(1L, server.getAttribute(JmxExporter.AGENT_NAME, "LoadFailureCount"));
        assertEquals(3L, server.getAttribute(JmxExporter.AGENT_NAME, "ErrorCount"), "method errors plus agent failures");
        assertEquals("test-1.0", server.getAttribute(JmxExporter.AGENT_NAME, "Version"));
        assertEquals("", server.getAttribute(JmxExporter.AGENT_NAME, "ConfigPath"));
        assertEquals(Boolean.FALSE, server.getAttribute(JmxExporter.AGENT_NAME, "Strict"));
        assertArrayEquals(status.configErrors.toArray(new String[0]),
                (String[]) server.getAttribute(JmxExporter.AGENT_NAME, "ConfigErrors"));
        assertArrayEquals(new String[] {FIND + " [READ_THROUGH, cache products]", RATE + " [READ_THROUGH, cache fx]"},
                (String[]) server.getAttribute(JmxExporter.AGENT_NAME, "InstrumentedMethods"));
        assertArrayEquals(new String[0], (String[]) server.getAttribute(JmxExporter.AGENT_NAME, "ActiveAlerts"));
    }

    @Test
    void agentHitRatioIsNaNBeforeAnyCall() throws Exception {
        assertTrue(Double.isNaN((Double) server.getAttribute(JmxExporter.AGENT_NAME, "HitRatio")));
        assertEquals(0L, server.getAttribute(JmxExporter.AGENT_NAME, "HitCount"));
    }

    @Test
    void instrumentedMethodsNameEvictionsAsEvict() throws Exception {
        Region region = find.region();
        EvictMethod evict = TestMethods.evict("com.acme.Repo.delete(long)", region);
        status.methods.add(evict);
        String[] listed = (String[]) server.getAttribute(JmxExporter.AGENT_NAME, "InstrumentedMethods");
        assertEquals("com.acme.Repo.delete(long) [EVICT, cache products]", listed[2]);
    }

    @Test
    void agentOperationsActOnEveryMethod() throws Exception {
        load(find, 1L, "a");
        load(rate, 2L, "b");
        find.stats().hit(MS);
        server.invoke(JmxExporter.AGENT_NAME, "invalidateAll", new Object[0], new String[0]);
        assertNull(find.region().get(1L, Accessor.NONE));
        assertNull(rate.region().get(2L, Accessor.NONE));

        server.invoke(JmxExporter.AGENT_NAME, "resetStatistics", new Object[0], new String[0]);
        assertEquals(0L, server.getAttribute(JmxExporter.AGENT_NAME, "HitCount"));
        assertEquals(0L, server.getAttribute(JmxExporter.AGENT_NAME, "MissCount"));
        assertEquals(0L, server.getAttribute(findName, "LoadCount"));
        assertEquals(0L, server.getAttribute(rateName, "LoadCount"));
    }

    @Test
    void activeAlertsAndNotificationsReachJmxClients() throws Exception {
        List<Notification> received = new ArrayList<>();
        server.addNotificationListener(JmxExporter.AGENT_NAME, (n, h) -> received.add(n), null, null);
        AlertRule rule = new AlertRule("low hits", new AlertRule.Condition("hitRatio", null, 0.5, Duration.ofMinutes(1), 10), null, "recall.yml:2", null);
        Alerts alerts = new Alerts(List.of(rule), agent);
        for (CachedMethod m : status.methods) {
            m.stats().sample(T0);
            for (int i = 0; i < 20; i++) {
                m.stats().miss();
            }
        }
        alerts.evaluate(status.methods, T0 + TimeUnit.SECONDS.toNanos(10));

        assertEquals(2, received.size());
        assertEquals(List.of(AgentBean.ALERT_RAISED, AgentBean.ALERT_RAISED), received.stream().map(Notification::getType).toList());
        String[] active = (String[]) server.getAttribute(JmxExporter.AGENT_NAME, "ActiveAlerts");
        assertEquals(2, active.length);
        assertTrue(active[0].contains(FIND), active[0]);
        assertTrue(active[1].contains(RATE), active[1]);
    }
}
