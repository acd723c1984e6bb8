package dev.recall.agent.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class LocalStoreTest {

    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration SHORT = Duration.ofMillis(50);

    private static Entry entry(Object value, Duration ttl) {
        return Entry.expiringAfter(value, 0, ttl.toNanos());
    }

    /** Polls until the condition holds or two seconds pass; returns whether it held. */
    private static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(10);
        }
        return condition.getAsBoolean();
    }

    @Test
    void putThenGet() {
        LocalStore store = new LocalStore(100, HOUR, Runnable::run);
        Entry e = entry("v", HOUR);
        store.put("k", e, Accessor.NONE);
        assertSame(e, store.get("k", Accessor.NONE));
        assertNull(store.get("other", Accessor.NONE));
    }

    @Test
    void removeTakesBackOnlyTheExpectedEntry() {
        LocalStore store = new LocalStore(100, HOUR, Runnable::run);
        Entry loaded = entry("loaded", HOUR);
        Entry written = entry("written", HOUR);
        store.put("k", written, Accessor.NONE);
        store.remove("k", loaded);
        assertSame(written, store.get("k", Accessor.NONE), "another entry stays");
        store.remove("k", written);
        assertNull(store.get("k", Accessor.NONE));
    }

    @Test
    void invalidateRemovesOneKey() {
        LocalStore store = new LocalStore(100, HOUR, Runnable::run);
        store.put("a", entry(1, HOUR), Accessor.NONE);
        store.put("b", entry(2, HOUR), Accessor.NONE);
        store.invalidate("a");
        assertNull(store.get("a", Accessor.NONE));
        assertNotNull(store.get("b", Accessor.NONE));
    }

    @Test
    void invalidateAllRemovesEverything() {
        LocalStore store = new LocalStore(100, HOUR, Runnable::run);
        store.put("a", entry(1, HOUR), Accessor.NONE);
        store.put("b", entry(2, HOUR), Accessor.NONE);
        store.invalidateAll();
        assertNull(store.get("a", Accessor.NONE));
        assertNull(store.get("b", Accessor.NONE));
        assertEquals(0, store.size());
    }

    @Test
    void withOneTtlEntriesExpireAfterIt() throws InterruptedException {
        LocalStore store = new LocalStore(100, SHORT, Runnable::run);
        store.put("short", entry("v", SHORT), Accessor.NONE);
        assertTrue(eventually(() -> store.get("short", Accessor.NONE) == null), "an entry with a 50ms TTL should expire");
    }

    @Test
    void whenAMethodWithAnotherTtlJoinsEachEntryKeepsItsOwn() throws InterruptedException {
        LocalStore store = new LocalStore(100, HOUR, Runnable::run);
        store.put("long", entry("stays", HOUR), Accessor.NONE);
        store.addMethod(SHORT, 100);
        store.put("short", entry("goes", SHORT), Accessor.NONE);
        assertTrue(eventually(() -> store.get("short", Accessor.NONE) == null));
        assertEquals("stays", store.get("long", Accessor.NONE).value(), "entries written before the switch are kept");
    }

    @Test
    void theSameTtlAgainKeepsTheFixedExpiry() throws InterruptedException {
        LocalStore store = new LocalStore(100, SHORT, Runnable::run);
        store.addMethod(SHORT, 100);
        store.put("k", entry("v", SHORT), Accessor.NONE);
        assertTrue(eventually(() -> store.get("k", Accessor.NONE) == null));
    }

    @Test
    void aRegionCreatedByAnEvictionTakesTheTtlOfItsFirstWriter() throws InterruptedException {
        LocalStore store = new LocalStore(100, null, Runnable::run);
        store.addMethod(null, 100);
        store.addMethod(SHORT, 100);
        store.put("k", entry("v", SHORT), Accessor.NONE);
        assertTrue(eventually(() -> store.get("k", Accessor.NONE) == null));
    }

    @Test
    void rewriteTakesTheTtlOfTheNewEntry() throws InterruptedException {
        LocalStore store = new LocalStore(100, HOUR, Runnable::run);
        store.addMethod(SHORT, 100);
        store.put("k", entry("long", HOUR), Accessor.NONE);
        store.put("k", entry("short", SHORT), Accessor.NONE);
        assertTrue(eventually(() -> store.get("k", Accessor.NONE) == null));
    }

    @Test
    void sizeStaysWithinTheBound() throws InterruptedException {
        LocalStore store = new LocalStore(100, HOUR, Runnable::run);
        for (int i = 0; i < 5_000; i++) {
            store.put(i, entry(i, HOUR), Accessor.NONE);
        }
        assertTrue(eventually(() -> {
            store.get(0, Accessor.NONE); // reads also run Caffeine's maintenance
            return store.size() <= 100;
        }), () -> "size " + store.size() + " exceeds the bound of 100");
        assertTrue(store.removals() >= 4_900, "removals counted: " + store.removals());
    }

    @Test
    void admitGrowsTheBound() {
        LocalStore store = new LocalStore(10, HOUR, Runnable::run);
        store.addMethod(HOUR, 200);
        for (int i = 0; i < 150; i++) {
            store.put(i, entry(i, HOUR), Accessor.NONE);
        }
        assertEquals(150, store.size());
    }

    @Test
    void admitNeverShrinksTheBound() {
        LocalStore store = new LocalStore(200, HOUR, Runnable::run);
        store.addMethod(HOUR, 10);
        for (int i = 0; i < 150; i++) {
            store.put(i, entry(i, HOUR), Accessor.NONE);
        }
        assertEquals(150, store.size());
    }

    /** A key whose hashing fails as a stack overflow would, inside Caffeine. */
    private static final class Overflowing {
        @Override
        public int hashCode() {
            throw new StackOverflowError("simulated");
        }
    }

    @Test
    void anEvictionLockLeftHeldByAFailedOperationIsReleasedByTheThreadsNextOperation() throws Exception {
        LocalStore store = new LocalStore(100, HOUR, Runnable::run);
        java.util.concurrent.locks.ReentrantLock lock = LocalStore.evictionLockOf(cacheOf(store));
        assertNotNull(lock, "the eviction lock is found where Caffeine keeps it");
        // What an overflow between Caffeine's lock() and its unlock() leaves behind: the lock held, an error thrown.
        lock.lock();
        try {
            store.get(new Overflowing(), Accessor.NONE);
        } catch (StackOverflowError expected) {
            // the application would catch it far up its stack
        }
        assertTrue(lock.isHeldByCurrentThread(), "the failed operation could not let go at that depth");
        store.get("k", Accessor.NONE);
        assertTrue(!lock.isLocked(), "the next operation of the same thread let go");
        Thread other = new Thread(() -> store.put("k", entry("v", HOUR), Accessor.NONE));
        other.start();
        other.join(5_000);
        assertTrue(!other.isAlive(), "another thread's write is not blocked");
        assertNotNull(store.get("k", Accessor.NONE));
    }

    private static com.github.benmanes.caffeine.cache.Cache<?, ?> cacheOf(LocalStore store) throws Exception {
        java.lang.reflect.Field f = LocalStore.class.getDeclaredField("cache");
        f.setAccessible(true);
        return (com.github.benmanes.caffeine.cache.Cache<?, ?>) f.get(store);
    }
}
