package dev.recall.agent.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.agent.config.StrategyKind;
import dev.recall.agent.config.WriteBackSettings;
import dev.recall.agent.store.Regions;
import dev.recall.bridge.Bridge;
import dev.recall.bridge.Call;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Nothing per matched method until its first call; the first call makes it once, however many threads race to it. */
class LazyMethodTest {

    private final Regions regions = new Regions(null);
    private final MethodRegistry registry = new MethodRegistry(regions, WriteBackSettings.DEFAULT);
    private final ConcurrentLinkedQueue<CachedMethod> made = new ConcurrentLinkedQueue<>();

    LazyMethodTest() {
        registry.onRegistered(made::add); // what makes the MBean and the meters
    }

    private int register(String signature) {
        return registry.register(TestMethods.readSpec(signature, signature, StrategyKind.CACHE_ASIDE, true),
                getClass().getClassLoader());
    }

    @Test
    void aMatchedMethodNeverCalledHasNoRegionCountersMBeanOrMeters() {
        int id = register("com.acme.Lazy.never(long)");

        assertInstanceOf(LazyMethod.class, Bridge.site(id), "the bridge holds the light stand-in");
        assertTrue(registry.all().isEmpty(), "no CachedMethod (and so no counters or latency window)");
        assertTrue(regions.all().isEmpty(), "no region, no store");
        assertTrue(made.isEmpty(), "the listener that registers the MBean and binds the meters was not told");
        List<LazyMethod> matched = registry.matched();
        assertEquals(1, matched.size(), "but it is matched (InstrumentedMethods, stats)");
        assertEquals("com.acme.Lazy.never(long)", matched.get(0).spec().signature().display());
        assertFalse(matched.get(0).called());
    }

    @Test
    void theFirstCallMakesTheMethodOnceWhenManyThreadsRaceToIt() throws Exception {
        int threads = 8;
        for (int round = 0; round < 30; round++) {
            int id = register("com.acme.Lazy.race" + round + "(long)");
            made.clear();
            CyclicBarrier start = new CyclicBarrier(threads);
            ConcurrentLinkedQueue<Throwable> failed = new ConcurrentLinkedQueue<>();
            List<Thread> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread thread = new Thread(() -> {
                    try {
                        start.await(10, TimeUnit.SECONDS);
                        Object r = Bridge.site(id).lookup(null, 7L, null, null);
                        if (r == null) {
                            r = Bridge.site(id).enter(null, 7L, null, null);
                        }
                        if (r instanceof Call) {
                            Bridge.returned("seven", r, id);
                        } else if (!"seven".equals(r)) {
                            throw new AssertionError("got " + r);
                        }
                    } catch (Throwable e) {
                        failed.add(e);
                    }
                });
                thread.start();
                running.add(thread);
            }
            for (Thread thread : running) {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            }
            assertTrue(failed.isEmpty(), failed::toString);
            assertEquals(1, made.size(), "made once, and the MBean and meters asked for once");
            CachedMethod method = made.peek();
            assertSame(method, Bridge.site(id), "later calls reach the method itself");
            assertSame(method, registry.matched(id).method());
            assertEquals(threads, method.stats().hits() + method.stats().misses(), "every racing call was counted on it");
            assertTrue(method.stats().loads() >= 1, "the racers loaded into the one method they share");
        }
        assertEquals(30, registry.all().size());
        assertEquals(30, regions.all().size());
    }
}
