package dev.recall.agent.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.bridge.Call;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * READ_THROUGH waits that would never end on their own, driven as the advice drives them: each test
 * would hang (and so time out) if a waiter waited for ever.
 */
class LoadWaitTest {

    /** Runs a cached call: the advice's enter, then the body if it must run, then exit. */
    private static Object call(ReadThroughMethod m, long key, java.util.function.Supplier<Object> body) {
        Object r = m.enter(null, key, null, null);
        if (r instanceof Call c) {
            Object value = body.get();
            m.exit(c, value, null);
            return value;
        }
        return r;
    }

    @Test
    @Timeout(20)
    void crossedKeysOnTwoThreadsDoNotDeadlock() throws Exception {
        ReadThroughMethod m = TestMethods.readThrough("com.acme.Repo.find(long)", "crossed", Duration.ofSeconds(60));
        CompletableFuture<Void> bothLoading = new CompletableFuture<>();
        AtomicInteger loading = new AtomicInteger();
        AtomicInteger runs = new AtomicInteger();
        // Each thread's load of its own key needs the other thread's key: 1 needs 2, 2 needs 1.
        java.util.function.LongFunction<Object> outer = key -> call(m, key, () -> {
            runs.incrementAndGet();
            if (loading.incrementAndGet() == 2) {
                bothLoading.complete(null);
            }
            bothLoading.join();
            return "v" + key + "+" + call(m, 3 - key, () -> {
                runs.incrementAndGet();
                return "inner" + (3 - key);
            });
        });
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CompletableFuture<Object> one = CompletableFuture.supplyAsync(() -> outer.apply(1), pool);
            CompletableFuture<Object> two = CompletableFuture.supplyAsync(() -> outer.apply(2), pool);
            Object a = one.get(15, TimeUnit.SECONDS);
            Object b = two.get(15, TimeUnit.SECONDS);
            assertTrue(String.valueOf(a).startsWith("v1+"), String.valueOf(a));
            assertTrue(String.valueOf(b).startsWith("v2+"), String.valueOf(b));
            // Two outer loads, and at least the one inner load whose wait would have closed the cycle.
            assertTrue(runs.get() >= 3, "runs: " + runs.get());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Timeout(20)
    void aWaiterOnAnotherExecutorStopsWaitingAfterLoadWait() throws Exception {
        ReadThroughMethod m = TestMethods.readThrough("com.acme.Repo.find(long)", "executor", Duration.ofMillis(300));
        ExecutorService other = Executors.newSingleThreadExecutor();
        AtomicInteger runs = new AtomicInteger();
        try {
            long began = System.nanoTime();
            // The load of key 1 hands work for key 1 to another executor and blocks on it: no thread map
            // shows that the loader waits for its waiter, so only loadWait can end it.
            Object v = call(m, 1, () -> {
                runs.incrementAndGet();
                try {
                    return "outer(" + other.submit(() -> call(m, 1, () -> {
                        runs.incrementAndGet();
                        return "inner";
                    })).get(15, TimeUnit.SECONDS) + ")";
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);
            assertEquals("outer(inner)", v);
            assertEquals(2, runs.get(), "the waiter ran the method itself");
            assertTrue(tookMillis >= 250, "it waited loadWait first: " + tookMillis + " ms");
            assertEquals("outer(inner)", m.enter(null, 1L, null, null), "the outer load's result is the entry");
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    @Timeout(20)
    void aWaiterWhoseLoaderFinishesInTimeGetsItsResult() throws Exception {
        ReadThroughMethod m = TestMethods.readThrough("com.acme.Repo.find(long)", "patient", Duration.ofSeconds(10));
        Object first = m.enter(null, 5L, null, null);
        assertInstanceOf(Call.class, first);
        CompletableFuture<Object> waiter = CompletableFuture.supplyAsync(() -> m.enter(null, 5L, null, null));
        Thread.sleep(100);
        m.exit((Call) first, "five", null);
        assertEquals("five", waiter.get(5, TimeUnit.SECONDS));
    }
}
