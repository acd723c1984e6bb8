package dev.recall.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HitCounterTest {

    @Test
    void countsHitsAndSavedNanosExactly() {
        HitCounter c = new HitCounter();
        c.hit(50_000_000);
        c.hit(123);
        assertEquals(2, c.hits());
        assertEquals(50_000_123, c.savedNanos());
    }

    @Test
    void manyHitsDrainIntoTheTotalsWithoutLosingAny() {
        HitCounter c = new HitCounter();
        long hits = 3L << 20; // several drains of one cell
        for (long i = 0; i < hits; i++) {
            c.hit(7);
        }
        assertEquals(hits, c.hits());
        assertEquals(hits * 7, c.savedNanos());
    }

    @Test
    void longLoadsDrainBeforeTheSavedFieldOverflows() {
        HitCounter c = new HitCounter();
        long oneMinute = 60_000_000_000L;
        for (int i = 0; i < 5_000; i++) { // 83 hours saved, far past what one cell holds
            c.hit(oneMinute);
        }
        assertEquals(5_000, c.hits());
        assertEquals(5_000 * oneMinute, c.savedNanos());
    }

    @Test
    void concurrentHitsAreAllCounted() throws InterruptedException {
        HitCounter c = new HitCounter();
        hitFromThreads(c, 8, 200_000, 3);
        assertEquals(1_600_000, c.hits());
        assertEquals(4_800_000, c.savedNanos());
    }

    @Test
    void resetStartsFromZero() {
        HitCounter c = new HitCounter();
        c.hit(5);
        c.reset();
        assertEquals(0, c.hits());
        assertEquals(0, c.savedNanos());
    }

    @Test
    void afterAResetCountingGoesOnFromZero() throws InterruptedException {
        HitCounter c = new HitCounter();
        c.hit(5);
        Thread other = new Thread(() -> c.hit(5));
        other.start();
        other.join();
        c.reset();
        c.hit(7);
        c.hit(7);
        assertEquals(2, c.hits());
        assertEquals(14, c.savedNanos());
    }

    @Test
    void threadsSharingAStripeAreAllCounted() throws InterruptedException {
        HitCounter c = new HitCounter();
        hitFromThreads(c, 64, 20_000, 1); // four times the stripes: most threads add to a shared cell
        assertEquals(64 * 20_000, c.hits());
        assertEquals(64 * 20_000, c.savedNanos());
    }

    @Test
    void oneThreadKeepsOneStripeAndMoreThreadsSpreadTheCountOverMoreWithoutLosingAny() throws InterruptedException {
        HitCounter c = new HitCounter();
        for (int i = 0; i < 1_000; i++) {
            c.hit(2);
        }
        assertEquals(1, c.stripes(), "a method called from one thread needs one stripe");
        hitFromThreads(c, 8, 50_000, 3);
        assertTrue(c.stripes() > 1, "threads that met an owned stripe made more");
        assertTrue(c.stripes() <= HitCounter.STRIPES);
        assertEquals(1_000 + 8 * 50_000, c.hits());
        assertEquals(2_000 + 8 * 50_000 * 3, c.savedNanos());
    }

    @Test
    void theCallersEstimateNeverCountsAThreadTwiceAcrossAGrowth() throws InterruptedException {
        HitCounter c = new HitCounter();
        c.hit(1);
        c.stripesChangedSince();
        // This thread owns the one stripe; another's hit grows the table, then this thread hits the new table.
        Thread other = new Thread(() -> c.hit(1));
        other.start();
        other.join();
        c.hit(1);
        assertTrue(c.stripesChangedSince() <= 2, "two threads hit");
        assertEquals(0, c.stripesChangedSince(), "nobody hit since");
    }

    private static void hitFromThreads(HitCounter c, int threadCount, int hitsEach, long nanos) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < threadCount; t++) {
            threads.add(new Thread(() -> {
                for (int i = 0; i < hitsEach; i++) {
                    c.hit(nanos);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
    }
}
