package dev.recall.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MethodStatsTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);
    private static final long T0 = TimeUnit.HOURS.toNanos(10);

    @Test
    void aColdFirstLoadIsNotWhatEveryHitIsCreditedWith() {
        MethodStats s = new MethodStats(T0 - MINUTE);
        long now = T0;
        long cold = java.util.concurrent.TimeUnit.SECONDS.toNanos(2);
        long warm = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(5);
        s.load(cold);
        s.hit(cold);
        assertEquals(cold, s.savedNanos(now), "before the sampler has seen loads, the entry's own cost counts");
        for (int i = 0; i < 50; i++) { // the cold load is then above the 90th percentile
            s.load(warm);
        }
        s.sample(now);
        s.hit(cold); // a hit on the entry the cold load made
        long credited = s.savedNanos(now + SECOND) - cold;
        assertTrue(credited <= warm * 1.1, "credited " + credited + " ns, today's loads cost " + warm);
        assertTrue(credited >= warm * 0.9, "credited " + credited + " ns");
    }

    @Test
    void countersCountEachKindOfEvent() {
        MethodStats s = new MethodStats(T0 - MINUTE);
        s.hit(1);
        s.hit(1);
        s.hit(1);
        s.miss();
        s.miss();
        s.load(5 * MS);
        s.loadFailure(7 * MS);
        s.loadFailure(7 * MS);
        s.error();
        s.error();
        s.error();
        s.error();
        assertEquals(3, s.hits());
        assertEquals(2, s.misses());
        assertEquals(1, s.loads());
        assertEquals(2, s.loadFailures());
        assertEquals(4, s.errors());
        assertEquals(5 * MS, s.totalLoadNanos());
    }

    @Test
    void hitRatioIsNaNBeforeAnyCall() {
        assertTrue(Double.isNaN(new MethodStats(T0 - MINUTE).hitRatio()));
    }

    @Test
    void hitRatioIsHitsOverCalls() {
        MethodStats s = new MethodStats(T0 - MINUTE);
        s.hit(0);
        s.hit(0);
        s.hit(0);
        s.miss();
        assertEquals(0.75, s.hitRatio(), 1e-12);
        s.miss();
        s.miss();
        s.miss();
        assertEquals(3.0 / 7, s.hitRatio(), 1e-12);
    }

    @Test
    void onlyMissesGiveRatioZero() {
        MethodStats s = new MethodStats(T0 - MINUTE);
        s.miss();
        assertEquals(0.0, s.hitRatio());
    }

    @Test
    void savedNanosAccumulatesTheLoadTimesOfTheEntriesServed() {
        MethodStats s = new MethodStats(T0 - MINUTE);
        s.hit(20 * MS);
        s.hit(20 * MS);
        s.hit(3 * MS);
        assertEquals(43 * MS, s.savedNanos(T0));
        s.miss();
        s.load(100 * MS);
        assertEquals(43 * MS, s.savedNanos(T0 + SECOND), "misses and loads save nothing");
    }

    /**
     * The contract: the saved time never exceeds the wall time during which the method was called multiplied
     * by its callers, however much each hit is credited with.
     */
    @Test
    void savedTimeNeverExceedsWallTimeMultipliedByTheCallers() throws Exception {
        MethodStats s = new MethodStats(T0);
        for (int i = 0; i < 1_000; i++) {
            s.hit(SECOND); // a thousand hits, each credited a second, within one millisecond
        }
        assertEquals(MS, s.savedNanos(T0 + MS), "one caller, one millisecond: one millisecond saved at most");
        assertEquals(MS, s.savedNanos(T0 + 10 * SECOND), "no hit since: nothing more is saved, however long it waits");

        Thread[] callers = new Thread[4];
        for (int t = 0; t < callers.length; t++) {
            callers[t] = new Thread(() -> {
                for (int i = 0; i < 1_000; i++) {
                    s.hit(SECOND);
                }
            });
            callers[t].start();
        }
        for (Thread t : callers) {
            t.join();
        }
        long more = s.savedNanos(T0 + 11 * SECOND) - MS;
        assertTrue(more <= 4 * SECOND, "four callers over one second save at most four seconds: " + more);
        assertTrue(more >= SECOND, "at least one caller's second: " + more);

        assertEquals(MS + more, s.savedNanos(T0 + 20 * SECOND), "no call since: the bound stays where it was");
    }

    @Test
    void withinTheBoundEveryCreditCountsAndCreditsOverItCountWhenLaterCallsAllowThem() {
        MethodStats s = new MethodStats(T0);
        for (int i = 0; i < 3; i++) {
            s.hit(20 * MS);
        }
        assertEquals(60 * MS, s.savedNanos(T0 + SECOND), "one caller over a second: every credit counts");

        s.hit(SECOND);
        s.hit(SECOND);
        assertEquals(1200 * MS, s.savedNanos(T0 + SECOND + 200 * MS),
                "2 s of credit more in 200 ms: the calls have lasted 1.2 s, so 1.2 s saved for now");
        s.miss(); // the method is still being called
        assertEquals(2 * SECOND, s.savedNanos(T0 + 2 * SECOND), "more of it as the calls go on");
        s.miss();
        assertEquals(2060 * MS, s.savedNanos(T0 + 3 * SECOND), "and all of it once they have lasted long enough");
        assertEquals(2060 * MS, s.savedNanos(T0 + 9 * SECOND), "no call since: nothing more");
    }

    @Test
    void loadsEnterTheLatencyHistogram() {
        MethodStats s = new MethodStats(T0 - MINUTE);
        s.load(10 * MS);
        s.load(30 * MS);
        LatencySnapshot l = s.lifetimeLoads(T0);
        assertEquals(2, l.count());
        assertEquals(20, l.mean(), 0.2);
        assertEquals(2, s.recentLoads(MINUTE, T0).count());
        assertEquals(40 * MS, s.totalLoadNanos());
    }

    @Test
    void loadFailureDoesNotEnterTheLatencyHistogram() {
        MethodStats s = new MethodStats(T0 - MINUTE);
        s.loadFailure(5 * SECOND);
        assertEquals(1, s.loadFailures());
        assertEquals(0, s.loads());
        assertEquals(0, s.totalLoadNanos());
        assertEquals(0, s.lifetimeLoads(T0).count());
        assertEquals(0, s.recentLoads(MINUTE, T0).count());

        s.load(10 * MS);
        LatencySnapshot l = s.lifetimeLoads(T0);
        assertEquals(1, l.count());
        assertEquals(10, l.max(), 0.1, "the failed 5s load must not show as the max");
    }

    @Test
    void beforeTheSamplersFirstReadingAWindowStartsAtTheMethodsCreation() {
        // A method is made at its first call, between two readings: its first calls belong in the windows.
        MethodStats s = new MethodStats(T0 - MINUTE);
        s.hit(MS);
        s.miss();
        MethodStats.Window w = s.window(MINUTE, T0);
        assertEquals(MINUTE, w.nanos());
        assertEquals(2, w.calls());
        assertEquals(0.5, w.hitRatio());
    }

    @Test
    void aWindowAfterAResetWithoutAnySampleIsEmpty() {
        MethodStats s = new MethodStats(T0 - MINUTE);
        s.reset();
        s.hit(MS);
        MethodStats.Window w = s.window(MINUTE, T0);
        assertEquals(0, w.nanos());
        assertEquals(0, w.calls());
        assertTrue(Double.isNaN(w.hitRatio()));
        assertEquals(0.0, w.savedMillisPerSecond());
    }

    @Test
    void windowGivesTheDeltasSinceTheOldestSampleInsideIt() {
        MethodStats s = new MethodStats(T0 - MINUTE);
        // Before the window: must not count.
        for (int i = 0; i < 5; i++) {
            s.hit(1000 * MS);
        }
        s.miss();
        s.sample(T0);
        // Inside the window: 10 hits saving 20ms each, 2 misses, a failure, an error.
        for (int i = 0; i < 10; i++) {
            s.hit(20 * MS);
        }
        s.miss();
        s.miss();
        s.loadFailure(MS);
        s.error();
        s.sample(T0 + 30 * SECOND);

        MethodStats.Window w = s.window(MINUTE, T0 + 40 * SECOND);
        assertEquals(40 * SECOND, w.nanos(), "measured from the sample at T0");
        assertEquals(10, w.hits());
        assertEquals(2, w.misses());
        assertEquals(12, w.calls());
        assertEquals(200 * MS, w.savedNanos());
        assertEquals(1, w.loadFailures());
        assertEquals(1, w.errors());
        assertEquals(10.0 / 12, w.hitRatio(), 1e-12);
        assertEquals(200.0 / 40, w.savedMillisPerSecond(), 1e-9, "200ms saved over 40s");
    }

    @Test
    void shorterWindowStartsAtTheNewerSample() {
        MethodStats s = new MethodStats(T0 - MINUTE);
        s.sample(T0);
        for (int i = 0; i < 10; i++) {
            s.hit(20 * MS);
        }
        s.sample(T0 + 30 * SECOND);
        s.hit(50 * MS);
        s.miss();
        s.miss();
        s.miss();

        MethodStats.Window w = s.window(20 * SECOND, T0 + 40 * SECOND);
        assertEquals(10 * SECOND, w.nanos());
        assertEquals(1, w.hits());
        assertEquals(3, w.misses());
        assertEquals(50 * MS, w.savedNanos());
        assertEquals(50.0 / 10, w.savedMillisPerSecond(), 1e-9);
        assertEquals(0.25, w.hitRatio(), 1e-12);
    }

    @Test
    void windowIncludesLiveCountersAfterTheLastSample() {
        MethodStats s = new MethodStats(T0 - MINUTE);
        s.sample(T0);
        s.hit(4 * MS);
        s.hit(4 * MS);
        MethodStats.Window w = s.window(MINUTE, T0 + 2 * SECOND);
        assertEquals(2, w.hits());
        assertEquals(8 * MS, w.savedNanos());
        assertEquals(4.0, w.savedMillisPerSecond(), 1e-9);
    }

    @Test
    void emptyWindowRecordSavesNothingPerSecond() {
        assertEquals(0.0, new MethodStats.Window(0, 1, 0, 5 * MS, 0, 0).savedMillisPerSecond());
        assertTrue(Double.isNaN(new MethodStats.Window(SECOND, 0, 0, 0, 0, 0).hitRatio()));
    }

    @Test
    void sampleDrainsLoadsIntoTheSliceOfItsTime() {
        MethodStats s = new MethodStats(T0 - MINUTE);
        s.load(100 * MS);
        s.sample(T0);
        assertEquals(1, s.recentLoads(2 * MINUTE, T0 + MINUTE).count());
        assertEquals(0, s.recentLoads(2 * MINUTE, T0 + 5 * MINUTE).count(), "the load belongs to the slice of T0");
        assertEquals(1, s.lifetimeLoads(T0 + 5 * MINUTE).count());
    }

    @Test
    void resetZeroesCountersAndClearsHistory() {
        MethodStats s = new MethodStats(T0 - MINUTE);
        s.sample(T0);
        s.hit(MS);
        s.miss();
        s.load(MS);
        s.loadFailure(MS);
        s.error();
        s.sample(T0 + SECOND);
        s.reset();

        assertEquals(0, s.hits());
        assertEquals(0, s.misses());
        assertEquals(0, s.loads());
        assertEquals(0, s.loadFailures());
        assertEquals(0, s.errors());
        assertEquals(0, s.savedNanos());
        assertEquals(0, s.totalLoadNanos());
        assertTrue(Double.isNaN(s.hitRatio()));
        assertEquals(0, s.lifetimeLoads(T0 + 2 * SECOND).count());
        assertEquals(0, s.recentLoads(MINUTE, T0 + 2 * SECOND).count());

        MethodStats.Window w = s.window(MINUTE, T0 + 2 * SECOND);
        assertEquals(0, w.nanos(), "the samples taken before the reset are gone");
        assertEquals(0, w.hits());
        assertEquals(0, w.misses());

        // A sample after the reset starts a fresh history with non-negative deltas.
        s.sample(T0 + 3 * SECOND);
        s.hit(MS);
        MethodStats.Window after = s.window(MINUTE, T0 + 4 * SECOND);
        assertEquals(SECOND, after.nanos());
        assertEquals(1, after.hits());
    }
}
