package dev.recall.agent.method;

import dev.recall.agent.store.Accessor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.recall.agent.store.Entry;
import dev.recall.agent.store.Region;
import dev.recall.bridge.Bridge;
import dev.recall.bridge.Call;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** WriteThroughMethod and EvictMethod driven through enter/exit, with a reader of the same region. */
class WriteAndEvictMethodTest {

    private static final long HOUR = TimeUnit.HOURS.toNanos(1);

    record Product(long id, String name) {
    }

    private final Region region = TestMethods.region("products");
    private final ReadThroughMethod reader = TestMethods.readThrough("com.acme.Repo.find(long)", region);

    private void put(long key, Object value) {
        region.write(key, Entry.expiringAfter(value, 1_000, HOUR), Accessor.NONE);
    }

    /** update(long id, String name): writes the argument at valueIndex 1 under {0}. */
    private WriteThroughMethod update(boolean cacheNulls) {
        return new WriteThroughMethod(TestMethods.writeSpec("com.acme.Repo.update(long,java.lang.String)", "products",
                TestMethods.key("{0}", List.of("id", "name")), 2, false, 1, cacheNulls), region);
    }

    /** save(Product p): returns the saved product, written under {0.id}. */
    private WriteThroughMethod save() {
        return new WriteThroughMethod(TestMethods.writeSpec("com.acme.Repo.save(com.acme.Product)", "products",
                TestMethods.key("{0.id}", List.of("p")), 1, true, -1, true), region);
    }

    private EvictMethod evictor(boolean allEntries, boolean beforeInvocation) {
        return new EvictMethod(TestMethods.evictSpec("com.acme.Repo.delete(long)", "products",
                TestMethods.key("{0}", List.of("id")), 1, allEntries, beforeInvocation), region);
    }

    // ---- write-through ----

    @Test
    void normalExitWritesTheArgumentAtValueIndex() {
        WriteThroughMethod w = update(true);
        put(5L, "old");
        Call call = assertInstanceOf(Call.class, w.enter(null, 5L, "new", null));
        assertEquals("old", region.get(5L, Accessor.NONE).value(), "nothing written before the body ran");
        w.exit(call, null, null);
        assertEquals("new", region.get(5L, Accessor.NONE).value());
        assertEquals("new", reader.enter(null, 5L, null, null), "the reader of the region sees the write");
    }

    @Test
    void normalExitWritesTheReturnedValue() {
        WriteThroughMethod w = save();
        Product in = new Product(3, "draft");
        Product out = new Product(3, "saved");
        Call call = assertInstanceOf(Call.class, w.enter(null, in, null, null));
        w.exit(call, out, null);
        assertSame(out, region.get(3L, Accessor.NONE).value());
        assertSame(out, reader.enter(null, 3L, null, null));
    }

    @Test
    void singleArgumentWriteWithoutReturnValueWritesTheArgument() {
        WriteThroughMethod w = new WriteThroughMethod(TestMethods.writeSpec("com.acme.Repo.store(com.acme.Product)", "products",
                TestMethods.key("{0.id}", List.of("p")), 1, false, 0, true), region);
        Product p = new Product(8, "eight");
        w.exit((Call) w.enter(null, p, null, null), null, null);
        assertSame(p, region.get(8L, Accessor.NONE).value());
    }

    @Test
    void writeKeepsTheLoadTimeOfThePreviousEntry() {
        WriteThroughMethod w = update(true);
        region.write(5L, Entry.expiringAfter("old", 12_345, HOUR), Accessor.NONE);
        w.exit((Call) w.enter(null, 5L, "new", null), null, null);
        assertEquals(12_345, region.get(5L, Accessor.NONE).loadNanos());
    }

    @Test
    void thrownExitInvalidatesTheKey() {
        WriteThroughMethod w = update(true);
        put(5L, "old");
        put(6L, "other");
        Call call = assertInstanceOf(Call.class, w.enter(null, 5L, "new", null));
        w.exit(call, null, new RuntimeException("constraint violated"));
        assertNull(region.get(5L, Accessor.NONE), "the write may or may not have happened: no entry is the only safe one");
        assertNotNull(region.get(6L, Accessor.NONE));
        assertInstanceOf(Call.class, reader.enter(null, 5L, null, null));
    }

    @Test
    void writtenNullIsCachedAsBridgeNullOnlyWithCacheNulls() {
        WriteThroughMethod keeps = update(true);
        keeps.exit((Call) keeps.enter(null, 5L, null, null), null, null);
        assertSame(Bridge.NULL, region.get(5L, Accessor.NONE).value());

        WriteThroughMethod drops = update(false);
        put(6L, "old");
        drops.exit((Call) drops.enter(null, 6L, null, null), null, null);
        assertNull(region.get(6L, Accessor.NONE), "a null write without cacheNulls invalidates");
    }

    @Test
    void writeDuringALoadWinsOverTheLoad() {
        WriteThroughMethod w = update(true);
        Call load = assertInstanceOf(Call.class, reader.enter(null, 5L, null, null));
        w.exit((Call) w.enter(null, 5L, "written", null), null, null);
        reader.exit(load, "loaded before the write", null);
        assertEquals("written", region.get(5L, Accessor.NONE).value());
    }

    @Test
    void disabledWriteReturnsNull() {
        WriteThroughMethod w = update(true);
        w.setEnabled(false);
        assertNull(w.enter(null, 5L, "x", null));
    }

    @Test
    void writeKeyThatCannotBeComputedReturnsNullAndCountsAnError() {
        WriteThroughMethod w = new WriteThroughMethod(TestMethods.writeSpec("com.acme.Repo.save(java.lang.String)", "products",
                TestMethods.key("{0.missing}", List.of("p")), 1, true, -1, true), region);
        assertNull(w.enter(null, "no such property", null, null));
        assertEquals(1, w.stats().errors());
    }

    // ---- evict ----

    @Test
    void beforeInvocationEvictsInEnter() {
        EvictMethod e = evictor(false, true);
        put(5L, "five");
        put(6L, "six");
        assertNull(e.enter(null, 5L, null, null), "nothing to do after the body");
        assertNull(region.get(5L, Accessor.NONE));
        assertNotNull(region.get(6L, Accessor.NONE));
    }

    @Test
    void afterInvocationEvictsOnlyOnNormalExit() {
        EvictMethod e = evictor(false, false);
        put(5L, "five");
        Call call = assertInstanceOf(Call.class, e.enter(null, 5L, null, null));
        assertNotNull(region.get(5L, Accessor.NONE), "not evicted before the body ran");
        e.exit(call, null, new IllegalStateException("delete failed"));
        assertNotNull(region.get(5L, Accessor.NONE), "a delete that threw evicts nothing");

        Call again = assertInstanceOf(Call.class, e.enter(null, 5L, null, null));
        e.exit(again, null, null);
        assertNull(region.get(5L, Accessor.NONE));
    }

    @Test
    void evictionDuringALoadStopsTheLoadFromStoring() {
        EvictMethod e = evictor(false, false);
        Call load = assertInstanceOf(Call.class, reader.enter(null, 5L, null, null));
        e.exit((Call) e.enter(null, 5L, null, null), null, null);
        reader.exit(load, "stale", null);
        assertNull(region.get(5L, Accessor.NONE));
    }

    @Test
    void allEntriesEmptiesTheRegion() {
        EvictMethod after = evictor(true, false);
        put(1L, "a");
        put(2L, "b");
        Call call = assertInstanceOf(Call.class, after.enter(null, 99L, null, null));
        assertNotNull(region.get(1L, Accessor.NONE));
        after.exit(call, null, null);
        assertNull(region.get(1L, Accessor.NONE));
        assertNull(region.get(2L, Accessor.NONE));

        EvictMethod before = evictor(true, true);
        put(3L, "c");
        assertNull(before.enter(null, 99L, null, null));
        assertNull(region.get(3L, Accessor.NONE));
    }

    @Test
    void allEntriesAfterAThrownBodyKeepsEverything() {
        EvictMethod e = evictor(true, false);
        put(1L, "a");
        e.exit((Call) e.enter(null, 1L, null, null), null, new RuntimeException());
        assertNotNull(region.get(1L, Accessor.NONE));
    }

    @Test
    void allEntriesNeedsNoKey() {
        EvictMethod e = new EvictMethod(TestMethods.evictSpec("com.acme.Repo.clear(java.lang.String)", "products",
                TestMethods.key("{0.missing}", List.of("x")), 1, true, true), region);
        put(1L, "a");
        assertNull(e.enter(null, "anything", null, null));
        assertNull(region.get(1L, Accessor.NONE));
        assertEquals(0, e.stats().errors());
    }

    @Test
    void evictKeyThatCannotBeComputedReturnsNullAndCountsAnError() {
        EvictMethod e = new EvictMethod(TestMethods.evictSpec("com.acme.Repo.delete(java.lang.String)", "products",
                TestMethods.key("{0.missing}", List.of("x")), 1, false, true), region);
        put(1L, "a");
        assertNull(e.enter(null, "anything", null, null));
        assertEquals(1, e.stats().errors());
        assertNotNull(region.get(1L, Accessor.NONE));
    }

    @Test
    void disabledEvictReturnsNullAndEvictsNothing() {
        EvictMethod e = evictor(false, true);
        put(5L, "five");
        e.setEnabled(false);
        assertNull(e.enter(null, 5L, null, null));
        assertNotNull(region.get(5L, Accessor.NONE));
    }
}
