package dev.recall.agent.telemetry.jmx;

import dev.recall.agent.store.Accessor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.agent.method.CachedMethod;
import dev.recall.agent.method.TestMethods;
import dev.recall.agent.metrics.MethodStats;
import dev.recall.agent.store.Entry;
import dev.recall.agent.store.LocalStore;
import dev.recall.agent.store.Region;
import dev.recall.bridge.Call;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.ReflectionException;
import org.junit.jupiter.api.Test;

class CachedMethodBeanTest {

    private static final String SIG = "com.acme.Repo.find(long)";
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long HOUR = TimeUnit.HOURS.toNanos(1);

    private final CachedMethod method = TestMethods.readThrough(SIG, "products");
    private final CachedMethodBean bean = new CachedMethodBean(method);

    private static Map<String, MBeanAttributeInfo> attributes(MBeanInfo info) {
        return Arrays.stream(info.getAttributes())
                .collect(Collectors.toMap(MBeanAttributeInfo::getName, a -> a, (a, b) -> a, LinkedHashMap::new));
    }

    private static MBeanOperationInfo operation(MBeanInfo info, String name) {
        MBeanOperationInfo found = null;
        for (MBeanOperationInfo o : info.getOperations()) {
            if (o.getName().equals(name)) {
                assertNull(found, "operation " + name + " is declared twice");
                found = o;
            }
        }
        assertNotNull(found, "no operation " + name);
        return found;
    }

    /** Runs one miss and load of {@code key} through the method, storing {@code value}. */
    private void load(Object key, Object value) {
        Object r = method.enter(null, key, null, null);
        Call call = assertInstanceOf(Call.class, r, "expected a miss for " + key);
        method.exit(call, value, null);
    }

    @Test
    void everyAttributeAndOperationHasADescription() {
        MBeanInfo info = bean.getMBeanInfo();
        assertFalse(info.getDescription() == null || info.getDescription().isBlank());
        assertTrue(info.getAttributes().length > 0);
        for (MBeanAttributeInfo a : info.getAttributes()) {
            assertFalse(a.getDescription() == null || a.getDescription().isBlank(), "attribute " + a.getName());
            assertTrue(a.isReadable(), a.getName());
            assertFalse(a.isWritable(), a.getName());
        }
        for (MBeanOperationInfo o : info.getOperations()) {
            assertFalse(o.getDescription() == null || o.getDescription().isBlank(), "operation " + o.getName());
            for (MBeanParameterInfo p : o.getSignature()) {
                assertFalse(p.getDescription() == null || p.getDescription().isBlank(), o.getName() + " parameter " + p.getName());
            }
        }
    }

    @Test
    void contractAttributesExistWithTheirTypes() {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("Cache", "java.lang.String");
        expected.put("Strategy", "java.lang.String");
        expected.put("Ttl", "java.lang.String");
        expected.put("HitCount", "long");
        expected.put("MissCount", "long");
        expected.put("HitRatio", "double");
        expected.put("SavedLatencyMillis", "double");
        expected.put("LoadCount", "long");
        expected.put("LoadFailureCount", "long");
        expected.put("AverageLoadMillis", "double");
        expected.put("P50LoadMillis", "double");
        expected.put("P90LoadMillis", "double");
        expected.put("P99LoadMillis", "double");
        expected.put("EvictionCount", "long");
        expected.put("Size", "long");
        expected.put("RefreshCount", "long");
        expected.put("RefreshFailureCount", "long");
        expected.put("StaleServedCount", "long");
        expected.put("UncacheableResults", "long");
        Map<String, MBeanAttributeInfo> attributes = attributes(bean.getMBeanInfo());
        for (Map.Entry<String, String> e : expected.entrySet()) {
            MBeanAttributeInfo a = attributes.get(e.getKey());
            assertNotNull(a, "missing attribute " + e.getKey());
            assertEquals(e.getValue(), a.getType(), "type of " + e.getKey());
        }
    }

    @Test
    void attributeValuesHaveTheDeclaredTypes() throws Exception {
        MBeanInfo info = bean.getMBeanInfo();
        method.stats().load(MS);
        for (MBeanAttributeInfo a : info.getAttributes()) {
            Object v = bean.getAttribute(a.getName());
            assertNotNull(v, a.getName());
            switch (a.getType()) {
                case "long": assertInstanceOf(Long.class, v, a.getName()); break;
                case "double": assertInstanceOf(Double.class, v, a.getName()); break;
                case "boolean": assertInstanceOf(Boolean.class, v, a.getName()); break;
                case "java.lang.String": assertInstanceOf(String.class, v, a.getName()); break;
                default: throw new AssertionError("unexpected type " + a.getType() + " of " + a.getName());
            }
        }
    }

    @Test
    void contractOperationsExistWithTheirSignatures() {
        MBeanInfo info = bean.getMBeanInfo();
        MBeanOperationInfo invalidateAll = operation(info, "invalidateAll");
        assertEquals(0, invalidateAll.getSignature().length);
        assertEquals("void", invalidateAll.getReturnType());

        MBeanOperationInfo invalidate = operation(info, "invalidate");
        assertEquals(1, invalidate.getSignature().length);
        assertEquals("java.lang.String", invalidate.getSignature()[0].getType());
        assertEquals("boolean", invalidate.getReturnType());

        MBeanOperationInfo setEnabled = operation(info, "setEnabled");
        assertEquals(1, setEnabled.getSignature().length);
        assertEquals("boolean", setEnabled.getSignature()[0].getType());

        MBeanOperationInfo reset = operation(info, "resetStatistics");
        assertEquals(0, reset.getSignature().length);
    }

    @Test
    void descriptiveAttributesComeFromTheSpec() throws Exception {
        assertEquals(SIG, bean.getAttribute("Method"));
        assertEquals("products", bean.getAttribute("Cache"));
        assertEquals("READ_THROUGH", bean.getAttribute("Strategy"));
        assertEquals("1h", bean.getAttribute("Ttl"));
        assertEquals("", bean.getAttribute("Key"));
        assertEquals("test", bean.getAttribute("Source"));
        assertEquals(Boolean.TRUE, bean.getAttribute("Enabled"));
        assertEquals(120L, bean.getAttribute("LoadWindowSeconds"));
    }

    @Test
    void evictMethodShowsStrategyEvict() throws Exception {
        Region region = TestMethods.region("products");
        CachedMethodBean evict = new CachedMethodBean(TestMethods.evict("com.acme.Repo.delete(long)", region));
        assertEquals("EVICT", evict.getAttribute("Strategy"));
    }

    @Test
    void nothingYetGivesZeroCountsAndNaNRatios() throws Exception {
        assertEquals(0L, bean.getAttribute("HitCount"));
        assertEquals(0L, bean.getAttribute("MissCount"));
        assertTrue(Double.isNaN((Double) bean.getAttribute("HitRatio")));
        assertTrue(Double.isNaN((Double) bean.getAttribute("AverageLoadMillis")));
        assertTrue(Double.isNaN((Double) bean.getAttribute("P90LoadMillis")));
        assertTrue(Double.isNaN((Double) bean.getAttribute("LifetimeAverageLoadMillis")));
        assertEquals(0.0, bean.getAttribute("SavedLatencyMillis"));
        assertEquals(0L, bean.getAttribute("Size"));
    }

    @Test
    void attributesReadTheLiveStatistics() throws Exception {
        MethodStats s = method.stats();
        s.hit(20 * MS);
        s.hit(20 * MS);
        s.hit(20 * MS);
        TestMethods.letWallTimePass(60 * MS); // one caller saves no more than the wall time that passed
        s.miss();
        for (int i = 0; i < 9; i++) {
            s.load(10 * MS);
        }
        s.load(1000 * MS);
        s.loadFailure(MS);
        s.loadFailure(MS);
        s.error();

        assertEquals(3L, bean.getAttribute("HitCount"));
        assertEquals(1L, bean.getAttribute("MissCount"));
        assertEquals(0.75, (Double) bean.getAttribute("HitRatio"), 1e-12);
        assertEquals(60.0, (Double) bean.getAttribute("SavedLatencyMillis"), 1e-9);
        assertEquals(10L, bean.getAttribute("LoadCount"));
        assertEquals(2L, bean.getAttribute("LoadFailureCount"));
        assertEquals(1L, bean.getAttribute("ErrorCount"));
        assertEquals(109.0, (Double) bean.getAttribute("AverageLoadMillis"), 1.09);
        assertEquals(10.0, (Double) bean.getAttribute("P50LoadMillis"), 0.1);
        assertEquals(10.0, (Double) bean.getAttribute("P90LoadMillis"), 0.1);
        assertEquals(1000.0, (Double) bean.getAttribute("P99LoadMillis"), 10);
        assertEquals(1000.0, (Double) bean.getAttribute("MaxLoadMillis"), 10);
        assertEquals(109.0, (Double) bean.getAttribute("LifetimeAverageLoadMillis"), 1e-9);
        assertEquals(1000.0, (Double) bean.getAttribute("LifetimeMaxLoadMillis"), 10);

        s.hit(0);
        assertEquals(4L, bean.getAttribute("HitCount"), "read again, not cached by the bean");
    }

    @Test
    void getAttributesReturnsTheKnownOnes() {
        method.stats().miss();
        AttributeList list = bean.getAttributes(new String[] {"MissCount", "NoSuchThing", "Cache"});
        assertEquals(2, list.size());
        assertEquals(new Attribute("MissCount", 1L), list.asList().get(0));
        assertEquals(new Attribute("Cache", "products"), list.asList().get(1));
    }

    @Test
    void unknownAttributeAndWritesAreRefused() {
        assertThrows(AttributeNotFoundException.class, () -> bean.getAttribute("Nope"));
        assertThrows(AttributeNotFoundException.class, () -> bean.setAttribute(new Attribute("HitCount", 5L)));
        assertThrows(ReflectionException.class, () -> bean.invoke("explode", new Object[0], new String[0]));
    }

    @Test
    void sizeAndInvalidateReadTheRegion() throws Exception {
        load(42L, "answer");
        load(7L, "seven");
        assertEquals(2L, bean.getAttribute("Size"));

        Object removed = bean.invoke("invalidate", new Object[] {"42"}, new String[] {String.class.getName()});
        assertEquals(Boolean.TRUE, removed);
        assertNull(method.region().get(42L, Accessor.NONE));
        assertNotNull(method.region().get(7L, Accessor.NONE), "only the named key goes");
        assertEquals(1L, bean.getAttribute("Size"));

        assertEquals(Boolean.FALSE, bean.invoke("invalidate", new Object[] {"42"}, new String[] {String.class.getName()}));
        assertEquals(Boolean.FALSE, bean.invoke("invalidate", new Object[] {"nope"}, new String[] {String.class.getName()}));
    }

    @Test
    void invalidateAllEmptiesTheRegion() throws Exception {
        load(1L, "a");
        load(2L, "b");
        assertNull(bean.invoke("invalidateAll", null, null));
        assertNull(method.region().get(1L, Accessor.NONE));
        assertNull(method.region().get(2L, Accessor.NONE));
        assertEquals(0L, bean.getAttribute("Size"));
        assertInstanceOf(Call.class, method.enter(null, 1L, null, null), "a miss after invalidateAll");
    }

    @Test
    void setEnabledFlipsTheMethodSwitch() throws Exception {
        bean.invoke("setEnabled", new Object[] {false}, new String[] {"boolean"});
        assertFalse(method.enabled());
        assertEquals(Boolean.FALSE, bean.getAttribute("Enabled"));
        assertNull(method.enter(null, 1L, null, null), "disabled: the call runs uncached");
        bean.invoke("setEnabled", new Object[] {true}, new String[] {"boolean"});
        assertTrue(method.enabled());
        assertEquals(Boolean.TRUE, bean.getAttribute("Enabled"));
    }

    @Test
    void resetStatisticsZeroesCountersButKeepsEntries() throws Exception {
        load(1L, "a");
        assertEquals("a", method.enter(null, 1L, null, null));
        assertEquals(1L, bean.getAttribute("HitCount"));
        bean.invoke("resetStatistics", new Object[0], new String[0]);
        assertEquals(0L, bean.getAttribute("HitCount"));
        assertEquals(0L, bean.getAttribute("MissCount"));
        assertEquals(0L, bean.getAttribute("LoadCount"));
        assertTrue(Double.isNaN((Double) bean.getAttribute("HitRatio")));
        assertEquals(1L, bean.getAttribute("Size"), "entries stay");
    }

    @Test
    void evictionCountReadsTheStore() throws Exception {
        Region small = new Region("small", new LocalStore(1, TestMethods.TTL, Runnable::run));
        CachedMethod m = TestMethods.readThrough("com.acme.Small.get(long)", small);
        CachedMethodBean b = new CachedMethodBean(m);
        for (long k = 0; k < 20; k++) {
            small.write(k, Entry.expiringAfter("v" + k, 0, HOUR), Accessor.NONE);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (small.store().removals() == 0 && System.nanoTime() < deadline) {
            small.get(0L, Accessor.NONE); // reads also run Caffeine's maintenance
            Thread.sleep(5);
        }
        long evictions = (Long) b.getAttribute("EvictionCount");
        assertTrue(evictions >= 1, "a region of one entry evicted " + evictions + " of 20");
        assertEquals(small.store().removals(), evictions);
    }
}
