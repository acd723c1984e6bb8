package dev.recall.agent.method;

import dev.recall.agent.store.Accessor;
import dev.recall.agent.config.StrategyKind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.agent.key.KeyTemplate;
import dev.recall.agent.store.Entry;
import dev.recall.agent.store.Loading;
import dev.recall.agent.store.Region;
import dev.recall.agent.store.Regions;
import dev.recall.bridge.Bridge;
import dev.recall.bridge.Call;
import dev.recall.bridge.Site;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ReadThroughMethod and ReadMethod driven through {@link Site#enter}/{@link Site#exit}, as the advice does. */
class ReadMethodTest {

    private static final String SIG = "com.acme.Repo.find(long)";

    record Thing(long id) {
    }

    private static ReadThroughMethod readThrough(boolean cacheNulls) {
        return new ReadThroughMethod(TestMethods.readSpec(SIG, "things", StrategyKind.READ_THROUGH, cacheNulls),
                TestMethods.region("things"));
    }

    private static ReadMethod cacheAside(boolean cacheNulls) {
        return new ReadMethod(TestMethods.readSpec(SIG, "things", StrategyKind.CACHE_ASIDE, cacheNulls),
                TestMethods.region("things"));
    }

    private static List<ReadMethod> both(boolean cacheNulls) {
        return List.of(readThrough(cacheNulls), cacheAside(cacheNulls));
    }

    @Test
    void missReturnsACallAndExitStoresTheValueForTheNextEnter() {
        for (ReadMethod m : both(true)) {
            Object first = m.enter(null, 42L, null, null);
            Call call = assertInstanceOf(Call.class, first, m.getClass().getSimpleName());
            m.exit(call, "answer", null);

            assertEquals("answer", m.enter(null, 42L, null, null));
            assertEquals("answer", m.enter(null, 42L, null, null));
            Entry e = m.region().get(42L, Accessor.NONE);
            assertNotNull(e);
            assertEquals("answer", e.value());
            assertEquals(1, m.stats().misses());
            assertEquals(2, m.stats().hits());
            assertEquals(1, m.stats().loads());
            assertTrue(m.stats().savedNanos() == 2 * e.loadNanos(), "each hit saves the load time of the entry it served");
        }
    }

    @Test
    void otherKeysStillMiss() {
        ReadThroughMethod m = readThrough(true);
        m.exit((Call) m.enter(null, 1L, null, null), "one", null);
        assertInstanceOf(Call.class, m.enter(null, 2L, null, null));
    }

    @Test
    void nullIsCachedAsBridgeNullWhenCacheNulls() {
        for (ReadMethod m : both(true)) {
            Call call = assertInstanceOf(Call.class, m.enter(null, 7L, null, null));
            m.exit(call, null, null);
            assertSame(Bridge.NULL, m.enter(null, 7L, null, null), m.getClass().getSimpleName());
            assertEquals(1, m.stats().hits());
        }
    }

    @Test
    void nullIsNotCachedWithoutCacheNulls() {
        for (ReadMethod m : both(false)) {
            Call call = assertInstanceOf(Call.class, m.enter(null, 7L, null, null));
            m.exit(call, null, null);
            assertNull(m.region().get(7L, Accessor.NONE));
            assertInstanceOf(Call.class, m.enter(null, 7L, null, null), m.getClass().getSimpleName() + ": still a miss");
            assertEquals(1, m.stats().loads(), "the load still counts");
            assertEquals(0, m.stats().hits());
        }
    }

    @Test
    void thrownExitStoresNothingAndCountsALoadFailure() {
        for (ReadMethod m : both(true)) {
            Call call = assertInstanceOf(Call.class, m.enter(null, 9L, null, null));
            m.exit(call, null, new IllegalStateException("db down"));
            assertNull(m.region().get(9L, Accessor.NONE));
            assertEquals(1, m.stats().loadFailures());
            assertEquals(0, m.stats().loads());
            assertEquals(0, m.stats().lifetimeLoads(System.nanoTime()).count());
            assertInstanceOf(Call.class, m.enter(null, 9L, null, null), "the next call loads again");
        }
    }

    @Test
    void failedReadThroughLoadReleasesItsKey() {
        ReadThroughMethod m = readThrough(true);
        Call call = assertInstanceOf(Call.class, m.enter(null, 9L, null, null));
        m.exit(call, null, new IllegalStateException("db down"));
        Loading probe = new Loading();
        assertNull(m.region().startLoad(9L, probe), "no load of the key is left registered");
        m.region().finishLoad(9L, probe, null);
    }

    @Test
    void readThroughLoadStartedIsRegisteredUntilExit() {
        ReadThroughMethod m = readThrough(true);
        Call call = assertInstanceOf(Call.class, m.enter(null, 3L, null, null));
        Loading probe = new Loading();
        assertNotNull(m.region().startLoad(3L, probe), "the miss registered itself as the loader");
        m.exit(call, "three", null);
        assertNull(m.region().startLoad(3L, probe), "released on exit");
    }

    @Test
    void recursiveCallOfTheSameKeyOnTheLoadingThreadRunsUncoalesced() {
        ReadThroughMethod m = readThrough(true);
        Call outer = assertInstanceOf(Call.class, m.enter(null, 5L, null, null));
        Call inner = assertInstanceOf(Call.class, m.enter(null, 5L, null, null), "must not wait for itself");
        m.exit(inner, "inner", null);
        m.exit(outer, "outer", null);
        assertNotNull(m.region().get(5L, Accessor.NONE));
        assertEquals(2, m.stats().misses());
    }

    @Test
    void cacheAsideDoesNotCoalesce() {
        ReadMethod m = cacheAside(true);
        Call a = assertInstanceOf(Call.class, m.enter(null, 5L, null, null));
        Call b = assertInstanceOf(Call.class, m.enter(null, 5L, null, null));
        m.exit(a, "a", null);
        m.exit(b, "b", null);
        assertEquals(2, m.stats().loads());
        assertNotNull(m.enter(null, 5L, null, null));
    }

    @Test
    void loadOverlappingAnInvalidationIsNotStored() {
        for (ReadMethod m : both(true)) {
            Call call = assertInstanceOf(Call.class, m.enter(null, 11L, null, null));
            m.region().invalidate(11L);
            m.exit(call, "stale", null);
            assertNull(m.region().get(11L, Accessor.NONE), m.getClass().getSimpleName() + " stored a result older than the invalidation");
        }
    }

    @Test
    void disabledMethodReturnsNullAndTouchesNothing() {
        for (ReadMethod m : both(true)) {
            m.exit((Call) m.enter(null, 1L, null, null), "one", null);
            m.setEnabled(false);
            assertNull(m.enter(null, 1L, null, null), "even a cached key runs the method");
            assertNull(m.enter(null, 2L, null, null));
            assertEquals(0, m.stats().hits());
            assertEquals(1, m.stats().misses());
            m.setEnabled(true);
            assertEquals("one", m.enter(null, 1L, null, null));
        }
    }

    @Test
    void keyFunctionThatThrowsReturnsNullAndCountsAnError() {
        KeyTemplate failing = TestMethods.key("{0.missing}", List.of("x"));
        MethodSpec spec = TestMethods.readSpec(SIG, "things", failing, StrategyKind.READ_THROUGH, true);
        for (ReadMethod m : List.of(new ReadThroughMethod(spec, TestMethods.region("things")),
                new ReadMethod(spec, TestMethods.region("things")))) {
            assertNull(m.enter(null, new Thing(1), null, null));
            assertNull(m.enter(null, new Thing(2), null, null));
            assertEquals(2, m.stats().errors());
            assertEquals(0, m.stats().misses());
            assertEquals(0, m.stats().hits());
        }
    }

    @Test
    void aNullUnderAPropertyPathRunsTheMethodUncachedAndIsNoError() {
        MethodSpec spec = TestMethods.readSpec("com.acme.Repo.find(com.acme.Thing)", "things", TestMethods.key("{0.id}", List.of("t")),
                StrategyKind.READ_THROUGH, true);
        for (ReadMethod m : List.of(new ReadThroughMethod(spec, TestMethods.region("things")),
                new ReadMethod(spec, TestMethods.region("things")))) {
            m.exit((Call) m.enter(null, new Thing(4), null, null), "four", null);
            for (int i = 0; i < 3; i++) {
                assertNull(m.lookup(null, null, null, null), "no entry may answer a call that has no key");
                assertNull(m.enter(null, null, null, null), "the body runs, with no cache involvement");
            }
            assertEquals(0, m.stats().errors(), "the application's null is not a failure of the agent");
            assertEquals(1, m.stats().misses());
            assertEquals(1, m.region().size());
        }
    }

    @Test
    void aMethodThatWritesIntoItsArgumentIsRefusedOnItsFirstLoad() {
        MethodSpec spec = TestMethods.readSpec("com.acme.Web.show(java.util.Map,long)", "pages", TestMethods.key("{1}", List.of("model", "id")),
                StrategyKind.READ_THROUGH, true);
        ReadThroughMethod m = new ReadThroughMethod(spec, TestMethods.region("pages"));
        java.util.Map<String, Object> model = new java.util.HashMap<>();
        Object call = m.enter(null, model, 7L, null);
        model.put("owner", "ada"); // what the body does
        m.exit((Call) call, "ownerPage", null);
        assertTrue(m.refusedReason() != null && m.refusedReason().contains("argument 1"), String.valueOf(m.refusedReason()));
        assertNull(m.enter(null, new java.util.HashMap<>(), 7L, null), "refused: the body runs, and fills the new model");
        assertEquals(0, m.region().size(), "the result of the load that wrote was not stored");
    }

    @Test
    void aMethodThatLeavesItsArgumentsAloneIsCached() {
        MethodSpec spec = TestMethods.readSpec("com.acme.Web.sum(java.util.List)", "sums", TestMethods.key("", List.of("xs")),
                StrategyKind.READ_THROUGH, true);
        ReadThroughMethod m = new ReadThroughMethod(spec, TestMethods.region("sums"));
        for (int i = 0; i < 20; i++) {
            Object r = m.enter(null, List.of(1, 2, i % 3), null, null);
            if (r instanceof Call c) {
                m.exit(c, 3 + i % 3, null);
            }
        }
        assertNull(m.refusedReason());
        assertEquals(3, m.stats().loads());
        assertEquals(17, m.stats().hits());
    }

    @Test
    void keyFromAPropertyOfTheArgument() {
        MethodSpec spec = TestMethods.readSpec("com.acme.Repo.find(com.acme.Thing)", "things", TestMethods.key("{0.id}", List.of("t")),
                StrategyKind.READ_THROUGH, true);
        ReadThroughMethod m = new ReadThroughMethod(spec, TestMethods.region("things"));
        m.exit((Call) m.enter(null, new Thing(4), null, null), "four", null);
        assertEquals("four", m.enter(null, new Thing(4), null, null), "an equal key from another argument object");
        assertNotNull(m.region().get(4L, Accessor.NONE));
    }

    @Test
    void severalArgumentsMakeOneKey() {
        MethodSpec spec = TestMethods.readSpec("com.acme.Fx.rate(java.lang.String,java.lang.String)", "fx",
                TestMethods.key("", List.of("from", "to")), StrategyKind.READ_THROUGH, true);
        ReadThroughMethod m = new ReadThroughMethod(spec, TestMethods.region("fx"));
        m.exit((Call) m.enter(null, "EUR", "USD", null), 1.1, null);
        assertEquals(1.1, m.enter(null, "EUR", "USD", null));
        assertInstanceOf(Call.class, m.enter(null, "USD", "EUR", null));
    }

    @Test
    void registryCreatesTheStrategyOfTheSpecInASharedRegion() {
        MethodRegistry registry = new MethodRegistry(new Regions(null), dev.recall.agent.config.WriteBackSettings.DEFAULT);
        ClassLoader loader = getClass().getClassLoader();
        List<Integer> ids = List.of(
                registry.register(TestMethods.readSpec("com.acme.A.a(long)", "shared", StrategyKind.READ_THROUGH, true), loader),
                registry.register(TestMethods.readSpec("com.acme.A.b(long)", "shared", StrategyKind.CACHE_ASIDE, true), loader),
                registry.register(TestMethods.writeSpec("com.acme.A.c(long)", "shared", TestMethods.key("", List.of("k")), 1, true,
                        -1, true), loader),
                registry.register(TestMethods.evictSpec("com.acme.A.d(long)", "shared", TestMethods.key("", List.of("k")), 1, false,
                        false), loader));
        ids.forEach(registry::method); // each made as its first call would
        List<CachedMethod> all = registry.all();
        assertEquals(4, all.size());
        assertInstanceOf(ReadThroughMethod.class, all.get(0));
        // CACHE_ASIDE: a read method whose misses do not coalesce (of a class made for its kind of key: CompiledSites)
        assertInstanceOf(ReadMethod.class, all.get(1));
        assertFalse(all.get(1) instanceof ReadThroughMethod);
        assertFalse(((ReadMethod) all.get(1)).coalesce);
        assertTrue(((ReadMethod) all.get(0)).coalesce);
        assertTrue(all.get(0).getClass().isHidden() && all.get(1).getClass().isHidden(), "read sites are of classes made for them");
        assertNotSame(all.get(0).getClass(), all.get(1).getClass());
        assertInstanceOf(WriteThroughMethod.class, all.get(2));
        assertInstanceOf(EvictMethod.class, all.get(3));
        Region shared = all.get(0).region();
        for (CachedMethod m : all) {
            assertSame(shared, m.region());
        }
        // The same method seen again keeps its id and is not created twice.
        int id = registry.register(TestMethods.readSpec("com.acme.A.a(long)", "shared", StrategyKind.READ_THROUGH, true), loader);
        assertEquals(4, registry.all().size());
        assertSame(all.get(0), Bridge.site(id));

        // What the reader loads, the evictor removes.
        CachedMethod reader = all.get(0);
        reader.exit((Call) reader.enter(null, 8L, null, null), "eight", null);
        assertEquals("eight", all.get(1).enter(null, 8L, null, null), "cache-aside reader of the same region hits");
        CachedMethod evictor = all.get(3);
        evictor.exit((Call) evictor.enter(null, 8L, null, null), null, null);
        assertNull(shared.get(8L, Accessor.NONE));
    }
}
