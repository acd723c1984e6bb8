package dev.recall.agent.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Waiting for a load: one wake-up per waiter when it completes, one deadline each, nothing shared between waiters. */
class LoadingTest {

    private final Entry entry = new Entry("v", 0, TimeUnit.HOURS.toNanos(1));

    private static CompletableFuture<Object> waitFor(Loading loading, long nanos) {
        CompletableFuture<Object> got = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                got.complete(loading.await(nanos));
            } catch (Throwable e) {
                got.completeExceptionally(e);
            }
        });
        t.setDaemon(true);
        t.start();
        return got;
    }

    @Test
    void everyWaiterWakesWithTheEntryOnceTheLoadCompletes() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            Loading loading = new Loading();
            List<CompletableFuture<Object>> waiters = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                waiters.add(waitFor(loading, TimeUnit.SECONDS.toNanos(60)));
            }
            Thread.sleep(300);
            loading.complete(entry);
            for (CompletableFuture<Object> w : waiters) {
                assertSame(entry, w.get(10, TimeUnit.SECONDS));
            }
        });
    }

    @Test
    void aWaiterThatGivesUpLeavesTheOthersWaitingAndAlateOneDoesNotWait() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            Loading loading = new Loading();
            CompletableFuture<Object> patient = waitFor(loading, TimeUnit.SECONDS.toNanos(60));
            CompletableFuture<Object> hasty = waitFor(loading, TimeUnit.MILLISECONDS.toNanos(50));
            assertSame(Loading.WAITED_TOO_LONG, hasty.get(10, TimeUnit.SECONDS));
            assertTrue(!patient.isDone(), "still waiting");
            loading.fail();
            assertEquals(null, patient.get(10, TimeUnit.SECONDS), "a failed load: the waiter retries");
            long start = System.nanoTime();
            assertEquals(null, loading.await(TimeUnit.SECONDS.toNanos(60)));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "answered at once");
        });
    }

    /**
     * Only a thread that runs a load can close a cycle of waits, so only such a waiter registers in the map of waiting
     * threads; the rest (all the waiters of a burst of misses) write nothing shared beyond their place on the load.
     */
    @Test
    void onlyAWaiterThatRunsALoadItselfRegistersForTheCycleCheck() throws Exception {
        Loading awaited = new Loading();
        awaited.began();
        java.util.concurrent.CountDownLatch parked = new java.util.concurrent.CountDownLatch(2);
        java.util.concurrent.ConcurrentLinkedQueue<Object> got = new java.util.concurrent.ConcurrentLinkedQueue<>();
        Thread plain = new Thread(() -> {
            parked.countDown();
            got.add(await(awaited));
        });
        Thread loading = new Thread(() -> {
            Loading own = new Loading();
            own.began(); // this thread runs a load of its own, which another wait could lead to
            parked.countDown();
            got.add(await(awaited));
            own.complete(new Entry("own", 0, 0));
        });
        plain.start();
        loading.start();
        parked.await();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((plain.getState() != Thread.State.TIMED_WAITING || loading.getState() != Thread.State.TIMED_WAITING)
                && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(1, Loading.registeredWaiters(), "the waiter that runs a load, not the other");
        Entry entry = new Entry("v", 0, 0);
        awaited.complete(entry);
        plain.join(10_000);
        loading.join(10_000);
        assertEquals(java.util.List.of(entry, entry), java.util.List.copyOf(got));
        assertEquals(0, Loading.registeredWaiters());
    }

    private static Object await(Loading loading) {
        try {
            return loading.await(TimeUnit.SECONDS.toNanos(60));
        } catch (InterruptedException e) {
            return e;
        }
    }

    @Test
    void aWaiterOfItsOwnLoadSeesTheCycleAtOnce() throws Exception {
        Loading mine = new Loading();
        assertSame(Loading.CYCLE, mine.await(TimeUnit.SECONDS.toNanos(60)));
    }
}
