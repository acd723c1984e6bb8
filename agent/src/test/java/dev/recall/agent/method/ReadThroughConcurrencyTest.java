package dev.recall.agent.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.recall.bridge.Call;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Misses of one key from several threads: one load, the others wait for it. Timeouts are generous on purpose. */
class ReadThroughConcurrencyTest {

    private static final int THREADS = 4;
    private static final long KEY = 77L;

    private static void await(CountDownLatch latch, String what) throws InterruptedException {
        if (!latch.await(30, TimeUnit.SECONDS)) {
            fail("timed out waiting for " + what);
        }
    }

    private static void waitUntil(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }

    private static boolean parked(Thread t) {
        Thread.State s = t.getState();
        return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
    }

    /** Runs THREADS concurrent misses; the thread that gets a Call ends its load with {@code outcome}. */
    private static final class Race {
        final ReadThroughMethod method = TestMethods.readThrough("com.acme.Repo.find(long)", "race");
        final CountDownLatch start = new CountDownLatch(1);
        final CountDownLatch gotCall = new CountDownLatch(1);
        final CountDownLatch proceed = new CountDownLatch(1);
        final CountDownLatch done = new CountDownLatch(THREADS);
        final AtomicInteger calls = new AtomicInteger();
        final AtomicReference<Thread> loader = new AtomicReference<>();
        final ConcurrentLinkedQueue<Object> values = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        final List<Thread> threads = new ArrayList<>();

        Race(Object value, Throwable thrown) {
            for (int i = 0; i < THREADS; i++) {
                Thread t = new Thread(() -> {
                    try {
                        start.await();
                        Object r = method.enter(null, KEY, null, null);
                        while (r instanceof Call call) {
                            int n = calls.incrementAndGet();
                            loader.set(Thread.currentThread());
                            gotCall.countDown();
                            if (n == 1) {
                                proceed.await(30, TimeUnit.SECONDS);
                                method.exit(call, value, thrown);
                                r = null;
                            } else {
                                // A later loader (after a failed load) succeeds.
                                method.exit(call, "retried", null);
                                r = "retried";
                            }
                        }
                        if (r != null) {
                            values.add(r);
                        }
                    } catch (Throwable t2) {
                        failures.add(t2);
                    } finally {
                        done.countDown();
                    }
                }, "reader-" + i);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
        }

        /** Releases the threads and waits until every one but the loader is parked waiting for the load. */
        void runUntilTheOthersWait() throws InterruptedException {
            start.countDown();
            await(gotCall, "a thread to get the Call");
            waitUntil(() -> method.stats().misses() == THREADS, "every thread missed");
            waitUntil(() -> threads.stream().allMatch(ReadThroughConcurrencyTest::parked), "the waiters parked");
        }
    }

    @Test
    @Timeout(120)
    void oneThreadLoadsAndTheOthersReceiveItsValue() throws InterruptedException {
        Race race = new Race("loaded", null);
        race.runUntilTheOthersWait();
        assertEquals(1, race.calls.get(), "exactly one thread runs the method");
        assertTrue(race.values.isEmpty(), "nobody has a value before the load ends: " + race.values);
        assertEquals(THREADS, race.done.getCount(), "every thread is still inside enter or the body");

        race.proceed.countDown();
        await(race.done, "all threads");
        assertEquals(List.of(), List.copyOf(race.failures));
        assertEquals(1, race.calls.get());
        assertEquals(THREADS - 1, race.values.size());
        for (Object v : race.values) {
            assertEquals("loaded", v);
        }
        assertEquals(1, race.method.stats().loads());
        assertEquals(THREADS, race.method.stats().misses());
        assertEquals("loaded", race.method.enter(null, KEY, null, null), "and it is cached");
    }

    @Test
    @Timeout(120)
    void whenTheLoadFailsTheWaitersRetryOneAtATime() throws InterruptedException {
        Race race = new Race(null, new IllegalStateException("db down"));
        race.runUntilTheOthersWait();
        assertEquals(1, race.calls.get());

        race.proceed.countDown();
        await(race.done, "all threads");
        assertEquals(List.of(), List.copyOf(race.failures));
        // The failed load is not handed to anyone; one waiter loads again and the rest get its value.
        assertEquals(2, race.calls.get(), "one retry after the failed load");
        assertEquals(THREADS - 1, race.values.size());
        for (Object v : race.values) {
            assertEquals("retried", v);
        }
        assertEquals(1, race.method.stats().loadFailures());
        assertEquals(1, race.method.stats().loads());
    }

    @Test
    @Timeout(120)
    void disabledMethodNeverBlocks() throws InterruptedException {
        ReadThroughMethod m = TestMethods.readThrough("com.acme.Repo.find(long)", "race");
        Call held = assertInstanceOf(Call.class, m.enter(null, KEY, null, null));
        m.setEnabled(false);
        AtomicReference<Object> result = new AtomicReference<>("unset");
        Thread t = new Thread(() -> result.set(m.enter(null, KEY, null, null)));
        t.setDaemon(true);
        t.start();
        t.join(TimeUnit.SECONDS.toMillis(30));
        assertTrue(!t.isAlive(), "a disabled method waited for another thread's load");
        assertNull(result.get());
        m.exit(held, "v", null);
    }
}
