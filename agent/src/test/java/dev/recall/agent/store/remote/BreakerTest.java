package dev.recall.agent.store.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The breaker's own transitions. When the connector probes (the schedule) and what a probe must have
 * done before it closes the breaker are in {@link ProbeScheduleTest}.
 */
class BreakerTest {

    /** A clock that moves 300 ms on each reading: consecutive failures are spread over time, as in an outage. */
    private static java.util.function.LongSupplier steps() {
        long[] now = {0};
        return () -> now[0] += 300_000_000L;
    }

    private static Breaker up() {
        Breaker b = new Breaker(steps());
        b.close();
        return b;
    }

    /** The false trip the issue measured: one burst of timeouts under CPU load, all within a few ms. */
    @Test
    void aBurstOfFailuresWithinAMomentDoesNotOpenIt() {
        long[] now = {0};
        Breaker b = new Breaker(() -> now[0]);
        b.close();
        for (int i = 0; i < 20; i++) {
            now[0] += 10_000_000L; // 10 ms apart: 200 ms in all
            assertFalse(b.failed());
        }
        assertTrue(b.up(), "200 ms of failures is a burst, not an outage");
        now[0] += Breaker.SUSTAINED_NANOS;
        assertTrue(b.failed(), "still failing half a second after the first: it opens");
        assertEquals(RedisState.DOWN, b.state());
    }

    @Test
    void nothingGoesToRedisBeforeTheFirstProbeHasSucceeded() {
        Breaker b = new Breaker(steps());
        assertEquals(RedisState.PROBING, b.state());
        assertFalse(b.up());
        b.close();
        assertEquals(RedisState.UP, b.state());
        assertTrue(b.up());
    }

    @Test
    void aFewConsecutiveFailedReadsOpenItAndOnlyTheOneThatOpenedItSaysSo() {
        Breaker b = up();
        for (int i = 1; i < Breaker.FAILURES_TO_OPEN; i++) {
            assertFalse(b.failed(), "failure " + i + " of " + Breaker.FAILURES_TO_OPEN);
            assertTrue(b.up(), "a slow command now and then is a miss, not an outage");
        }
        assertTrue(b.failed(), "this one opens it: its caller schedules the probe");
        assertEquals(RedisState.DOWN, b.state());
        assertFalse(b.up());
        // Calls already under way when it opened fail too; the probe is scheduled once, not once each.
        assertFalse(b.failed());
        assertFalse(b.failed());
        assertEquals(RedisState.DOWN, b.state());
    }

    @Test
    void aSuccessBetweenFailuresStartsTheCountAgain() {
        Breaker b = up();
        for (int round = 0; round < 5; round++) {
            for (int i = 1; i < Breaker.FAILURES_TO_OPEN; i++) {
                assertFalse(b.failed());
            }
            b.succeeded();
        }
        assertTrue(b.up(), "never " + Breaker.FAILURES_TO_OPEN + " in a row");
    }

    @Test
    void aFailedInvalidationOpensItAtOnceAndOnlyOnce() {
        Breaker b = up();
        assertTrue(b.open(), "a lost invalidation cannot wait for more failures: reads must stop now");
        assertEquals(RedisState.DOWN, b.state());
        assertFalse(b.open(), "already open: the probe is already scheduled");
        assertEquals(RedisState.DOWN, b.state());
    }

    @Test
    void aProbeThatFailsOpensItAgainAndOneThatSucceedsClosesIt() {
        Breaker b = up();
        b.open();
        b.probing();
        assertEquals(RedisState.PROBING, b.state());
        assertFalse(b.up(), "reads wait until the owed invalidations are applied");
        assertTrue(b.open(), "PROBING is not DOWN: the failed probe reschedules");
        assertEquals(RedisState.DOWN, b.state());
        b.probing();
        b.close();
        assertTrue(b.up());
    }

    @Test
    void failuresFromBeforeAnOutageDoNotCountAfterIt() {
        Breaker b = up();
        for (int i = 0; i < Breaker.FAILURES_TO_OPEN + 2; i++) {
            b.failed();
        }
        b.probing();
        b.close();
        for (int i = 1; i < Breaker.FAILURES_TO_OPEN; i++) {
            assertFalse(b.failed());
        }
        assertTrue(b.up(), "the count starts from zero once Redis is back");
        assertTrue(b.failed());
    }

    @Test
    void manyThreadsFailingTogetherOpenItOnce() throws Exception {
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int run = 0; run < 50; run++) {
                Breaker b = up();
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Integer>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    Callable<Integer> failing = () -> {
                        start.await();
                        int opened = 0;
                        for (int i = 0; i < 10; i++) {
                            opened += b.failed() ? 1 : 0;
                            opened += b.open() ? 1 : 0;
                        }
                        return opened;
                    };
                    results.add(pool.submit(failing));
                }
                start.countDown();
                int opened = 0;
                for (Future<Integer> r : results) {
                    opened += r.get();
                }
                assertEquals(1, opened, "exactly one caller learns it opened the breaker (run " + run + ")");
                assertEquals(RedisState.DOWN, b.state());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
