package dev.recall.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LatencyWindowTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);
    /** An arbitrary instant on the nanoTime clock, at the start of a slice. */
    private static final long NOW0 = 1_000 * LatencyWindow.SLICE_NANOS;

    /** Two significant digits: HdrHistogram's answer is within 1% of the recorded value. */
    private static void assertMillis(double expected, double actual, String what) {
        assertEquals(expected, actual, expected * 0.01, what);
    }

    /** 10ms x 50, 100ms x 40, 1s x 10: mean 145ms, p50 10ms, p90 100ms, p99 1s, max 1s. */
    private static void recordKnown(LatencyWindow w) {
        for (int i = 0; i < 50; i++) {
            w.record(10 * MS);
        }
        for (int i = 0; i < 40; i++) {
            w.record(100 * MS);
        }
        for (int i = 0; i < 10; i++) {
            w.record(1000 * MS);
        }
    }

    private static void assertKnown(LatencySnapshot s) {
        assertEquals(100, s.count());
        assertMillis(145, s.mean(), "mean");
        assertMillis(10, s.p50(), "p50");
        assertMillis(100, s.p90(), "p90");
        assertMillis(1000, s.p99(), "p99");
        assertMillis(1000, s.max(), "max");
    }

    private static void assertEmpty(LatencySnapshot s) {
        assertEquals(0, s.count());
        assertTrue(Double.isNaN(s.mean()), "mean " + s.mean());
        assertTrue(Double.isNaN(s.p50()), "p50 " + s.p50());
        assertTrue(Double.isNaN(s.p90()), "p90 " + s.p90());
        assertTrue(Double.isNaN(s.p99()), "p99 " + s.p99());
        assertTrue(Double.isNaN(s.max()), "max " + s.max());
    }

    @Test
    void recentGivesCountMeanAndPercentilesOfWhatWasRecorded() {
        LatencyWindow w = new LatencyWindow();
        recordKnown(w);
        assertKnown(w.recent(2 * MINUTE, NOW0 + SECOND));
    }

    @Test
    void lifetimeGivesTheSameFiguresForOneSlice() {
        LatencyWindow w = new LatencyWindow();
        recordKnown(w);
        assertKnown(w.lifetime(NOW0 + SECOND));
        // Reading does not consume: asking again gives the same figures.
        assertKnown(w.lifetime(NOW0 + 2 * SECOND));
        assertKnown(w.recent(MINUTE, NOW0 + 2 * SECOND));
    }

    @Test
    void valuesDrainedIntoAnOldSliceLeaveTheRecentWindowButStayInTheLifetime() {
        LatencyWindow w = new LatencyWindow();
        recordKnown(w);
        w.drain(NOW0);
        long later = NOW0 + 5 * MINUTE;
        assertEmpty(w.recent(2 * MINUTE, later));
        assertKnown(w.lifetime(later));
    }

    @Test
    void recentWindowHoldsOnlyTheNewSlicesWhileTheLifetimeMergesAll() {
        LatencyWindow w = new LatencyWindow();
        for (int i = 0; i < 10; i++) {
            w.record(500 * MS);
        }
        w.drain(NOW0);
        for (int i = 0; i < 4; i++) {
            w.record(20 * MS);
        }
        long later = NOW0 + 5 * MINUTE;
        w.drain(later);

        LatencySnapshot recent = w.recent(2 * MINUTE, later + SECOND);
        assertEquals(4, recent.count());
        assertMillis(20, recent.max(), "recent max");

        LatencySnapshot lifetime = w.lifetime(later + SECOND);
        assertEquals(14, lifetime.count());
        assertMillis(500, lifetime.max(), "lifetime max");
        assertMillis((10 * 500 + 4 * 20) / 14.0, lifetime.mean(), "lifetime mean");
    }

    @Test
    void sliceOfOneMinuteAgoIsInsideATwoMinuteWindow() {
        LatencyWindow w = new LatencyWindow();
        w.record(50 * MS);
        w.drain(NOW0);
        LatencySnapshot s = w.recent(2 * MINUTE, NOW0 + MINUTE);
        assertEquals(1, s.count());
        assertMillis(50, s.p50(), "p50");
    }

    /**
     * "The last windowNanos (rounded up to whole slices)": a value drained 7s ago is within the last 10s,
     * even when those 10s straddle a slice boundary.
     */
    @Test
    void valueDrainedWithinTheWindowInThePreviousSliceIsIncluded() {
        LatencyWindow w = new LatencyWindow();
        w.record(50 * MS);
        w.drain(NOW0 + 5 * SECOND);
        LatencySnapshot s = w.recent(10 * SECOND, NOW0 + 12 * SECOND);
        assertEquals(1, s.count(), "a load drained 7s ago is missing from the 10s window");
    }

    @Test
    void sliceRingWrapsAroundWithoutKeepingStaleValues() {
        LatencyWindow w = new LatencyWindow();
        w.record(300 * MS);
        w.drain(NOW0);
        // Exactly SLICES slices later the same ring position is reused.
        long wrapped = NOW0 + LatencyWindow.SLICES * LatencyWindow.SLICE_NANOS;
        w.record(7 * MS);
        w.drain(wrapped);
        LatencySnapshot s = w.recent(10 * MINUTE, wrapped);
        assertEquals(1, s.count());
        assertMillis(7, s.max(), "max");
        assertEquals(2, w.lifetime(wrapped).count());
    }

    @Test
    void resetClearsRecentAndLifetime() {
        LatencyWindow w = new LatencyWindow();
        recordKnown(w);
        w.drain(NOW0);
        w.record(30 * MS); // recorded, not drained yet
        w.reset();
        assertEmpty(w.recent(2 * MINUTE, NOW0 + SECOND));
        assertEmpty(w.lifetime(NOW0 + SECOND));

        // and it keeps working afterwards
        w.record(40 * MS);
        LatencySnapshot s = w.recent(2 * MINUTE, NOW0 + 2 * SECOND);
        assertEquals(1, s.count());
        assertMillis(40, s.p50(), "p50 after reset");
    }

    @Test
    void emptyWindowHasNaNFieldsAndCountZero() {
        LatencyWindow w = new LatencyWindow();
        assertEmpty(w.recent(MINUTE, NOW0));
        assertEmpty(w.lifetime(NOW0));
        assertEmpty(LatencySnapshot.EMPTY);
    }

    @Test
    void valuesAboveOneHourAreClampedNotThrown() {
        LatencyWindow w = new LatencyWindow();
        assertDoesNotThrow(() -> w.record(TimeUnit.HOURS.toNanos(3)));
        assertDoesNotThrow(() -> w.record(Long.MAX_VALUE));
        LatencySnapshot s = w.lifetime(NOW0);
        assertEquals(2, s.count());
        assertMillis(TimeUnit.HOURS.toMillis(1), s.max(), "max is clamped to one hour");
        assertMillis(TimeUnit.HOURS.toMillis(1), s.p50(), "p50");
    }

    @Test
    void zeroAndNegativeDurationsCountAsTheSmallestValue() {
        LatencyWindow w = new LatencyWindow();
        assertDoesNotThrow(() -> w.record(0));
        assertDoesNotThrow(() -> w.record(-5));
        LatencySnapshot s = w.lifetime(NOW0);
        assertEquals(2, s.count());
        assertEquals(0.001, s.max(), 1e-9, "one microsecond");
    }

    @Test
    void windowLongerThanTheRingIsCappedAtTenMinutes() {
        LatencyWindow w = new LatencyWindow();
        w.record(80 * MS);
        w.drain(NOW0);
        assertEquals(1, w.recent(TimeUnit.HOURS.toNanos(5), NOW0 + 5 * MINUTE).count());
        assertEquals(0, w.recent(TimeUnit.HOURS.toNanos(5), NOW0 + 11 * MINUTE).count());
    }

    /**
     * Loads of widely spread latencies recorded by four threads while the sampler drains: every one is
     * counted, and no thread is left spinning (HdrHistogram's packed concurrent recorder was seen to).
     */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void concurrentLoadsAreAllCountedWhileTheSamplerDrains() throws Exception {
        LatencyWindow w = new LatencyWindow();
        int threads = 4;
        int each = 200_000;
        Thread[] recorders = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            long seed = t;
            recorders[t] = new Thread(() -> {
                java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
                for (int i = 0; i < each; i++) {
                    // 1 µs to about 1 h, log-uniform: the histogram's array keeps growing into new ranges.
                    w.record((long) Math.pow(10, 3 + random.nextDouble() * 9.5));
                }
            });
            recorders[t].start();
        }
        long now = NOW0;
        while (java.util.Arrays.stream(recorders).anyMatch(Thread::isAlive)) {
            w.drain(now += 100_000_000L);
        }
        for (Thread r : recorders) {
            r.join();
        }
        assertEquals((long) threads * each, w.lifetime(now + SECOND).count());
    }

    /**
     * The worst spread there is: every minute, loads over the whole 1 µs to 1 h range, each of its buckets
     * taken many times. The histograms stay within the budget that keeps a method under 64 KB, and the JMX
     * window (the last two minutes) still has its loads.
     */
    @Test
    void loadsSpreadOverTheWholeRangeEveryMinuteStayWithinTheBudget() {
        LatencyWindow w = new LatencyWindow();
        long now = NOW0;
        long maxFootprint = 0;
        for (int minute = 0; minute < 15; minute++) {
            for (int round = 0; round < 300; round++) {
                for (double micros = 1 + round % 7; micros < 3.6e9; micros *= 1.01) {
                    w.record((long) (micros * 1_000));
                }
            }
            now += MINUTE;
            w.drain(now);
            maxFootprint = Math.max(maxFootprint, w.footprintBytes());
        }
        assertTrue(maxFootprint <= LatencyWindow.BUDGET_BYTES, "histograms held " + maxFootprint + " bytes");
        assertTrue(w.recent(2 * MINUTE, now + SECOND).count() > 0, "the last two minutes are still there");
    }

    /**
     * A few loads are held as recorded, not in a histogram (issue 28), yet every figure is exactly what a
     * histogram of them gives, for each count from one load to past the switch to a histogram, in a window
     * of several slices and in the lifetime.
     */
    @Test
    void fewLoadsReadExactlyAsAHistogramOfThemWouldAndHoldLittle() {
        long[] micros = {1_234, 87, 15_500, 3, 999_999, 42_000, 512, 7_777, 64, 250_000, 1_000_001, 9};
        for (int n = 1; n <= micros.length; n++) {
            LatencyWindow w = new LatencyWindow();
            org.HdrHistogram.PackedHistogram expected = new org.HdrHistogram.PackedHistogram(TimeUnit.HOURS.toMicros(1), 2);
            long now = NOW0;
            for (int i = 0; i < n; i++) {
                w.record(micros[i] * 1_000);
                expected.recordValue(micros[i]);
                if (i % 3 == 2) {
                    now += MINUTE / 2; // some loads in the next slice
                    w.drain(now);
                }
            }
            LatencySnapshot want = LatencySnapshot.of(expected);
            assertEquals(want, w.recent(3 * MINUTE, now + SECOND), n + " loads, recent");
            assertEquals(want, w.lifetime(now + SECOND), n + " loads, lifetime");
            if (n <= Latencies.FEW / 2) {
                assertTrue(w.footprintBytes() < 200, n + " loads held " + w.footprintBytes() + " bytes");
            }
        }
    }
}
