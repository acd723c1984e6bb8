package dev.recall.agent.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.agent.config.StoreKind;
import dev.recall.agent.config.StrategyKind;
import dev.recall.agent.store.Accessor;
import dev.recall.agent.store.Entry;
import dev.recall.agent.store.Region;
import dev.recall.agent.store.LoadTurn;
import dev.recall.agent.store.RemoteStore;
import dev.recall.bridge.Call;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * READ_THROUGH on a store shared with other JVMs: a caller that begins after a load's result reached the
 * store must not be handed that result, since another JVM may have evicted or replaced it meanwhile (which
 * this JVM cannot know). ConsistencyIT found such a read: it began 2 ms after an eviction had returned and
 * got the version before it, from a load of its own JVM that had filled Redis just before the eviction.
 */
class SharedStoreLoadTest {

    /** Redis as one JVM sees it: shared, and holding a fill on its way for as long as the test says. */
    static final class SharedStore implements RemoteStore {
        final ConcurrentHashMap<Object, Entry> entries = new ConcurrentHashMap<>();
        volatile CountDownLatch holdFills;
        final CountDownLatch filling = new CountDownLatch(1);

        @Override
        public Entry get(Object key, Accessor accessor) {
            return entries.get(key);
        }

        @Override
        public void put(Object key, Entry entry, Accessor accessor) {
            entries.put(key, entry);
            CountDownLatch hold = holdFills;
            if (hold != null) {
                filling.countDown(); // the fill has landed; its reply is on the wire
                try {
                    hold.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void remove(Object key, Entry expected) {
            entries.remove(key, expected);
        }

        @Override
        public void invalidate(Object key) {
            entries.remove(key);
        }

        @Override
        public void invalidateAll() {
            entries.clear();
        }

        @Override
        public long size() {
            return entries.size();
        }

        @Override
        public long removals() {
            return 0;
        }

        @Override
        public Iterable<Object> keys() {
            return List.copyOf(entries.keySet());
        }

        @Override
        public StoreKind kind() {
            return StoreKind.REDIS;
        }

        @Override
        public boolean offer(Object key, Entry entry, Accessor accessor) {
            put(key, entry, accessor);
            return true;
        }

        @Override
        public Object beginWrite(Object key, Accessor accessor) {
            return Boolean.TRUE;
        }

        @Override
        public void write(Object key, Entry entry, Accessor accessor, Object mark) {
            put(key, entry, accessor);
        }

        @Override
        public LoadTurn takeTurn(Object key, Accessor accessor, long bornAfterNanos) {
            Entry late = get(key, accessor);
            return late == null || !late.answers(System.nanoTime(), bornAfterNanos) ? LoadTurn.MINE : LoadTurn.found(late);
        }
    }

    @Test
    @Timeout(60)
    void aCallerThatBeginsAfterTheFillLandedDoesNotTakeTheLoadersResult() throws Exception {
        SharedStore redis = new SharedStore();
        ReadThroughMethod method = new ReadThroughMethod(
                TestMethods.readSpec("com.acme.Repo.find(long)", "shared", StrategyKind.READ_THROUGH, true),
                new Region("shared", redis));
        redis.holdFills = new CountDownLatch(1);

        Call load = assertInstanceOf(Call.class, method.enter(null, 7L, null, null), "the first caller loads");
        CompletableFuture<Void> loader = CompletableFuture.runAsync(() -> method.exit(load, "version-1", null));
        assertTrue(redis.filling.await(30, TimeUnit.SECONDS), "the loader's fill reached the store");

        // Another JVM evicts the key after a write to the database; this JVM hears nothing of it.
        redis.entries.remove(7L);

        // A caller that begins now must read what the store holds (nothing) and load the new version, not
        // wait for the loader above and take its older result.
        CompletableFuture<Object> later = CompletableFuture.supplyAsync(() -> method.enter(null, 7L, null, null));
        Object got = later.get(20, TimeUnit.SECONDS);
        Call own = assertInstanceOf(Call.class, got, "the later caller loads for itself");

        redis.holdFills.countDown();
        loader.get(20, TimeUnit.SECONDS);
        method.exit(own, "version-2", null);
        assertEquals(2, method.stats().loads());
        assertEquals("version-2", method.enter(null, 7L, null, null));
    }
}
