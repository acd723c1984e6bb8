package dev.recall.agent.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
